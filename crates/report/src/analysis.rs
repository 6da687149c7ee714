//! What the numbers say: cells grouped into comparable sets, the best backend of each,
//! every other backend against it (a ratio with its interval and one of four outcomes,
//! Holm-corrected across the group), the speedup over sequential, and whether the rule of
//! thumb held: confirmed, does not matter here, contradicted or inconclusive.

use shootout_core::results::{AaCheck, Cell, CellStatus, RunResults};
use shootout_core::stats::{Better, Comparison, Needed, Outcome, Spread, Test};
use shootout_core::{BlockingMode, Workload, WorkloadKind};

use crate::format::{percent, ratio, seconds};

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
}

impl Metric {
    fn of(kind: WorkloadKind) -> Metric {
        match kind {
            WorkloadKind::Blocking | WorkloadKind::Load => Metric::P99,
            _ => Metric::Rate,
        }
    }

    /// Which way is better.
    pub fn better(self) -> Better {
        match self {
            Metric::Rate | Metric::Knee => Better::Higher,
            Metric::P99 => Better::Lower,
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

    /// The rate spread, when the cell verified.
    pub fn rate(&self) -> Option<Spread> {
        self.cell.summary.as_ref().map(|s| s.rate)
    }

    /// The verified trials' values of `metric`, without disturbed trials if asked.
    pub fn values(&self, metric: Metric, exclude_disturbed: bool) -> Vec<f64> {
        if self.cell.status != CellStatus::Ok {
            return Vec::new();
        }
        self.cell
            .records()
            .filter(|r| !(exclude_disturbed && r.disturbed()))
            .filter_map(|r| match metric {
                Metric::Rate => Some(self.cell.workload.rate(r.wall_s)),
                // A knee belongs to a sweep, never to one cell (see `knee`).
                Metric::Knee => None,
                // Tick lateness; for fetch the latency from when each request was due
                // where requests are paced, else from when it was sent.
                Metric::P99 => match &r.ticks {
                    Some(ticks) => Some(ticks.lateness_us.p99 as f64),
                    None => {
                        let fetch = r.fetch.as_ref()?;
                        Some(fetch.from_due_us.as_ref().unwrap_or(&fetch.latency_us).p99 as f64)
                    }
                },
            })
            .collect()
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
    /// for cells without verified trials. Holm-corrected across the group.
    pub versus: Vec<Option<Comparison>>,
    /// Index of the best entry.
    best: Option<usize>,
    /// Medians of each entry's values (NaN without values).
    medians: Vec<f64>,
}

impl<'a> Group<'a> {
    fn new(kind: WorkloadKind, title: String, entries: Vec<Entry<'a>>, options: Options) -> Self {
        Self::by(kind, title, entries, Metric::of(kind), options)
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
        let values: Vec<Vec<f64>> = entries
            .iter()
            .map(|e| e.values(metric, options.exclude_disturbed))
            .collect();
        let medians: Vec<f64> = values
            .iter()
            .map(|v| Spread::of(v.iter().copied()).map_or(f64::NAN, |s| s.median))
            .collect();
        let goodness = |i: usize| match metric {
            Metric::Rate | Metric::Knee => medians[i],
            Metric::P99 => -medians[i],
        };
        // In spawn and pipeline, sequential does no concurrency at all (it calls the task
        // inline): the floor of the costs, shown beside them, never the best of them.
        let contender = |i: usize| {
            !(matches!(kind, WorkloadKind::Spawn | WorkloadKind::Pipeline)
                && entries[i].cell.family() == Family::Sequential)
        };
        let best = (0..entries.len())
            .filter(|&i| !medians[i].is_nan() && contender(i))
            .max_by(|&a, &b| goodness(a).total_cmp(&goodness(b)));
        let mut versus = vec![None; entries.len()];
        if let Some(best) = best {
            let others: Vec<usize> = (0..entries.len())
                .filter(|&i| i != best && !values[i].is_empty() && contender(i))
                .collect();
            let pairs: Vec<(&[f64], &[f64])> = others
                .iter()
                .map(|&i| (values[i].as_slice(), values[best].as_slice()))
                .collect();
            for (i, comparison) in others
                .into_iter()
                .zip(options.test.compare_row(&pairs, metric.better()))
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
            best,
            medians,
        }
    }

    /// The same group without the backends' labelled idioms (see
    /// [`Workload::design_variant`]), when it has any: every backend in its shared design,
    /// which is what the verdicts compare.
    pub fn shared_design(&self, options: Options) -> Option<Group<'a>> {
        let idiom = |e: &Entry<'a>| e.cell.workload.design_variant().is_some();
        if !self.entries.iter().any(idiom) {
            return None;
        }
        let entries = self.entries.iter().filter(|e| !idiom(e)).copied().collect();
        Some(Group::new(self.kind, self.title.clone(), entries, options))
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
        match &self.entries[0].cell.workload {
            Workload::Sleep(spec) => spec.tasks as f64,
            Workload::Cpu(spec) => spec.n as f64,
            Workload::Fetch(spec) => spec.concurrency as f64,
            Workload::Spawn(spec) => spec.tasks as f64,
            Workload::Pipeline(spec) => spec.messages as f64,
            // Elements per job: how long each job holds whatever it runs on.
            Workload::Blocking(spec) => spec.n as f64 / spec.jobs as f64,
        }
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

/// What the classic advice came to in one group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The family it recommends is faster than every other family beyond the margin.
    Confirmed,
    /// The family it recommends is equivalent to another family: the choice does not
    /// matter here.
    DoesNotMatter,
    /// Another family is faster beyond the margin.
    Contradicted,
    /// Neither: more trials needed.
    Inconclusive,
    /// No verified cell of the family it recommends, or nothing to compare it with.
    Open,
}

impl Verdict {
    /// `confirmed`, `does not matter here`, `contradicted`, `inconclusive`, `open`.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::DoesNotMatter => "does not matter here",
            Verdict::Contradicted => "contradicted",
            Verdict::Inconclusive => "inconclusive",
            Verdict::Open => "open",
        }
    }

    /// A CSS class name.
    pub fn class(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::DoesNotMatter => "equivalent",
            Verdict::Contradicted => "contradicted",
            Verdict::Inconclusive | Verdict::Open => "open",
        }
    }
}

/// One backend against the best of its row.
#[derive(Clone, Debug)]
pub struct Versus {
    /// The backend (with its placement, where it has one).
    pub label: String,
    /// It against the best.
    pub comparison: Comparison,
}

/// One row of the decision table.
#[derive(Clone, Debug)]
pub struct Decision {
    /// `sleep`, `fetch (latency)`, `fetch (throughput)`, `cpu`, `blocking`, `load: most within the SLO`.
    pub workload: String,
    /// The group it summarizes.
    pub title: String,
    /// The best backend.
    pub best: String,
    /// Its median, formatted with the unit.
    pub best_value: String,
    /// Every other verified backend against the best, best first.
    pub versus: Vec<Versus>,
    /// Speedup over sequential with its interval, formatted.
    pub speedup: String,
    /// The rule of thumb that applies.
    pub rule: &'static str,
    /// Its verdict.
    pub verdict: Verdict,
    /// One sentence on why.
    pub why: String,
    /// The fewest trials behind any backend of the row.
    pub trials: usize,
    /// What the row compares (a rate, or a latency where lower is better).
    pub metric: Metric,
}

/// The headline groups: one per workload, two for fetch (latency and throughput).
pub fn headlines<'g, 'a>(groups: &'g [Group<'a>]) -> Vec<(String, &'g Group<'a>)> {
    // The largest size where backends of two families verified (where a rule can be
    // judged), else the largest with two verified backends at all.
    let families = |g: &Group<'a>| {
        let mut seen: Vec<Family> = g.ok().map(|e| rule_family(e.cell.family())).collect();
        seen.sort_by_key(|f| f.name());
        seen.dedup();
        seen.len()
    };
    let pick = |label: &str, filter: &dyn Fn(&Group<'a>) -> bool| {
        groups
            .iter()
            .filter(|g| filter(g) && g.ok().count() >= 2)
            .max_by(|a, b| {
                (families(a) >= 2, a.size())
                    .partial_cmp(&(families(b) >= 2, b.size()))
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .map(|g| (label.to_string(), g))
    };
    [
        pick("sleep", &|g| g.kind == WorkloadKind::Sleep),
        pick("fetch (latency)", &|g| {
            g.kind == WorkloadKind::Fetch && is_latency(g)
        }),
        pick("fetch (throughput)", &|g| {
            g.kind == WorkloadKind::Fetch && !is_latency(g)
        }),
        pick("cpu", &|g| g.kind == WorkloadKind::Cpu),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The family a rule of thumb sees: "async for I/O" speaks of async runtimes of either
/// kind, epoll or io_uring.
fn rule_family(family: Family) -> Family {
    match family {
        Family::IoUringRuntime => Family::AsyncRuntime,
        other => other,
    }
}

/// A fetch group whose server waits: its time is latency, not client work.
pub fn is_latency(group: &Group<'_>) -> bool {
    matches!(&group.entries[0].cell.workload, Workload::Fetch(s) if s.latency_ms > 0)
}

/// The decision table: the headline rows, or for a run of custom sizes the rows of the
/// question it asked ([`asked`]).
pub fn decisions(groups: &[Group<'_>], runs: usize, options: Options) -> Vec<Decision> {
    if options.custom {
        return asked(groups, runs, options);
    }
    let mut decisions: Vec<Decision> = headlines(groups)
        .into_iter()
        .filter_map(|(label, group)| decide(label, group, runs, options))
        .collect();
    // The blocking headline: the group with the longest jobs, where the pitfall bites most.
    let blocking = groups
        .iter()
        .filter(|g| g.kind == WorkloadKind::Blocking && g.ok().count() >= 2)
        .max_by(|a, b| a.size().total_cmp(&b.size()));
    decisions.extend(blocking.and_then(|g| decide_blocking(g, runs, options)));
    // Most load within the SLO, for each load sweep.
    for sweep in crate::load::sweeps(groups, runs, options.slo_ms) {
        decisions.extend(crate::knee::decision(&sweep, runs, options));
    }
    decisions
}

/// The rows of a run with custom sizes: one per workload asked, ranked by what the question
/// cares about. A fetch cell answers by p99 latency at the asked concurrency first, then by
/// throughput; the other workloads with a rule of thumb by their usual metric. Spawn,
/// pipeline and rate-limit have no rule of thumb to judge (a paced rate is the limiter's,
/// not the backend's), so they have no row.
fn asked(groups: &[Group<'_>], runs: usize, options: Options) -> Vec<Decision> {
    let mut decisions = Vec::new();
    for group in groups.iter().filter(|g| g.ok().count() >= 2) {
        match group.kind {
            WorkloadKind::Fetch => {
                decisions.extend(latency_row(group, runs, options));
                decisions.extend(decide("fetch (throughput)".into(), group, runs, options));
            }
            WorkloadKind::Blocking => decisions.extend(decide_blocking(group, runs, options)),
            WorkloadKind::Sleep
            | WorkloadKind::Cpu
            | WorkloadKind::PartialFailure
            | WorkloadKind::Timeout
            | WorkloadKind::Retry => {
                decisions.extend(decide(group.kind.name().into(), group, runs, options));
            }
            WorkloadKind::Load
            | WorkloadKind::Spawn
            | WorkloadKind::Pipeline
            | WorkloadKind::RateLimit => {}
        }
    }
    for sweep in crate::load::sweeps(groups, runs, options.slo_ms) {
        decisions.extend(crate::knee::decision(&sweep, runs, options));
    }
    decisions
}

/// A fetch group ranked by p99 latency, among the backends that keep the asked concurrency
/// in flight: one that keeps fewer makes requests wait for a slot, a wait its measured
/// latency leaves out, so its lower p99 would answer another question.
fn latency_row(group: &Group<'_>, runs: usize, options: Options) -> Option<Decision> {
    let concurrency = match &group.entries.first()?.cell.workload {
        Workload::Fetch(spec) => spec.concurrency,
        _ => return None,
    };
    let holds = |e: &Entry<'_>| {
        e.cell.workload.fitted().is_none() && e.cell.in_flight.is_none_or(|n| n >= concurrency)
    };
    let (kept, left): (Vec<Entry<'_>>, Vec<Entry<'_>>) =
        group.entries.iter().cloned().partition(|e| holds(e));
    let p99 = Group::by(group.kind, group.title.clone(), kept, Metric::P99, options);
    let mut decision = decide("fetch (p99)".into(), &p99, runs, options)?;
    if !left.is_empty() {
        let names: Vec<String> = left.iter().map(|e| e.mode_label(runs)).collect();
        decision.why += &format!(
            ". Left out of this row: {} keep fewer than {concurrency} requests in flight, so \
             their latency leaves out the wait for a free slot (the throughput row shows what \
             that costs)",
            names.join(", ")
        );
    }
    Some(decision)
}

/// The decision for any one group: the blocking rule for blocking groups, the family rule
/// for the rest (as the headline rows decide them).
pub fn decide_group(group: &Group<'_>, runs: usize, options: Options) -> Option<Decision> {
    match group.kind {
        WorkloadKind::Blocking => decide_blocking(group, runs, options),
        _ => decide(group.kind.name().to_string(), group, runs, options),
    }
}

/// Where a cell's CPU jobs run, for blocking cells and cpu cells placed by mode.
pub fn job_mode(cell: &Cell) -> Option<BlockingMode> {
    match &cell.workload {
        Workload::Blocking(spec) => Some(spec.mode),
        Workload::Cpu(spec) => spec.mode,
        _ => None,
    }
}

/// A blocking cell's mode.
pub fn blocking_mode(cell: &Cell) -> Option<BlockingMode> {
    match &cell.workload {
        Workload::Blocking(spec) => Some(spec.mode),
        _ => None,
    }
}

/// The spread of a verified cell's p99 tick lateness (or request latency), microseconds.
pub fn p99_us(cell: &Cell) -> Option<Spread> {
    let summary = cell.summary.as_ref()?;
    Some(
        summary
            .from_due_us
            .as_ref()
            .or(summary.latency_us.as_ref())?
            .p99,
    )
}

/// Every other verified backend against the best, best first.
fn versus_list(group: &Group<'_>, runs: usize) -> Vec<Versus> {
    let mut list: Vec<Versus> = group
        .entries
        .iter()
        .zip(&group.versus)
        .filter_map(|(e, c)| {
            Some(Versus {
                label: e.mode_label(runs),
                comparison: c.clone()?,
            })
        })
        .collect();
    let goodness = |c: &Comparison| match group.metric {
        Metric::Rate | Metric::Knee => -c.ratio,
        Metric::P99 => c.ratio,
    };
    list.sort_by(|a, b| goodness(&a.comparison).total_cmp(&goodness(&b.comparison)));
    list
}

/// "Keep CPU work off the event loop": each async runtime's (epoll or io_uring) offloaded p99 tick lateness
/// against its inline one, Holm-corrected across the runtimes. Confirmed when offloading is
/// better beyond the margin on every runtime; contradicted when inline is better on one.
fn decide_blocking(group: &Group<'_>, runs: usize, options: Options) -> Option<Decision> {
    let best = group.best()?;
    let best_p99 = group.median(best)?;
    let pairs: Vec<(&Entry<'_>, &Entry<'_>)> = group
        .ok()
        // Every event loop: the epoll runtimes and the io_uring ones.
        .filter(|e| e.cell.family().is_async())
        .filter(|e| blocking_mode(e.cell) == Some(BlockingMode::Inline))
        .filter_map(|inline| Some((inline, group.in_mode(inline, BlockingMode::Offload)?)))
        .collect();
    let values: Vec<(Vec<f64>, Vec<f64>)> = pairs
        .iter()
        .map(|(inline, offload)| {
            (
                offload.values(Metric::P99, options.exclude_disturbed),
                inline.values(Metric::P99, options.exclude_disturbed),
            )
        })
        .collect();
    let slices: Vec<(&[f64], &[f64])> = values
        .iter()
        .map(|(a, b)| (a.as_slice(), b.as_slice()))
        .collect();
    let outcomes = options.test.compare_row(&slices, Better::Lower);
    // Shown as inline / offloaded: "457×" reads where "0.0022×" does not.
    let said = |(inline, _): &(&Entry<'_>, &Entry<'_>), c: &Comparison| {
        let shown = Comparison {
            ratio: 1.0 / c.ratio,
            low: 1.0 / c.high,
            high: 1.0 / c.low,
            ..c.clone()
        };
        format!("{} {}", inline.label(runs), ratio(&shown))
    };
    let with = |outcome: Outcome| -> Vec<String> {
        pairs
            .iter()
            .zip(&outcomes)
            .filter(|(_, c)| c.outcome == outcome)
            .map(|(p, c)| said(p, c))
            .collect()
    };
    let (helped, hurt, same, unclear) = (
        with(Outcome::Faster),
        with(Outcome::Slower),
        with(Outcome::Equivalent),
        with(Outcome::Inconclusive),
    );
    let margin = percent(options.test.margin);
    let (verdict, why) = if pairs.is_empty() {
        (
            Verdict::Open,
            "no async runtime verified both inline and offloaded".to_string(),
        )
    } else if !hurt.is_empty() {
        (
            Verdict::Contradicted,
            format!(
                "offloaded p99 tick lateness is higher than inline beyond ±{margin} on {} \
                 (inline / offloaded)",
                hurt.join(", ")
            ),
        )
    } else if unclear.is_empty() && same.is_empty() {
        (
            Verdict::Confirmed,
            format!(
                "offloading lowers p99 tick lateness beyond ±{margin} on every async runtime \
                 (inline p99 / offloaded p99): {}",
                helped.join(", ")
            ),
        )
    } else if !same.is_empty() {
        (
            Verdict::DoesNotMatter,
            format!(
                "offloaded and inline p99 are equivalent within ±{margin} on {} (inline / \
                 offloaded)",
                same.join(", ")
            ),
        )
    } else {
        (
            Verdict::Inconclusive,
            format!(
                "offloaded against inline p99 is unclear on {} (inline / offloaded)",
                unclear.join(", ")
            ),
        )
    };
    Some(Decision {
        workload: "blocking".into(),
        title: group.title.clone(),
        best: best.mode_label(runs),
        best_value: format!("p99 lateness {}", seconds(best_p99 / 1e6)),
        versus: versus_list(group, runs),
        speedup: "–".into(),
        rule: "keep CPU work off the event loop",
        verdict,
        why,
        trials: group.trials(),
        metric: group.metric,
    })
}

/// How a verdict sentence words its comparisons.
pub(crate) struct Words {
    /// Why there is nothing to compare: "verified to compare".
    pub nothing: &'static str,
    /// A rival beyond the margin better than the best: "is faster".
    pub beats: &'static str,
    /// The best beyond the margin better than all: "ahead of".
    pub ahead: &'static str,
}

impl Words {
    /// For rates.
    pub const RATE: Words = Words {
        nothing: "verified to compare",
        beats: "is faster",
        ahead: "ahead of",
    };

    /// For latencies, where lower is better.
    pub const P99: Words = Words {
        nothing: "verified to compare",
        beats: "has a lower p99",
        ahead: "below",
    };
}

/// The rule's verdict when the best backend belongs to the family it favours. `others`
/// are the other families' backends, each described and compared with the best; `lead`
/// opens the sentence.
pub(crate) fn favoured_leads(
    lead: &str,
    others: &[(String, &Comparison)],
    margin: &str,
    words: &Words,
) -> (Verdict, String) {
    let with = |o: Outcome| -> Vec<String> {
        others
            .iter()
            .filter(|(_, c)| c.outcome == o)
            .map(|(said, c)| match o {
                Outcome::Inconclusive => format!("{said} ({})", needed(c)),
                _ => said.clone(),
            })
            .collect()
    };
    if others.is_empty() {
        (
            Verdict::Open,
            format!("{lead}, but no backend of another family {}", words.nothing),
        )
    } else if !with(Outcome::Faster).is_empty() {
        (
            Verdict::Contradicted,
            format!(
                "{lead} by median, yet {} {}",
                with(Outcome::Faster).join(", "),
                words.beats
            ),
        )
    } else if with(Outcome::Slower).len() == others.len() {
        (
            Verdict::Confirmed,
            format!(
                "{lead}, beyond ±{margin} {} every other family: {}",
                words.ahead,
                with(Outcome::Slower).join(", ")
            ),
        )
    } else if !with(Outcome::Equivalent).is_empty() {
        (
            Verdict::DoesNotMatter,
            format!(
                "{lead}, but equivalent within ±{margin} to {}",
                with(Outcome::Equivalent).join(", ")
            ),
        )
    } else {
        (
            Verdict::Inconclusive,
            format!(
                "{lead}; unclear against {}",
                with(Outcome::Inconclusive).join(", ")
            ),
        )
    }
}

/// The rule of thumb for a group: async for waiting work, parallel pools for CPU.
fn favoured(kind: WorkloadKind) -> (&'static str, Family) {
    match kind {
        WorkloadKind::Cpu => ("parallel pools for CPU", Family::ThreadPool),
        _ => ("async for I/O", Family::AsyncRuntime),
    }
}

/// Which verified cells of a fetch group had the embedded server busy for at least
/// [`shootout_core::results::SERVER_BOUND_AT`] of a core, as a caveat on the verdict.
pub fn server_bound_note(group: &Group<'_>, runs: usize) -> Option<String> {
    let bound: Vec<String> = group
        .ok()
        .filter(|e| e.cell.summary.as_ref().is_some_and(|s| s.server_bound()))
        .map(|e| e.mode_label(runs))
        .collect();
    if bound.is_empty() {
        return None;
    }
    let share = crate::format::percent(shootout_core::results::SERVER_BOUND_AT);
    Some(format!(
        "Server-bound: the embedded server, sharing the machine's cores with the client, used \
         at least {share} of a core in {} of {} cells ({}), so the client differences here \
         are bounded by the server",
        bound.len(),
        group.ok().count(),
        bound.join(", ")
    ))
}

/// One line on an inconclusive comparison: what would decide it.
pub fn needed(c: &Comparison) -> String {
    match c.needed {
        Needed::Decided => String::new(),
        Needed::About(n) => format!("about {n} trials each would decide it"),
        Needed::MoreThan(n) => format!("more than {n} trials each would be needed"),
    }
}

fn decide(workload: String, group: &Group<'_>, runs: usize, options: Options) -> Option<Decision> {
    if let Some(shared) = group.shared_design(options) {
        let decision = decide(workload, &shared, runs, options)?;
        return Some(match idiom_note(group, &shared, runs) {
            Some(note) => Decision {
                why: format!("{}. {note}", decision.why),
                ..decision
            },
            None => decision,
        });
    }
    let best = group.best()?;
    let summary = best.cell.summary.as_ref()?;
    let (rule, family) = favoured(group.kind);
    let of = |e: &Entry<'_>| rule_family(e.cell.family());
    let margin = percent(options.test.margin);
    let in_family = |e: &&Entry<'_>| of(e) == family;
    // Higher is better for rates, lower for latencies.
    let goodness = |e: &Entry<'_>| match (group.median(e), group.metric) {
        (None, _) => f64::NEG_INFINITY,
        (Some(m), Metric::P99) => -m,
        (Some(m), Metric::Rate | Metric::Knee) => m,
    };
    let family_best = group
        .ok()
        .filter(in_family)
        .max_by(|a, b| goodness(a).total_cmp(&goodness(b)));
    let (leads, words) = match group.metric {
        Metric::P99 => ("has the lowest p99", &Words::P99),
        Metric::Rate | Metric::Knee => ("is fastest", &Words::RATE),
    };
    let others: Vec<(&Entry<'_>, &Comparison)> = group
        .ok()
        .filter(|e| of(e) != family)
        .filter_map(|e| Some((e, group.versus_best(e)?)))
        .collect();
    let described = |e: &Entry<'_>, c: &Comparison| {
        format!("{} ({}) at {}", e.mode_label(runs), of(e).name(), ratio(c))
    };
    let (verdict, why) = match family_best {
        None => (
            Verdict::Open,
            format!("no {} backend verified in this group", family.name()),
        ),
        Some(fb) if std::ptr::eq(fb.cell, best.cell) => {
            let lead = format!("{} ({}) {leads}", best.mode_label(runs), family.name());
            let others: Vec<(String, &Comparison)> =
                others.iter().map(|(e, c)| (described(e, c), *c)).collect();
            favoured_leads(&lead, &others, &margin, words)
        }
        Some(fb) => {
            let lead = format!(
                "{} ({}) {leads}; the best {} backend, {},",
                best.mode_label(runs),
                of(best).name(),
                family.name(),
                fb.mode_label(runs)
            );
            match group.versus_best(fb) {
                Some(c) if c.outcome == Outcome::Slower => (
                    Verdict::Contradicted,
                    format!("{lead} is at {} of it, beyond ±{margin}", ratio(c)),
                ),
                Some(c) if c.outcome == Outcome::Equivalent => (
                    Verdict::DoesNotMatter,
                    format!("{lead} is equivalent within ±{margin} at {}", ratio(c)),
                ),
                Some(c) => (
                    Verdict::Inconclusive,
                    format!("{lead} is at {} of it: {}", ratio(c), needed(c)),
                ),
                None => (Verdict::Open, format!("{lead} has no comparison")),
            }
        }
    };
    // The naive placement of CPU jobs on an async runtime, linked to what it costs others.
    let why = match placement_note(group, runs) {
        Some(note) => format!("{why}. {note}"),
        None => why,
    };
    let why = match server_bound_note(group, runs) {
        Some(note) => format!("{why}. {note}"),
        None => why,
    };
    let skipped: Vec<String> = group
        .entries
        .iter()
        .filter(|e| e.cell.status == CellStatus::Skipped && of(e) != family)
        .map(|e| e.mode_label(runs))
        .collect();
    let why = if skipped.is_empty() {
        why
    } else {
        format!(
            "{why} ({} skipped: predicted over the time limit or not applicable)",
            skipped.join(", ")
        )
    };
    let speedup = match (group.speedup_interval(best, options), group.speedup(best)) {
        (Some(c), _) => ratio(&c),
        (None, Some((x, true))) => format!(
            "{}× (sequential predicted, skipped)",
            crate::format::number(x)
        ),
        _ => "–".into(),
    };
    let best_value = match group.metric {
        Metric::P99 => format!("p99 {}", seconds(group.median(best).unwrap_or(0.0) / 1e6)),
        Metric::Rate | Metric::Knee => format!(
            "{} {}",
            crate::format::number(group.median(best).unwrap_or(summary.rate.median)),
            summary.rate_unit
        ),
    };
    let speedup = if group.metric == Metric::P99 {
        "–".into()
    } else {
        speedup
    };
    Some(Decision {
        workload,
        title: group.title.clone(),
        best: best.mode_label(runs),
        best_value,
        versus: versus_list(group, runs),
        speedup,
        rule,
        verdict,
        why,
        trials: group.trials(),
        metric: group.metric,
    })
}

/// When a backend's own idiom (a labelled variant) beat every shared design beyond the
/// margin: which, and the shared designs' best against it by the same test. The verdict stays with the shared
/// designs, where a difference is one of runtimes; this says what an idiom adds on top.
fn idiom_note(group: &Group<'_>, shared: &Group<'_>, runs: usize) -> Option<String> {
    let lead = group.best()?;
    lead.cell.workload.design_variant()?;
    let shared_best = shared.best()?;
    let in_group = group
        .ok()
        .find(|e| std::ptr::eq(e.cell, shared_best.cell))?;
    // Only beyond the margin: an idiom level with the shared designs adds nothing.
    let c = group
        .versus_best(in_group)
        .filter(|c| c.outcome == Outcome::Slower)?;
    Some(format!(
        "A backend's own idiom beat every shared design: {} leads by median, and the best \
         shared design, {}, is at {} of it ({})",
        lead.mode_label(runs),
        shared_best.mode_label(runs),
        ratio(c),
        group.metric.word(c.outcome)
    ))
}

/// For cpu groups with jobs placed inline on async workers: how each inline placement
/// compares with the best, and where its cost to other tasks is measured.
fn placement_note(group: &Group<'_>, runs: usize) -> Option<String> {
    let inline: Vec<String> = group
        .ok()
        .filter(|e| {
            matches!(&e.cell.workload, Workload::Cpu(spec) if spec.mode == Some(BlockingMode::Inline))
        })
        .map(|e| match group.versus_best(e) {
            Some(c) => format!("{} {} ({})", e.mode_label(runs), ratio(c), c.outcome.name()),
            None => format!("{} (best)", e.mode_label(runs)),
        })
        .collect();
    (!inline.is_empty()).then(|| {
        format!(
            "Jobs run inline on the async workers, the naive placement: {}; what inline jobs cost \
             latency-sensitive tasks is the blocking row",
            inline.join(", ")
        )
    })
}

/// The A/A checks of one run: each twin cell against its original, where both verified.
/// `shootout run` records these in results.json; the page recomputes them (with `--margin`
/// or without disturbed trials when asked).
pub fn twin_checks(results: &RunResults, options: Options) -> Vec<AaCheck> {
    results
        .cells
        .iter()
        .filter(|c| c.twin)
        .filter_map(|twin| {
            let original = results.cells.iter().find(|c| {
                !c.twin
                    && c.backend == twin.backend
                    && c.workload == twin.workload
                    && c.threads == twin.threads
            })?;
            let values =
                |cell| Entry { run: 0, cell }.values(Metric::Rate, options.exclude_disturbed);
            let (a, b) = (values(twin), values(original));
            (!a.is_empty() && !b.is_empty()).then(|| AaCheck {
                backend: twin.backend.clone(),
                cell: format!("{} {}", twin.workload.kind(), twin.workload.params_label()),
                margin: options.test.margin,
                comparison: options.test.compare(&a, &b, Better::Higher),
            })
        })
        .collect()
}

/// The A/A checks of every run, labelled for the page: `<backend> twice, cpu n=… jobs=…`.
pub fn aa_checks(runs: &[RunResults], options: Options) -> Vec<(String, Comparison)> {
    runs.iter()
        .enumerate()
        .flat_map(|(run, results)| {
            twin_checks(results, options).into_iter().map(move |check| {
                let label = format!(
                    "{} twice, {}",
                    run_label(run, &check.backend, runs.len()),
                    check.cell
                );
                (label, check.comparison)
            })
        })
        .collect()
}
