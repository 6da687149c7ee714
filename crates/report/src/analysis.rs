//! What the numbers say: cells grouped into comparable sets, the best backend of each,
//! who is tied with it, the speedup over sequential, and the rule of thumb's verdict.

use shootout_core::results::{Cell, CellStatus, RunResults};
use shootout_core::stats::Spread;
use shootout_core::{BlockingMode, Workload, WorkloadKind};

/// The async runtimes.
pub const ASYNC: [&str; 4] = ["tokio", "tokio-ct", "smol", "async-std"];
/// Backends that run CPU work on a pool of worker threads.
pub const POOLS: [&str; 2] = ["rayon", "crossbeam"];

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
        run_label(self.run, &self.cell.backend, runs)
    }

    /// The label with the blocking mode after it (`tokio inline`), for cells that have one.
    pub fn mode_label(&self, runs: usize) -> String {
        match blocking_mode(self.cell) {
            Some(mode) => format!("{} {mode}", self.label(runs)),
            None => self.label(runs),
        }
    }

    /// The rate spread, when the cell verified.
    pub fn rate(&self) -> Option<Spread> {
        self.cell.summary.as_ref().map(|s| s.rate)
    }
}

/// `backend`, prefixed with its run number (`[2] tokio`) when `runs` are merged.
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
}

impl<'a> Group<'a> {
    /// Cells that verified.
    pub fn ok(&self) -> impl Iterator<Item = &Entry<'a>> {
        self.entries
            .iter()
            .filter(|e| e.cell.status == CellStatus::Ok)
    }

    /// The verified cell with the highest median rate.
    pub fn best(&self) -> Option<&Entry<'a>> {
        self.ok().max_by(|a, b| {
            let (a, b) = (
                a.rate().map_or(0.0, |r| r.median),
                b.rate().map_or(0.0, |r| r.median),
            );
            a.total_cmp(&b)
        })
    }

    /// Verified cells whose min..max rate overlaps the best one's (the best excluded).
    pub fn tied_with_best(&self) -> Vec<&Entry<'a>> {
        let Some(best) = self.best() else {
            return Vec::new();
        };
        let best_rate = best.rate().expect("best verified");
        self.ok()
            .filter(|e| !std::ptr::eq(e.cell, best.cell))
            .filter(|e| e.rate().is_some_and(|r| r.overlaps(&best_rate)))
            .collect()
    }

    /// The verified cell of `entry`'s backend and run in blocking mode `mode`.
    pub fn in_mode(&self, entry: &Entry<'a>, mode: BlockingMode) -> Option<&Entry<'a>> {
        self.ok().find(|e| {
            e.run == entry.run
                && e.cell.backend == entry.cell.backend
                && blocking_mode(e.cell) == Some(mode)
        })
    }

    /// The sequential cell of the same run as `entry`, in any state.
    pub fn sequential(&self, run: usize) -> Option<&Entry<'a>> {
        self.entries
            .iter()
            .find(|e| e.run == run && e.cell.backend == "sequential")
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

/// Every group, workloads in report order, groups in order of first appearance.
pub fn groups(runs: &[RunResults]) -> Vec<Group<'_>> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    for (run, results) in runs.iter().enumerate() {
        for cell in &results.cells {
            let (kind, title) = (cell.workload.kind(), cell.workload.comparable(cell.threads));
            let entry = Entry { run, cell };
            match groups
                .iter_mut()
                .find(|g| g.kind == kind && g.title == title)
            {
                Some(group) => group.entries.push(entry),
                None => groups.push(Group {
                    kind,
                    title,
                    entries: vec![entry],
                }),
            }
        }
    }
    groups.sort_by_key(|g| WorkloadKind::ALL.iter().position(|&k| k == g.kind));
    groups
}

/// Whether the classic advice held in one group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The backend family it recommends is best or tied with the best.
    Confirmed,
    /// Another family beats every backend it recommends, beyond the trial spread.
    Contradicted,
    /// Not enough verified cells to say.
    Open,
}

/// One row of the decision table.
#[derive(Clone, Debug)]
pub struct Decision {
    /// `sleep`, `fetch (latency)`, `fetch (throughput)`, `cpu`.
    pub workload: String,
    /// The group it summarizes.
    pub title: String,
    /// The best backend with its median rate.
    pub best: String,
    /// Its median rate, formatted with the unit.
    pub best_rate: String,
    /// Backends statistically tied with it.
    pub tied: Vec<String>,
    /// Speedup over sequential, formatted (with "predicted" when sequential was skipped).
    pub speedup: String,
    /// The rule of thumb that applies.
    pub rule: &'static str,
    /// Its verdict.
    pub verdict: Verdict,
    /// One sentence on why.
    pub why: String,
}

/// The headline groups: one per workload, two for fetch (latency and throughput).
pub fn headlines<'g, 'a>(groups: &'g [Group<'a>]) -> Vec<(String, &'g Group<'a>)> {
    let pick = |label: &str, filter: &dyn Fn(&Group<'a>) -> bool| {
        groups
            .iter()
            .filter(|g| filter(g) && g.ok().count() >= 2)
            .max_by(|a, b| a.size().total_cmp(&b.size()))
            .map(|g| (label.to_string(), g))
    };
    let latency = |g: &Group<'a>| matches!(&g.entries[0].cell.workload, Workload::Fetch(s) if s.latency_ms > 0);
    [
        pick("sleep", &|g| g.kind == WorkloadKind::Sleep),
        pick("fetch (latency)", &|g| {
            g.kind == WorkloadKind::Fetch && latency(g)
        }),
        pick("fetch (throughput)", &|g| {
            g.kind == WorkloadKind::Fetch && !latency(g)
        }),
        pick("cpu", &|g| g.kind == WorkloadKind::Cpu),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The decision table.
pub fn decisions(groups: &[Group<'_>], runs: usize) -> Vec<Decision> {
    let mut decisions: Vec<Decision> = headlines(groups)
        .into_iter()
        .filter_map(|(label, group)| decide(label, group, runs))
        .collect();
    // The blocking headline: the group with the longest jobs, where the pitfall bites most.
    let blocking = groups
        .iter()
        .filter(|g| g.kind == WorkloadKind::Blocking && g.ok().count() >= 2)
        .max_by(|a, b| a.size().total_cmp(&b.size()));
    decisions.extend(blocking.and_then(|g| decide_blocking(g, runs)));
    decisions
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
    Some(cell.summary.as_ref()?.latency_us.as_ref()?.p99)
}

/// "Keep CPU work off the event loop": confirmed when every async runtime that ran both
/// ways had a lower p99 tick lateness offloaded than inline, beyond the trial spread;
/// contradicted when one did not.
fn decide_blocking(group: &Group<'_>, runs: usize) -> Option<Decision> {
    let p99 = |e: &&Entry<'_>| p99_us(e.cell).map_or(f64::INFINITY, |p| p.median);
    let best = group.ok().min_by(|a, b| p99(a).total_cmp(&p99(b)))?;
    let best_p99 = p99_us(best.cell)?;
    let tied: Vec<String> = group
        .ok()
        .filter(|e| !std::ptr::eq(e.cell, best.cell))
        .filter(|e| p99_us(e.cell).is_some_and(|p| p.overlaps(&best_p99)))
        .map(|e| e.mode_label(runs))
        .collect();
    let mut helped = Vec::new();
    let mut not_helped = Vec::new();
    for inline in group
        .ok()
        .filter(|e| ASYNC.contains(&e.cell.backend.as_str()))
        .filter(|e| blocking_mode(e.cell) == Some(BlockingMode::Inline))
    {
        let offload = group.in_mode(inline, BlockingMode::Offload);
        let (Some(before), Some(after)) =
            (p99_us(inline.cell), offload.and_then(|e| p99_us(e.cell)))
        else {
            continue;
        };
        if after.max < before.min {
            helped.push(format!(
                "{} {}×",
                inline.label(runs),
                crate::format::number(before.median / after.median.max(1.0))
            ));
        } else {
            not_helped.push(inline.label(runs));
        }
    }
    let (verdict, why) = match (helped.is_empty(), not_helped.is_empty()) {
        (true, true) => (
            Verdict::Open,
            "no async runtime verified both inline and offloaded".to_string(),
        ),
        (_, false) => (
            Verdict::Contradicted,
            format!(
                "offloading did not lower p99 tick lateness beyond the trial spread on {}",
                not_helped.join(", ")
            ),
        ),
        (false, true) => (
            Verdict::Confirmed,
            format!(
                "offloading cut p99 tick lateness on every async runtime: {}",
                helped.join(", ")
            ),
        ),
    };
    Some(Decision {
        workload: "blocking".into(),
        title: group.title.clone(),
        best: best.mode_label(runs),
        best_rate: format!(
            "p99 lateness {}",
            crate::format::seconds(best_p99.median / 1e6)
        ),
        tied,
        speedup: "–".into(),
        rule: "keep CPU work off the event loop",
        verdict,
        why,
    })
}

fn decide(workload: String, group: &Group<'_>, runs: usize) -> Option<Decision> {
    let best = group.best()?;
    let summary = best.cell.summary.as_ref()?;
    let tied = group.tied_with_best();
    let (rule, family): (&'static str, &[&str]) = match group.kind {
        WorkloadKind::Cpu => ("parallel pools for CPU", &POOLS),
        _ => ("async for I/O", &ASYNC),
    };
    let in_family = |e: &Entry<'_>| family.contains(&e.cell.backend.as_str());
    let family_ok = group.ok().any(in_family);
    let verdict = if !family_ok {
        Verdict::Open
    } else if in_family(best) || tied.iter().any(|e| in_family(e)) {
        Verdict::Confirmed
    } else {
        Verdict::Contradicted
    };
    let best_family = group.ok().filter(|e| in_family(e)).max_by(|a, b| {
        a.rate()
            .map_or(0.0, |r| r.median)
            .total_cmp(&b.rate().map_or(0.0, |r| r.median))
    });
    let why = match (verdict, best_family) {
        (Verdict::Confirmed, _) if in_family(best) => format!(
            "{} ({}) is fastest{}",
            best.label(runs),
            family_name(group.kind),
            if tied.is_empty() {
                String::new()
            } else {
                format!(", tied with {}", names(&tied, runs))
            }
        ),
        (Verdict::Confirmed, Some(f)) => format!(
            "{} is fastest, but {} ({}) is within its trial spread",
            best.label(runs),
            f.label(runs),
            family_name(group.kind)
        ),
        (Verdict::Contradicted, Some(f)) => format!(
            "{} beats the best of the {} backends, {}, by {} beyond the trial spread",
            best.label(runs),
            family_name(group.kind),
            f.label(runs),
            crate::format::percent(summary.rate.median / f.rate().map_or(1.0, |r| r.median) - 1.0)
        ),
        _ => format!(
            "no {} backend verified in this group",
            family_name(group.kind)
        ),
    };
    let speedup = match group.speedup(best) {
        Some((x, false)) => format!("{}×", crate::format::number(x)),
        Some((x, true)) => format!(
            "{}× (sequential predicted, skipped)",
            crate::format::number(x)
        ),
        None => "–".into(),
    };
    Some(Decision {
        workload,
        title: group.title.clone(),
        best: best.label(runs),
        best_rate: format!(
            "{} {}",
            crate::format::number(summary.rate.median),
            summary.rate_unit
        ),
        tied: tied.iter().map(|e| e.label(runs)).collect(),
        speedup,
        rule,
        verdict,
        why,
    })
}

fn family_name(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::Cpu => "parallel pool",
        _ => "async",
    }
}

fn names(entries: &[&Entry<'_>], runs: usize) -> String {
    entries
        .iter()
        .map(|e| e.label(runs))
        .collect::<Vec<_>>()
        .join(", ")
}
