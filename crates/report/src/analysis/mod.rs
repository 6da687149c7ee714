//! What the numbers say: cells grouped into comparable sets, the best backend of each,
//! every other backend against it (a ratio with its interval and one of four outcomes,
//! each tested alone; round by round where two cells ran the same rounds), the speedup over sequential, and whether the rule of
//! thumb held: confirmed, does not matter here, contradicted or inconclusive.

use shootout_core::results::{Cell, CellStatus, RunResults, TrialRecord};

use shootout_core::stats::{Against, Better, Comparison, Outcome, Spread, Test};

use shootout_core::workload::Judged;
use shootout_core::{BlockingMode, Workload, WorkloadKind};

mod aa;
mod apart;
mod blocking;
mod call;
mod decision;
mod family;
mod files;
pub mod grounds;

pub use crate::words::needed;
pub use aa::{aa_checks, twin_checks};
pub use apart::{Apart, NET_FLOOR_US, apart};
pub use blocking::{blocking_mode, job_mode, p99_us};
pub(crate) use decision::rule_family;
pub use decision::{Decision, Verdict, Versus, decide_group, decisions, headlines, leaders};
pub use family::{bound_notes, mostly_machine_bound};
pub(crate) use family::{for_some, leads_verdict};

pub use shootout_core::Family;

/// How trials are read: the test, and whether trials flagged as disturbed count.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Margin and level of every comparison.
    pub test: Test,
    /// Leave out trials during which the machine was busy with other work.
    pub exclude_disturbed: bool,
    /// The load workload's p99 SLO for the knee, ms (default: ten times the unloaded p99).
    pub slo_ms: Option<f64>,
    /// The runs measured custom sizes: the Summary answers the question asked (see
    /// `asked`) instead of the profiles' headline rows.
    pub custom: bool,
    /// The runs' trials were interleaved in shuffled rounds, so two cells of a group that
    /// ran the same rounds, enough of them to decide, are compared round by round
    /// ([`Test::against_best`]).
    pub paired: bool,
}

/// `test` at the level of the last look of `entries`' group, where it took looks (the
/// looks of the entries' cells; the one with the most rounds).
fn looked_at(entries: &[Entry<'_>], test: Test) -> Test {
    let last = entries
        .iter()
        .flat_map(|e| &e.cell.looks)
        .max_by_key(|look| look.rounds);
    match last {
        Some(look) => Test {
            alpha: look.alpha,
            ..test
        },
        None => test,
    }
}

/// The verified trials of `cell` as (trial number, record), without the disturbed ones if
/// asked: flagged for steal and other processes' CPU ([`TrialRecord::disturbed`]) or slowed
/// without either ([`Cell::slowed`]).
pub fn kept_trials(cell: &Cell, exclude_disturbed: bool) -> Vec<(u32, &TrialRecord)> {
    let slowed = if exclude_disturbed {
        cell.slowed()
    } else {
        Vec::new()
    };
    cell.trials
        .iter()
        .filter(|t| t.ok)
        .filter_map(|t| Some((t.index, t.record.as_ref()?)))
        .filter(|(index, r)| !(exclude_disturbed && (r.disturbed() || slowed.contains(index))))
        .collect()
}

/// The values of the rounds both `a` and `b` ran, in `a`'s order, if any.
pub fn shared_rounds(a: &[(u32, f64)], b: &[(u32, f64)]) -> Option<(Vec<f64>, Vec<f64>)> {
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    for &(round, value) in a {
        if let Some(&(_, other)) = b.iter().find(|(r, _)| *r == round) {
            mine.push(value);
            theirs.push(other);
        }
    }
    (!mine.is_empty()).then_some((mine, theirs))
}

/// What a group's backends are compared by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Operations per second: higher is better.
    Rate,
    /// A p99, lower is better: tick lateness (blocking), or request latency from when each
    /// request was due (load, the open loop).
    P99,
    /// A knee: the most offered load a backend carries within the SLO, higher is better.
    Knee,
    /// The client's CPU time per request, microseconds, lower is better: what a concurrent
    /// wait costs (fetch, where every design holding C requests in flight reaches the same
    /// throughput).
    CpuPerRequest,
}

impl Metric {
    /// What `workload`'s cells are compared by, as the workload says.
    pub fn of(workload: &Workload) -> Metric {
        match workload.judged_by() {
            Judged::Rate => Metric::Rate,
            Judged::P99 => Metric::P99,
            Judged::CpuPerRequest => Metric::CpuPerRequest,
            Judged::Capacity => Metric::Knee,
        }
    }

    /// Which way is better.
    pub fn better(self) -> Better {
        match self {
            Metric::Rate | Metric::Knee => Better::Higher,
            Metric::P99 | Metric::CpuPerRequest => Better::Lower,
        }
    }

    /// What a row judged by it is called after: `fetch (CPU per request)`.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Rate => "throughput",
            Metric::P99 => "p99",
            Metric::Knee => "load",
            Metric::CpuPerRequest => "CPU per request",
        }
    }

    /// How good `value` is: higher is better, whichever way the metric runs.
    pub fn goodness(self, value: f64) -> f64 {
        match self.better() {
            Better::Higher => value,
            Better::Lower => -value,
        }
    }

    /// How the page words `outcome` for this metric: `faster`/`slower` for a rate,
    /// `better`/`worse` for a latency (a higher p99 is worse, not slower).
    pub fn word(self, outcome: Outcome) -> &'static str {
        match (self, outcome) {
            (Metric::P99, Outcome::Faster) => "better",
            (Metric::P99, Outcome::Slower) => "worse",
            (Metric::Knee, Outcome::Faster) => "more load",
            (Metric::Knee, Outcome::Slower) => "less load",
            (Metric::CpuPerRequest, Outcome::Faster) => "cheaper",
            (Metric::CpuPerRequest, Outcome::Slower) => "costlier",
            _ => outcome.name(),
        }
    }
}

/// One cell with the run it came from.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    /// Index into the runs.
    pub run: usize,
    /// The cell.
    pub cell: &'a Cell,
}

impl Entry<'_> {
    /// The backend name, prefixed with the run number when several runs are merged.
    pub fn label(&self, runs: usize) -> String {
        let label = run_label(self.run, &self.cell.backend, runs);
        // A row made by other processes names their executable by its digest.
        match self
            .cell
            .worker
            .as_deref()
            .and_then(|w| w.strip_prefix("sha256:"))
        {
            Some(digest) => format!("{label} [worker {}]", &digest[..digest.len().min(8)]),
            None => label,
        }
    }

    /// The label with the cell's variant after it (`<backend> inline`, `<backend> own-channel`)
    /// and, for a fitted fetch cell, how many of the full cell's requests it ran
    /// (`<backend> (128 of 1280 requests)`).
    pub fn mode_label(&self, runs: usize) -> String {
        let label = match self.cell.workload.variant() {
            Some(variant) => format!("{} {variant}", self.label(runs)),
            None => self.label(runs),
        };
        match self.cell.workload.fitted() {
            Some(fitted) => format!("{label} ({fitted})"),
            None => label,
        }
    }

    /// Whether a fetch cell ran every request it was asked at the concurrency it was asked
    /// (not a fitted sample, not a backend that keeps fewer in flight).
    pub fn holds_concurrency(&self) -> bool {
        let concurrency = self.cell.workload.size() as u64;
        self.cell.workload.fitted().is_none()
            && self.cell.in_flight.is_none_or(|n| n >= concurrency)
    }

    /// The rate spread, when the cell verified.
    pub fn rate(&self) -> Option<Spread> {
        self.cell.summary.as_ref().map(|s| s.rate)
    }

    /// The verified trials' values of `metric`, without disturbed trials if asked.
    pub fn values(&self, metric: Metric, exclude_disturbed: bool) -> Vec<f64> {
        self.rounds(metric, exclude_disturbed)
            .into_iter()
            .map(|(_, value)| value)
            .collect()
    }

    /// [`Entry::values`] with the round each came from: its trial's number (in a shuffled
    /// run, trial k of every cell of a group ran in round k).
    pub fn rounds(&self, metric: Metric, exclude_disturbed: bool) -> Vec<(u32, f64)> {
        if self.cell.status != CellStatus::Ok {
            return Vec::new();
        }
        kept_trials(self.cell, exclude_disturbed)
            .into_iter()
            .filter_map(|(round, r)| Some((round, self.value(metric, r)?)))
            .collect()
    }

    /// One trial's value of `metric`.
    fn value(&self, metric: Metric, r: &TrialRecord) -> Option<f64> {
        match metric {
            // A knee of a sweep of rates belongs to no one cell (see `knee`); a capacity
            // search's is each trial's own.
            Metric::Rate | Metric::Knee => Some(self.cell.workload.rate_of(r)),
            // The client's own CPU (the server's is apart), over every request. Only where
            // the cell held the concurrency asked: fewer in flight is cheaper work (a
            // blocking read, no wait to multiplex), another question.
            Metric::CpuPerRequest => {
                if !self.holds_concurrency() {
                    return None;
                }
                if let Some(files) = &r.files {
                    let reads = files.reads as f64;
                    return (reads > 0.0).then(|| (r.user_s + r.sys_s) / reads * 1e6);
                }
                let cpu_s = r.fetch.as_ref()?.cpu_per_request_s(r.user_s + r.sys_s)?;
                Some(cpu_s * 1e6)
            }
            // Tick lateness; a read's latency for files; for fetch the latency from when each
            // request was due where requests are paced, else from when it was sent.
            Metric::P99 => match (&r.ticks, &r.files) {
                (Some(ticks), _) => Some(ticks.lateness_us.p99 as f64),
                (None, Some(files)) => Some(files.latency_us.p99 as f64),
                (None, None) => {
                    let fetch = r.fetch.as_ref()?;
                    Some(fetch.from_due_us.as_ref().unwrap_or(&fetch.latency_us).p99 as f64)
                }
            },
        }
    }
}

/// `backend`, prefixed with its run number (`[2] <backend>`) when `runs` are merged.
pub fn run_label(run: usize, backend: &str, runs: usize) -> String {
    if runs > 1 {
        format!("[{}] {backend}", run + 1)
    } else {
        backend.to_string()
    }
}

/// Cells that answer the same question: same workload and sizes (for fetch, fitted
/// request counts aside), across backends and runs.
#[derive(Clone, Debug)]
pub struct Group<'a> {
    /// The workload.
    pub kind: WorkloadKind,
    /// What the cells share, e.g. `tasks=10000 sleep_ms=100`.
    pub title: String,
    /// The cells, in run then plan order.
    pub entries: Vec<Entry<'a>>,
    /// What the backends are compared by.
    pub metric: Metric,
    /// Each entry against the best, aligned with `entries`: `None` for the best itself and
    /// for cells without verified trials ([`Test::against_best`]).
    pub versus: Vec<Option<Comparison>>,
    /// The test this group is judged by: the run's, at the level of the group's last look
    /// where it could take more rounds ([`shootout_core::stats::sequential`]).
    pub test: Test,
    /// Index of the best entry.
    best: Option<usize>,
    /// Medians of each entry's values (NaN without values).
    medians: Vec<f64>,
}

impl<'a> Group<'a> {
    fn new(kind: WorkloadKind, title: String, entries: Vec<Entry<'a>>, options: Options) -> Self {
        let metric = entries
            .first()
            .map_or(Metric::Rate, |e| Metric::of(&e.cell.workload));
        Self::by(kind, title, entries, metric, options)
    }

    /// The same cells compared by another metric (a fetch group by p99 latency).
    pub fn with_metric(&self, metric: Metric, options: Options) -> Group<'a> {
        Self::by(
            self.kind,
            self.title.clone(),
            self.entries.clone(),
            metric,
            options,
        )
    }

    fn by(
        kind: WorkloadKind,
        title: String,
        entries: Vec<Entry<'a>>,
        metric: Metric,
        options: Options,
    ) -> Self {
        let test = looked_at(&entries, options.test);
        let rounds: Vec<Vec<(u32, f64)>> = entries
            .iter()
            .map(|e| e.rounds(metric, options.exclude_disturbed))
            .collect();
        let values: Vec<Vec<f64>> = rounds
            .iter()
            .map(|r| r.iter().map(|&(_, value)| value).collect())
            .collect();
        let medians: Vec<f64> = values
            .iter()
            .map(|v| Spread::of(v.iter().copied()).map_or(f64::NAN, |s| s.median))
            .collect();
        let goodness = |i: usize| metric.goodness(medians[i]);
        // In spawn and pipeline, sequential does no concurrency at all (it calls the task
        // inline): the floor of the costs, shown beside them, never the best of them.
        let contender = |i: usize| {
            !(kind.costs_concurrency() && entries[i].cell.family() == Family::Sequential)
        };
        let best = (0..entries.len())
            .filter(|&i| !medians[i].is_nan() && contender(i))
            .max_by(|&a, &b| goodness(a).total_cmp(&goodness(b)));
        let mut versus = vec![None; entries.len()];
        if let Some(best) = best {
            let others: Vec<usize> = (0..entries.len())
                .filter(|&i| i != best && !values[i].is_empty() && contender(i))
                .collect();
            // The rounds both ran, where the run interleaved them: compared round by round
            // where there are enough ([`Test::against_best`] says how many).
            let shared: Vec<Option<(Vec<f64>, Vec<f64>)>> = others
                .iter()
                .map(|&i| {
                    let same_run = entries[i].run == entries[best].run;
                    (options.paired && same_run)
                        .then(|| shared_rounds(&rounds[i], &rounds[best]))
                        .flatten()
                })
                .collect();
            let rivals: Vec<Against<'_>> = others
                .iter()
                .zip(&shared)
                .map(|(&i, shared)| Against {
                    candidate: &values[i],
                    reference: &values[best],
                    rounds: shared
                        .as_ref()
                        .map(|(mine, theirs)| (mine.as_slice(), theirs.as_slice())),
                })
                .collect();
            for (i, comparison) in others
                .into_iter()
                .zip(test.against_best(&rivals, metric.better()))
            {
                versus[i] = Some(comparison);
            }
        }
        Group {
            kind,
            title,
            entries,
            metric,
            versus,
            test,
            best,
            medians,
        }
    }

    /// The same group without the backends' labelled idioms (see
    /// [`shootout_core::Workload::design_variant`]), when it has any: every backend in its shared design,
    /// which is what the verdicts compare.
    pub fn shared_design(&self, options: Options) -> Option<Group<'a>> {
        let idiom = |e: &Entry<'a>| e.cell.workload.design_variant().is_some();
        if !self.entries.iter().any(idiom) {
            return None;
        }
        let entries = self.entries.iter().filter(|e| !idiom(e)).copied().collect();
        // Compared by what this group is compared by (a fetch group by p99 or CPU per
        // request stays so).
        Some(Group::by(
            self.kind,
            self.title.clone(),
            entries,
            self.metric,
            options,
        ))
    }

    /// Cells that verified.
    pub fn ok(&self) -> impl Iterator<Item = &Entry<'a>> {
        self.entries
            .iter()
            .filter(|e| e.cell.status == CellStatus::Ok)
    }

    /// The verified cell with the best median: highest rate, or lowest p99 for blocking.
    pub fn best(&self) -> Option<&Entry<'a>> {
        self.best.map(|i| &self.entries[i])
    }

    fn index(&self, entry: &Entry<'a>) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| std::ptr::eq(e.cell, entry.cell))
    }

    /// `entry` against the best (`None` for the best itself).
    pub fn versus_best(&self, entry: &Entry<'a>) -> Option<&Comparison> {
        self.versus[self.index(entry)?].as_ref()
    }

    /// The median of `entry`'s values of the group's metric.
    pub fn median(&self, entry: &Entry<'a>) -> Option<f64> {
        self.index(entry)
            .map(|i| self.medians[i])
            .filter(|m| !m.is_nan())
    }

    /// The fewest verified trials of any verified cell.
    pub fn trials(&self) -> usize {
        self.ok()
            .map(|e| e.cell.records().count())
            .min()
            .unwrap_or(0)
    }

    /// The verified cell of `entry`'s backend and run whose CPU jobs run in `mode`.
    pub fn in_mode(&self, entry: &Entry<'a>, mode: BlockingMode) -> Option<&Entry<'a>> {
        self.ok().find(|e| {
            e.run == entry.run
                && e.cell.backend == entry.cell.backend
                && job_mode(e.cell) == Some(mode)
        })
    }

    /// The sequential cell of the same run as `entry`, in any state.
    pub fn sequential(&self, run: usize) -> Option<&Entry<'a>> {
        self.entries
            .iter()
            .find(|e| e.run == run && e.cell.family() == Family::Sequential)
    }

    /// How many times faster than sequential `entry` is: measured rates when sequential
    /// ran, otherwise its predicted time (marked), when it was skipped with one.
    pub fn speedup(&self, entry: &Entry<'a>) -> Option<(f64, bool)> {
        let sequential = self.sequential(entry.run)?;
        let rate = entry.rate()?.median;
        match (&sequential.cell.summary, sequential.cell.predicted_s) {
            (Some(summary), _) => Some((rate / summary.rate.median, false)),
            (None, Some(predicted)) => {
                let wall = entry.cell.summary.as_ref()?.wall_s.median;
                Some((predicted / wall, true))
            }
            _ => None,
        }
    }

    /// The speedup over a measured sequential cell with its interval: `entry`'s rates
    /// against sequential's, as one comparison.
    pub fn speedup_interval(&self, entry: &Entry<'a>, options: Options) -> Option<Comparison> {
        let sequential = self.sequential(entry.run)?;
        let base = sequential.values(Metric::Rate, options.exclude_disturbed);
        let mine = entry.values(Metric::Rate, options.exclude_disturbed);
        (!base.is_empty() && !mine.is_empty())
            .then(|| options.test.compare(&mine, &base, Better::Higher))
    }

    /// The size that orders groups of one workload (tasks, concurrency, n).
    pub fn size(&self) -> f64 {
        self.entries[0].cell.workload.size()
    }
}

/// Every group, workloads in report order, groups in order of first appearance. A/A twin
/// cells are left out: they are compared with their original only.
pub fn groups(runs: &[RunResults], options: Options) -> Vec<Group<'_>> {
    // In order of first appearance; the index keeps grouping linear in the cells.
    let mut keyed: Vec<(WorkloadKind, String, Vec<Entry<'_>>)> = Vec::new();
    let mut index: std::collections::HashMap<(WorkloadKind, String), usize> = Default::default();
    for (run, results) in runs.iter().enumerate() {
        for cell in results.cells.iter().filter(|c| !c.twin) {
            let (kind, title) = (cell.workload.kind(), cell.workload.comparable(cell.threads));
            let entry = Entry { run, cell };
            match index.get(&(kind, title.clone())) {
                Some(&at) => keyed[at].2.push(entry),
                None => {
                    index.insert((kind, title.clone()), keyed.len());
                    keyed.push((kind, title, vec![entry]));
                }
            }
        }
    }
    let mut groups: Vec<Group<'_>> = keyed
        .into_iter()
        .map(|(kind, title, entries)| Group::new(kind, title, entries, options))
        .collect();
    groups.sort_by_key(|g| WorkloadKind::ALL.iter().position(|&k| k == g.kind));
    groups
}
