//! The timer and the scheduler, apart. Sleep and blocking rows rank raw lateness, so a
//! runtime whose timer rounds every deadline up to a 1 ms tick (tokio, monoio) reads worse
//! for its timer, not for how it schedules. Each run probes every backend's idle timer
//! (one task waking every 1 ms, nothing else running); this compares the timers on that,
//! and the schedulers on the headline sleep and blocking cells net of each backend's own
//! idle timer, each with the verdicts' test.

use shootout_core::results::{RunResults, TimerProbe};
use shootout_core::stats::{Better, Spread};
use shootout_core::{Workload, WorkloadKind};

use super::{Decision, Entry, Group, Metric, Options, Versus, run_label};

/// Lateness net of the idle timer below this counts as this, microseconds: a few of this
/// machine's scheduling slices, below which a difference is noise, not a scheduler.
pub const NET_FLOOR_US: f64 = 50.0;

/// One finding: what was compared, the best, and every other against it.
#[derive(Clone, Debug)]
pub struct Apart {
    /// `idle timer`, `sleep scheduler`, `blocking scheduler`.
    pub what: &'static str,
    /// What its values are, in words.
    pub measure: String,
    /// The best by median.
    pub best: String,
    /// Its median, formatted.
    pub best_value: String,
    /// Every other against the best, best first.
    pub versus: Vec<Versus>,
    /// How the values compare (lower or higher is better).
    pub metric: Metric,
}

/// The timer finding, then the sleep and blocking schedulers', where the data has them.
pub fn apart(
    runs: &[RunResults],
    groups: &[Group<'_>],
    decisions: &[Decision],
    options: Options,
) -> Vec<Apart> {
    let mut found = Vec::new();
    found.extend(timers(runs, options));
    let headline = |row: &str, kind: WorkloadKind| {
        let title = &decisions.iter().find(|d| d.workload == row)?.title;
        groups.iter().find(|g| g.kind == kind && &g.title == title)
    };
    if let Some(group) = headline("sleep", WorkloadKind::Sleep) {
        found.extend(sleep(runs, group, options));
    }
    if let Some(group) = headline("blocking", WorkloadKind::Blocking) {
        found.extend(blocking(runs, group, options));
    }
    found
}

/// The backend's idle timer, or, for a backend that sleeps with `std::thread::sleep` and
/// has no probe of its own, the `threads` backend's (the same timer).
fn idle<'r>(run: &'r RunResults, backend: &str) -> Option<&'r TimerProbe> {
    run.timer(backend).or_else(|| run.timer("threads"))
}

fn timers(runs: &[RunResults], options: Options) -> Option<Apart> {
    let entries: Vec<(String, Vec<f64>)> = runs
        .iter()
        .enumerate()
        .flat_map(|(i, run)| {
            run.timers.iter().map(move |t| {
                (
                    run_label(i, &t.backend, runs.len()),
                    t.p50_trials_us.clone(),
                )
            })
        })
        .filter(|(_, values)| values.len() >= 2)
        .collect();
    judged(
        "idle timer",
        "median lateness of one task waking every 1 ms with nothing else running".into(),
        entries,
        Metric::P99,
        options,
    )
}

fn sleep(runs: &[RunResults], group: &Group<'_>, options: Options) -> Option<Apart> {
    let entries = net_entries(runs, group, |e, idle| {
        let Workload::Sleep(spec) = &e.cell.workload else {
            return Vec::new();
        };
        let Some(p50) = idle.p50_us else {
            return Vec::new();
        };
        let idle_s = p50.median / 1e6;
        super::kept_trials(e.cell, options.exclude_disturbed)
            .into_iter()
            .map(|(_, r)| r)
            .filter(|r| r.wall_s > idle_s)
            .map(|r| spec.tasks as f64 / (r.wall_s - idle_s))
            .collect()
    });
    judged(
        "sleep scheduler",
        format!(
            "tasks per second with each backend's idle timer p50 taken off the wall time \
             ({})",
            group.title
        ),
        entries,
        Metric::Rate,
        options,
    )
}

fn blocking(runs: &[RunResults], group: &Group<'_>, options: Options) -> Option<Apart> {
    let entries = net_entries(runs, group, |e, idle| {
        // The timer's typical lateness: a timer that rounds up to a tick is that late on
        // every wake, and 100 idle ticks read a median, not a p99.
        let Some(idle_us) = idle.p50_us.map(|s| s.median) else {
            return Vec::new();
        };
        e.values(Metric::P99, options.exclude_disturbed)
            .into_iter()
            .map(|p99| (p99 - idle_us).max(NET_FLOOR_US))
            .collect()
    });
    judged(
        "blocking scheduler",
        format!(
            "p99 tick lateness less each backend's idle timer p50, at least {} µs ({})",
            NET_FLOOR_US, group.title
        ),
        entries,
        Metric::P99,
        options,
    )
}

/// The verified entries of `group` with the values `net` makes of them and their backend's
/// idle timer; entries without a timer are left out.
fn net_entries(
    runs: &[RunResults],
    group: &Group<'_>,
    net: impl Fn(&Entry<'_>, &TimerProbe) -> Vec<f64>,
) -> Vec<(String, Vec<f64>)> {
    group
        .ok()
        .filter_map(|e| {
            let idle = idle(&runs[e.run], &e.cell.backend)?;
            Some((e.mode_label(runs.len()), net(e, idle)))
        })
        .filter(|(_, values)| values.len() >= 2)
        .collect()
}

/// The best of `entries` by median and every other against it, by the verdicts' test.
fn judged(
    what: &'static str,
    measure: String,
    entries: Vec<(String, Vec<f64>)>,
    metric: Metric,
    options: Options,
) -> Option<Apart> {
    if entries.len() < 2 {
        return None;
    }
    let median = |v: &[f64]| Spread::of(v.iter().copied()).map_or(f64::NAN, |s| s.median);
    let best = entries.iter().max_by(|a, b| {
        metric
            .goodness(median(&a.1))
            .total_cmp(&metric.goodness(median(&b.1)))
    })?;
    let others: Vec<&(String, Vec<f64>)> = entries.iter().filter(|e| e.0 != best.0).collect();
    let pairs: Vec<(&[f64], &[f64])> = others
        .iter()
        .map(|(_, v)| (v.as_slice(), best.1.as_slice()))
        .collect();
    let comparisons = options.test.compare_row(&pairs, metric.better());
    let mut versus: Vec<Versus> = others
        .iter()
        .zip(comparisons)
        .map(|((label, _), comparison)| Versus {
            label: label.clone(),
            comparison,
        })
        .collect();
    versus.sort_by(|a, b| {
        metric
            .goodness(b.comparison.ratio)
            .total_cmp(&metric.goodness(a.comparison.ratio))
    });
    let value = median(&best.1);
    let best_value = match metric.better() {
        Better::Higher => format!("{} tasks/s", crate::format::number(value)),
        Better::Lower => crate::format::seconds(value / 1e6),
    };
    Some(Apart {
        what,
        measure,
        best: best.0.clone(),
        best_value,
        versus,
        metric,
    })
}
