//! The `cpu` workload: an exact sum of squares split into contiguous jobs.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::backend::{BackendInfo, SleepModel};
use crate::design::{JobThreads, Variant};
use crate::error::SpecError;
use crate::kernel;
use crate::kind::{About, Rule};
use crate::outcome::Outcome;
use crate::outcome::{Mismatch, RunOutcome};
use crate::params::{Param, Table};
use crate::placement::BlockingMode;
use crate::workload::{SweepPoint, WorkloadKind, WorkloadSpec};

pub mod cases;
mod cores;
mod executor;
mod processes;
mod threaded;

pub use cores::on_cores;
pub use executor::on_executor;
pub use processes::{in_worker, on_processes};
pub use threaded::on_threads;

/// The largest `n` whose sum of squares over `0..n` fits in a `u128`.
pub const N_MAX: u64 = 10_069_012_961_345;

/// The most jobs one run may split into.
pub const JOBS_MAX: u64 = 10_000_000;

/// Where CPU jobs may run, as `--mode` names them.
pub(crate) const MODES: &[(&str, &str)] = &[
    (
        "inline",
        "on the same workers as the tickers: the pitfall on an async runtime",
    ),
    (
        "offload",
        "the runtime's blocking pool (spawn_blocking, unblock)",
    ),
    (
        "rayon",
        "a rayon pool of W threads, answered on a channel of one",
    ),
    (
        "block-in-place",
        "tokio's block_in_place (multi-thread runtime only)",
    ),
];

/// `--n`, which the blocking workload's jobs share.
pub(crate) const N: Param = Param::count("n", "n", "sum i*i for i in 0..N", 0, N_MAX)
    .range_note("the largest N whose sum fits in u128");

/// `--jobs` up to `max`, which the blocking workload's jobs share.
pub(crate) const fn jobs(max: u64) -> Param {
    Param::count(
        "jobs",
        "jobs",
        "number of jobs the range is split into",
        1,
        max,
    )
}

/// `--mode`, which the blocking workload shares.
pub(crate) const MODE: Param = Param::choice(
    "mode",
    "mode",
    "where an async runtime runs the CPU jobs",
    MODES,
);

/// What the cpu workload says of itself: its name, words, unit and how it is judged.
pub const ABOUT: About = About::new(
    "cpu",
    &PARAMS,
    "Gelem/s",
    "Exact sum of squares split into jobs",
    "exact u128 sum of i*i for i in 0..N split into JOBS contiguous jobs; \
     verified against n(n-1)(2n-1)/6",
)
.on_w_threads()
.rule(Rule::PoolsForCpu)
.headlines(&["cpu"]);

/// The cpu workload's parameters.
pub const PARAMS: Table = Table {
    name: "cpu",
    workload: "cpu",
    params: &[
        N,
        jobs(JOBS_MAX),
        MODE.more("By default cpu jobs go to the runtime's blocking pool."),
        Param::choice(
            "job_threads",
            "job-threads",
            "on the threads backend, the threads the jobs run on",
            &[
                (
                    "workers",
                    "W threads, each taking the next job (shared design)",
                ),
                ("per-job", "a thread per job, whatever W (labelled variant)"),
            ],
        )
        .left_out_is("workers")
        .show_default(),
    ],
};

/// Sum `i * i` for `i` in `0..n`, split into `jobs` contiguous ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpuSpec {
    /// Number of elements: the sum runs over `0..n`.
    pub n: u64,
    /// Number of jobs; every job but the last gets `n / jobs` elements, the last the rest.
    pub jobs: u64,
    /// Where an async runtime runs the jobs; `None` is its blocking pool, as its docs
    /// advise (the other backends have one placement only and take `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<BlockingMode>,
    /// On a backend of a thread per job: W threads taking jobs (the shared design), or a
    /// thread per job (the labelled variant).
    #[serde(default, skip_serializing_if = "JobThreads::is_workers")]
    pub job_threads: JobThreads,
}

impl CpuSpec {
    /// `n` elements in `jobs` jobs, placed where the backend places CPU work by default.
    pub const fn new(n: u64, jobs: u64) -> CpuSpec {
        CpuSpec {
            n,
            jobs,
            mode: None,
            job_threads: JobThreads::Workers,
        }
    }

    /// The job ranges, in order; they cover `0..n` exactly once.
    pub fn ranges(&self) -> impl Iterator<Item = Range<u64>> + Send + 'static {
        let spec = *self;
        (0..self.jobs).map(move |job| spec.range(job))
    }

    /// The range of job number `job` (0-based, below `jobs`).
    pub fn range(&self, job: u64) -> Range<u64> {
        let size = self.n / self.jobs.max(1);
        let start = job * size;
        let end = if job + 1 >= self.jobs {
            self.n
        } else {
            start + size
        };
        start..end
    }

    /// What a correct run returns: `n` elements summed to the closed form.
    pub fn expected(&self) -> Outcome {
        Outcome {
            ops: self.n,
            checksum: kernel::closed_form(self.n).expect("validated n fits in u128"),
        }
    }
}

/// One job: sum the squares over `range`. Every backend runs exactly this.
pub fn job(range: Range<u64>) -> Outcome {
    Outcome {
        ops: range.end - range.start,
        checksum: kernel::sum_of_squares(range),
    }
}

crate::runs::runs_on!(CpuSpec, Into::into, processes);

impl WorkloadSpec for CpuSpec {
    fn size(&self) -> f64 {
        self.n as f64
    }

    fn admits(&self, info: &BackendInfo) -> Result<(), String> {
        match self.mode {
            Some(mode) if !info.cpu_modes().contains(&mode) => Err(format!(
                "{} places cpu jobs one way only; --mode {mode} is for the async runtimes",
                info.name
            )),
            _ => Ok(()),
        }
    }

    fn kind(&self) -> WorkloadKind {
        WorkloadKind::Cpu
    }

    fn sweep_point(&self, threads: u64) -> Option<SweepPoint> {
        Some(SweepPoint {
            row: "cpu",
            fixed: format!("n={} jobs={}", self.n, self.jobs),
            axis: "worker threads",
            at: threads as f64,
        })
    }

    fn placement(&self) -> Option<BlockingMode> {
        self.mode
    }

    // A thread per job ignores W: the sweep leaves it out rather than run the same jobs'
    // threads at every point of it.
    fn outside_sweep(&self, info: &BackendInfo) -> Option<String> {
        (info.sleep_model == SleepModel::ThreadPerTask).then(|| {
            format!(
                "not applicable: {} starts a thread per job whatever W is, so it has no \
                 place in the worker-thread sweep",
                info.name
            )
        })
    }

    /// Checks the bounds: `jobs` in 1..=[`JOBS_MAX`], `n` in 0..=[`N_MAX`].
    fn validate(&self) -> Result<(), SpecError> {
        if !(1..=JOBS_MAX).contains(&self.jobs) {
            return Err(SpecError::out_of_range("jobs", self.jobs, 1, JOBS_MAX));
        }
        if self.n > N_MAX {
            return Err(SpecError::new(
                "n",
                format!(
                    "n = {} makes the sum of squares overflow u128; valid range is 0..={N_MAX}",
                    self.n
                ),
            ));
        }
        Ok(())
    }

    fn expected_checksum(&self) -> String {
        self.expected().checksum.to_string()
    }

    fn verify_run(&self, got: &RunOutcome) -> Result<(), Mismatch> {
        got.expect_counted(self.kind(), &self.expected())
    }

    fn synthetic(&self, _: u32, _: std::time::Duration) -> RunOutcome {
        cases::synthetic(self)
    }

    fn warmup(&self) -> Self {
        CpuSpec {
            n: self.n.min(1_000_000),
            ..*self
        }
    }

    fn rate(&self, wall_s: f64) -> f64 {
        self.n as f64 / wall_s / 1e9
    }

    fn comparable(&self, threads: u64) -> String {
        format!("n={} jobs={} threads={threads}", self.n, self.jobs)
    }

    fn params_label(&self) -> String {
        match self.mode {
            Some(mode) => format!("n={} jobs={} mode={mode}", self.n, self.jobs),
            None => format!("n={} jobs={}", self.n, self.jobs),
        }
    }

    fn variant(&self) -> Option<&'static str> {
        let variant = self.design_variant().map(Variant::name);
        variant.or(self.mode.map(BlockingMode::name))
    }

    fn design_variant(&self) -> Option<Variant> {
        (self.job_threads == JobThreads::PerJob).then_some(Variant::ThreadPerJob)
    }

    // The jobs' placement on an async runtime and their threads on `threads` are apart:
    // a thread per job is a variant of the default placement only.
    fn with_variant(&self, variant: Variant) -> Option<Self> {
        (variant == Variant::ThreadPerJob && self.mode.is_none()).then_some(CpuSpec {
            job_threads: JobThreads::PerJob,
            ..*self
        })
    }

    // A single thread does about 2.5e9 elements/s here; allow 20x slower.
    fn timeout_s(&self, _predicted_s: Option<f64>) -> f64 {
        30.0 + self.n as f64 * 8e-9
    }

    fn held(&self, _in_flight: u64) -> u64 {
        self.jobs
    }

    fn kernel_elements(&self) -> Option<u64> {
        Some(self.n)
    }

    // An async runtime's jobs besides its default (the blocking pool): as plain tasks on
    // its workers (the naive placement) and handed to rayon, so the cpu verdict tests the
    // rule against them; none when a placement was asked.
    fn placements(&self, offered: &[BlockingMode]) -> Vec<Self> {
        if self.mode.is_some() {
            return Vec::new();
        }
        [BlockingMode::Inline, BlockingMode::Rayon]
            .into_iter()
            .filter(|mode| offered.contains(mode))
            .map(|mode| CpuSpec {
                mode: Some(mode),
                ..*self
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_max_is_the_exact_limit() {
        assert!(kernel::closed_form(N_MAX).is_some());
        assert!(kernel::closed_form(N_MAX + 1).is_none());
    }

    #[test]
    fn ranges_cover_everything_once_with_the_remainder_last() {
        let spec = CpuSpec::new(10, 3);
        let ranges: Vec<_> = spec.ranges().collect();
        assert_eq!(ranges, vec![0..3, 3..6, 6..10]);
        let spec = CpuSpec::new(2, 5);
        let ranges: Vec<_> = spec.ranges().collect();
        assert_eq!(ranges, vec![0..0, 0..0, 0..0, 0..0, 0..2]);
    }

    #[test]
    fn validation_names_the_field_and_range() {
        let err = CpuSpec::new(10, 0).validate().unwrap_err();
        assert_eq!(err.field, "jobs");
        assert!(err.message.contains("1..=10000000"), "{err}");
        let err = CpuSpec::new(N_MAX + 1, 1).validate().unwrap_err();
        assert_eq!(err.field, "n");
        assert!(err.message.contains("overflow"), "{err}");
        assert!(CpuSpec::new(N_MAX, 1).validate().is_ok());
    }
}
