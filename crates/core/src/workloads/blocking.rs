//! The `blocking` workload: the event-loop pitfall, measured.
//!
//! `tickers` latency-sensitive tasks each wake every `tick_us` on absolute deadlines
//! (`start + k × period`, k = 1..=`ticks`) while `jobs` CPU jobs sum squares over `0..n`.
//! How late each tick fires is what a blocked event loop costs: with the jobs on the
//! async workers ([`BlockingMode::Inline`], the pitfall) a tick waits for a whole job;
//! offloaded to a blocking pool it waits for the OS scheduler at most.
//!
//! A ticker whose deadlines passed while it was blocked fires them at once (a burst), so
//! every missed deadline is recorded with its full lateness and the tick count is exact.

use std::ops::Range;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

use crate::backend::{BackendInfo, Family};
use crate::cpu::{self, CpuSpec};
use crate::error::SpecError;
use crate::kind::{About, Rule};
use crate::outcome::RunOutcome;
use crate::outcome::{Mismatch, Outcome};
use crate::params::{Param, Table};
pub use crate::placement::BlockingMode;
use crate::workload::{SweepPoint, WorkloadKind, WorkloadSpec};

pub mod cases;
mod cores;
mod executor;
mod threaded;

pub use cores::on_cores;
pub use executor::on_executor;
pub use threaded::on_threads;

/// The most tickers in one run (a ticker may be an OS thread).
pub const TICKERS_MAX: u64 = 10_000;
/// The most ticks per ticker.
pub const TICKS_MAX: u64 = 1_000_000;
/// The shortest tick period, microseconds.
pub const TICK_US_MIN: u64 = 100;
/// The longest tick period, microseconds (one second).
pub const TICK_US_MAX: u64 = 1_000_000;
/// The longest tick window (ticks × period), seconds.
pub const WINDOW_S_MAX: u64 = 600;
/// The most CPU jobs in one run.
pub const JOBS_MAX: u64 = 100_000;

/// What the blocking workload says of itself: its name, words, unit and how it is judged.
pub const ABOUT: About = About::new(
    "blocking",
    &PARAMS,
    "Gelem/s",
    "Tickers next to CPU jobs: the blocked event loop, and offloading",
    "TICKERS tasks wake every TICK_US for TICKS ticks while JOBS jobs sum squares over \
     0..N, inline on the async workers (the pitfall) or offloaded; tick lateness \
     p50/p99/max; verified by exact tick counts and the exact sum",
)
.judged_by_p99()
.net_of_timer()
.rule(Rule::OffTheEventLoop)
.not_for(no_event_loop);

/// Why blocking does not apply to a backend with no event loop to block (one that offers
/// no placement of CPU jobs beside its tickers).
fn no_event_loop(info: &BackendInfo) -> Option<&'static str> {
    if !info.blocking_modes.is_empty() {
        return None;
    }
    Some(match info.family {
        Family::ThreadPool => {
            "a pool has no event loop to block: a ticker would be a job sleeping on one of the \
             pool's workers for the whole run, so tickers and CPU jobs just queue for W threads"
        }
        Family::Processes => {
            "a process pool has no event loop to block: tickers would be jobs holding a \
             worker process each"
        }
        _ => {
            "one thing at a time: no tick can fire while a CPU job runs, so every tick is late \
             by a whole job by construction"
        }
    })
}

/// The blocking workload's parameters.
pub const PARAMS: Table = Table {
    name: "blocking",
    workload: "blocking",
    params: &[
        cpu::N,
        cpu::jobs(JOBS_MAX).more("In blocking, fewer jobs hold a worker longer each."),
        cpu::MODE.more("By default blocking runs every mode the backend offers."),
        Param::count(
            "tickers",
            "tickers",
            "latency-sensitive tasks that tick while the CPU jobs run",
            1,
            TICKERS_MAX,
        ),
        Param::count("ticks", "ticks", "ticks per ticker", 1, TICKS_MAX)
            .range_note("ticks x tick period at most 600 s"),
        Param::count(
            "tick_us",
            "tick-us",
            "tick period, microseconds",
            TICK_US_MIN,
            TICK_US_MAX,
        ),
    ],
};

/// `tickers` tasks tick `ticks` times every `tick_us` while `jobs` jobs sum squares
/// over `0..n`, placed as `mode` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockingSpec {
    /// Latency-sensitive tasks.
    pub tickers: u64,
    /// Ticks per ticker.
    pub ticks: u64,
    /// Tick period, microseconds.
    pub tick_us: u64,
    /// Elements summed by all CPU jobs together (as in `cpu`).
    pub n: u64,
    /// CPU jobs; each takes `n / jobs` elements, so fewer jobs block longer.
    pub jobs: u64,
    /// Where the CPU jobs run.
    pub mode: BlockingMode,
}

impl BlockingSpec {
    /// The idle timer probe: the blocking workload without CPU work, one task waking every
    /// 1 ms on absolute deadlines 100 times with nothing else running (enough for a median;
    /// the probe runs six trials, so the timers can be compared). Its lateness is the
    /// backend's timer granularity (tokio rounds up to a 1 ms tick; async-io and
    /// `thread::sleep` do not), which sleep and blocking figures are shown net of.
    pub const IDLE_TIMER: BlockingSpec = BlockingSpec {
        tickers: 1,
        ticks: 100,
        tick_us: 1_000,
        n: 0,
        jobs: 1,
        mode: BlockingMode::Inline,
    };

    /// The CPU part, as a `cpu` workload.
    pub fn cpu(&self) -> CpuSpec {
        CpuSpec::new(self.n, self.jobs)
    }

    /// The tick period.
    pub fn period(&self) -> Duration {
        Duration::from_micros(self.tick_us)
    }

    /// How long the ticks take if none is late: `ticks × period`.
    pub fn window(&self) -> Duration {
        self.period() * self.ticks as u32
    }

    /// The ticks a correct run records: every ticker, every tick, once.
    pub fn expected_ticks(&self) -> Outcome {
        (0..self.tickers)
            .map(|id| Outcome {
                ops: self.ticks,
                checksum: u128::from(crate::random::token(id)) * u128::from(self.ticks),
            })
            .sum()
    }

    /// Accepts `got` only when every tick happened once and the CPU sum is exact.
    pub fn verify(&self, got: &TickOutcome) -> Result<(), Mismatch> {
        let expected = self.expected_ticks();
        if got.ticks != expected {
            return Err(Mismatch::new(format!(
                "expected {} ticks (checksum {}), got {} (checksum {})",
                expected.ops, expected.checksum, got.ticks.ops, got.ticks.checksum
            )));
        }
        if got.lateness_us.len() != expected.ops {
            return Err(Mismatch::new(format!(
                "{} ticks but {} lateness samples",
                expected.ops,
                got.lateness_us.len()
            )));
        }
        let cpu = self.cpu().expected();
        if got.cpu != cpu {
            return Err(Mismatch::counted(&cpu, &got.cpu));
        }
        Ok(())
    }
}

/// One ticker's schedule and log. Each backend drives it with its own timer:
///
/// ```
/// # use shootout_core::blocking::{BlockingMode, BlockingSpec, Ticker};
/// # let spec = BlockingSpec { tickers: 1, ticks: 3, tick_us: 100, n: 0, jobs: 1, mode: BlockingMode::Inline };
/// let mut ticker = Ticker::new(0, &spec, std::time::Instant::now());
/// while let Some(deadline) = ticker.next_deadline() {
///     std::thread::sleep(deadline.saturating_duration_since(std::time::Instant::now()));
///     ticker.tick();
/// }
/// assert_eq!(ticker.finish().ticks.ops, 3);
/// ```
#[derive(Debug)]
pub struct Ticker {
    id: u64,
    start: Instant,
    period: Duration,
    ticks: u64,
    done: u64,
    lateness_us: Vec<u64>,
    last: Duration,
}

impl Ticker {
    /// Ticker `id` of `spec`, whose deadlines count from `start`.
    pub fn new(id: u64, spec: &BlockingSpec, start: Instant) -> Ticker {
        Ticker {
            id,
            start,
            period: spec.period(),
            ticks: spec.ticks,
            done: 0,
            lateness_us: Vec::with_capacity(spec.ticks as usize),
            last: Duration::ZERO,
        }
    }

    /// The next deadline to wait for, or `None` when every tick is done.
    pub fn next_deadline(&self) -> Option<Instant> {
        (self.done < self.ticks).then(|| self.start + self.period * (self.done + 1) as u32)
    }

    /// Records the tick due at the current deadline, fired now. Call it after the wait;
    /// a tick woken early waits again (timers may round), so it is never counted early.
    pub fn tick(&mut self) -> bool {
        let Some(deadline) = self.next_deadline() else {
            return false;
        };
        let now = Instant::now();
        if now < deadline {
            return false;
        }
        self.lateness_us
            .push((now - deadline).as_micros().min(u128::from(u64::MAX)) as u64);
        self.done += 1;
        self.last = now - self.start;
        true
    }

    /// What this ticker saw.
    pub fn finish(self) -> TickLog {
        TickLog {
            ticks: Outcome {
                ops: self.done,
                checksum: u128::from(crate::random::token(self.id)) * u128::from(self.done),
            },
            lateness_us: self.lateness_us,
            last: self.last,
        }
    }
}

/// One ticker's record: its ticks and how late each fired.
#[derive(Clone, Debug, Default)]
pub struct TickLog {
    /// Ticks done, with this ticker's token per tick as the checksum.
    pub ticks: Outcome,
    /// Lateness of each tick, microseconds.
    pub lateness_us: Vec<u64>,
    /// When the last tick fired, from the start.
    pub last: Duration,
}

/// One CPU job's result and when it finished, from the start.
#[derive(Clone, Copy, Debug)]
pub struct JobDone {
    /// The job's outcome.
    pub outcome: Outcome,
    /// When it finished.
    pub at: Duration,
}

/// Runs one CPU job of the blocking workload (the `cpu` kernel) and notes when it ended.
pub fn job(range: Range<u64>, start: Instant) -> JobDone {
    let outcome = cpu::job(range);
    JobDone {
        outcome,
        at: start.elapsed(),
    }
}

/// What a `blocking` run returns.
#[derive(Clone, Debug)]
pub struct TickOutcome {
    /// Ticks done, summed over tickers.
    pub ticks: Outcome,
    /// Lateness of every tick, microseconds.
    pub lateness_us: Histogram<u64>,
    /// The CPU jobs' summed outcome.
    pub cpu: Outcome,
    /// When the last CPU job finished, from the start.
    pub cpu_done: Duration,
    /// When the last tick fired, from the start.
    pub ticks_done: Duration,
}

impl TickOutcome {
    /// Puts the tickers' logs and the jobs' results together.
    pub fn collect(
        logs: impl IntoIterator<Item = TickLog>,
        jobs: impl IntoIterator<Item = JobDone>,
    ) -> TickOutcome {
        // 1 µs to 10 minutes at 3 significant digits.
        let mut lateness_us =
            Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds");
        let mut ticks = Outcome::ZERO;
        let mut ticks_done = Duration::ZERO;
        for log in logs {
            ticks += log.ticks;
            ticks_done = ticks_done.max(log.last);
            for &late in &log.lateness_us {
                lateness_us.saturating_record(late);
            }
        }
        let mut cpu = Outcome::ZERO;
        let mut cpu_done = Duration::ZERO;
        for job in jobs {
            cpu += job.outcome;
            cpu_done = cpu_done.max(job.at);
        }
        TickOutcome {
            ticks,
            lateness_us,
            cpu,
            cpu_done,
            ticks_done,
        }
    }
}

crate::runs::runs_on!(BlockingSpec, Into::into);

impl WorkloadSpec for BlockingSpec {
    // Elements per job: how long each job holds whatever it runs on.
    fn size(&self) -> f64 {
        self.n as f64 / self.jobs as f64
    }

    fn admits(&self, info: &BackendInfo) -> Result<(), String> {
        if info.blocking_modes.contains(&self.mode) {
            return Ok(());
        }
        Err(format!(
            "{} runs blocking only as {}",
            info.name,
            info.blocking_modes_label()
        ))
    }

    fn kind(&self) -> WorkloadKind {
        WorkloadKind::Blocking
    }

    fn sweep_point(&self, threads: u64) -> Option<SweepPoint> {
        Some(SweepPoint {
            row: "blocking",
            fixed: format!(
                "tickers={} ticks={} n={} threads={threads}",
                self.tickers, self.ticks, self.n
            ),
            axis: "elements per job",
            at: self.size(),
        })
    }

    fn placement(&self) -> Option<BlockingMode> {
        Some(self.mode)
    }

    // The point is the comparison: every mode, each backend running those it offers.
    fn compared(&self) -> Vec<Self> {
        BlockingMode::ALL
            .into_iter()
            .map(|mode| BlockingSpec { mode, ..*self })
            .collect()
    }

    // A mode not asked for by name is left out where the backend's other modes stand for
    // it; a backend without the workload keeps its inline cell, to show as not applicable.
    fn stood_for(&self, info: &BackendInfo) -> bool {
        !info.blocking_modes.contains(&self.mode)
            && (!info.blocking_modes.is_empty() || self.mode != BlockingMode::Inline)
    }

    /// Checks every bound, naming the parameter and its range.
    fn validate(&self) -> Result<(), SpecError> {
        SpecError::check_ranges(&[
            ("tickers", self.tickers, 1, TICKERS_MAX),
            ("ticks", self.ticks, 1, TICKS_MAX),
            ("tick_us", self.tick_us, TICK_US_MIN, TICK_US_MAX),
            ("jobs", self.jobs, 1, JOBS_MAX),
        ])?;
        let window_us = self.ticks.saturating_mul(self.tick_us);
        if window_us > WINDOW_S_MAX * 1_000_000 {
            return Err(SpecError::new(
                "ticks",
                format!(
                    "ticks = {} every tick_us = {} is a {} s window; at most {WINDOW_S_MAX} s",
                    self.ticks,
                    self.tick_us,
                    window_us / 1_000_000
                ),
            ));
        }
        self.cpu().validate()
    }

    fn expected_checksum(&self) -> String {
        self.cpu().expected().checksum.to_string()
    }

    fn verify_run(&self, got: &RunOutcome) -> Result<(), Mismatch> {
        self.verify(got.ticked(self.kind())?)
    }

    fn synthetic(&self, slowness: u32, took: std::time::Duration) -> RunOutcome {
        cases::synthetic(self, slowness, took)
    }

    fn warmup(&self) -> Self {
        BlockingSpec {
            ticks: self.ticks.min(10),
            n: self.n.min(1_000_000),
            ..*self
        }
    }

    fn rate(&self, wall_s: f64) -> f64 {
        self.n as f64 / wall_s / 1e9
    }

    // Modes side by side: the group holds every placement of the same work.
    fn comparable(&self, threads: u64) -> String {
        format!(
            "tickers={} ticks={} tick_us={} n={} jobs={} threads={threads}",
            self.tickers, self.ticks, self.tick_us, self.n, self.jobs
        )
    }

    fn params_label(&self) -> String {
        format!(
            "tickers={} ticks={} tick_us={} n={} jobs={} mode={}",
            self.tickers, self.ticks, self.tick_us, self.n, self.jobs, self.mode
        )
    }

    fn variant(&self) -> Option<&'static str> {
        Some(self.mode.name())
    }

    fn timeout_s(&self, _predicted_s: Option<f64>) -> f64 {
        30.0 + self.n as f64 * 8e-9 + 3.0 * self.window().as_secs_f64()
    }

    fn held(&self, _in_flight: u64) -> u64 {
        self.tickers + self.jobs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> BlockingSpec {
        BlockingSpec {
            tickers: 3,
            ticks: 4,
            tick_us: 200,
            n: 1_000,
            jobs: 7,
            mode: BlockingMode::Inline,
        }
    }

    fn run(spec: &BlockingSpec) -> TickOutcome {
        let start = Instant::now();
        let logs = (0..spec.tickers).map(|id| {
            let mut ticker = Ticker::new(id, spec, start);
            while let Some(deadline) = ticker.next_deadline() {
                std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
                ticker.tick();
            }
            ticker.finish()
        });
        let logs: Vec<TickLog> = logs.collect();
        let jobs: Vec<JobDone> = spec.cpu().ranges().map(|r| job(r, start)).collect();
        TickOutcome::collect(logs, jobs)
    }

    #[test]
    fn a_correct_run_verifies_and_a_short_one_does_not() {
        let spec = spec();
        let outcome = run(&spec);
        assert!(spec.verify(&outcome).is_ok());
        assert_eq!(outcome.lateness_us.len(), 12);
        // Run one after another, later tickers find their deadlines long passed.
        assert!(outcome.ticks_done >= spec.window());

        let mut short = outcome.clone();
        short.ticks.ops -= 1;
        assert!(spec.verify(&short).is_err());
        let mut wrong_cpu = outcome.clone();
        wrong_cpu.cpu.checksum += 1;
        assert!(spec.verify(&wrong_cpu).is_err());
        // A ticker that ticked twice for another ticker's once: same count, wrong sum.
        let mut swapped = outcome;
        swapped.ticks.checksum +=
            u128::from(crate::random::token(0)) - u128::from(crate::random::token(1));
        assert!(spec.verify(&swapped).is_err());
    }

    #[test]
    fn ticks_are_never_counted_early() {
        let spec = BlockingSpec {
            tick_us: 1_000_000,
            ..spec()
        };
        let mut ticker = Ticker::new(0, &spec, Instant::now());
        assert!(!ticker.tick(), "a tick a second early must not count");
        assert_eq!(ticker.finish().ticks.ops, 0);
    }

    #[test]
    fn validation_names_the_parameter_and_its_range() {
        let bad = |spec: BlockingSpec, field: &str| {
            let err = spec.validate().unwrap_err();
            assert_eq!(err.field, field, "{err}");
        };
        bad(
            BlockingSpec {
                tickers: 0,
                ..spec()
            },
            "tickers",
        );
        bad(
            BlockingSpec {
                tick_us: 99,
                ..spec()
            },
            "tick_us",
        );
        bad(BlockingSpec { jobs: 0, ..spec() }, "jobs");
        bad(
            BlockingSpec {
                ticks: 1_000_000,
                tick_us: 1_000,
                ..spec()
            },
            "ticks",
        );
        bad(
            BlockingSpec {
                n: u64::MAX,
                ..spec()
            },
            "n",
        );
        assert!(spec().validate().is_ok());
    }
}
