//! Comparing a run against a saved one, cell by cell, with the same test as the verdicts:
//! each cell's trials now against its trials then, on the metric the cell is judged by
//! (a rate, a p99, CPU per request), Holm-corrected within each group of compared cells.
//!
//! Two runs differ by more than the code: another day on a shared machine moves every cell
//! alike. The shift is estimated first (the median over every compared cell of its speed
//! now against then, and the control cell's own, the sequential CPU kernel, which no
//! runtime touches), stated, and taken out before a cell's change is attributed: a change
//! is a cell that moved against the rest.

use shootout_core::results::{Cell, RunResults};
use shootout_core::stats::{Better, Comparison, Outcome, Spread, Test};

use crate::analysis::{Entry, Metric};

/// One cell present, verified, in both runs.
#[derive(Clone, Debug)]
pub struct Change {
    /// Backend.
    pub backend: String,
    /// Workload and parameters.
    pub cell: String,
    /// What the cell is judged by.
    pub metric: Metric,
    /// Baseline median of the metric.
    pub before: f64,
    /// Current median of the metric.
    pub after: f64,
    /// The cell's rate unit (what a rate's figures are in; a latency or a cost prints in
    /// seconds).
    pub unit: String,
    /// Now against then, the run-wide shift taken out: ratio, interval and outcome
    /// (faster, slower, equivalent or inconclusive against the margin).
    pub comparison: Comparison,
}

/// How the run as a whole moved against the baseline.
#[derive(Clone, Debug)]
pub struct Shift {
    /// Speed now over speed then (a rate's ratio; a cost's inverse), median over cells.
    pub speed: f64,
    /// Cells it is the median of.
    pub cells: usize,
    /// The control cell's own move, raw: `(label, now against then)`.
    pub control: Option<(String, Comparison)>,
}

fn same(a: &Cell, b: &Cell) -> bool {
    a.backend == b.backend && a.workload == b.workload && a.threads == b.threads && a.twin == b.twin
}

/// One cell verified in both runs, with the values of the metric it is judged by.
struct Pair<'a> {
    now: &'a Cell,
    metric: Metric,
    now_values: Vec<f64>,
    then_values: Vec<f64>,
}

impl Pair<'_> {
    /// Speed now over then (a rate's ratio of medians; a cost's inverse).
    fn speed(&self) -> Option<f64> {
        let (now, then) = (median(&self.now_values), median(&self.then_values));
        let ratio = match self.metric.better() {
            Better::Higher => now / then,
            Better::Lower => then / now,
        };
        ratio.is_finite().then_some(ratio)
    }

    /// The Holm group it is compared in: the family a reader scans together.
    fn group(&self) -> String {
        let w = &self.now.workload;
        format!("{} {}", w.kind(), w.comparable(self.now.threads))
    }
}

fn median(values: &[f64]) -> f64 {
    Spread::of(values.iter().copied()).map_or(f64::NAN, |s| s.median)
}

/// Every cell verified in both runs, with its metric's values then and now.
fn pairs<'a>(current: &'a RunResults, baseline: &'a RunResults) -> Vec<Pair<'a>> {
    current
        .cells
        .iter()
        .filter(|cell| cell.summary.is_some())
        .filter_map(|now| {
            let then = baseline
                .cells
                .iter()
                .find(|b| same(b, now) && b.summary.is_some())?;
            let metric = Metric::of(&now.workload);
            let values = |cell| Entry { run: 0, cell }.values(metric, false);
            let (now_values, then_values) = (values(now), values(then));
            (!now_values.is_empty() && !then_values.is_empty()).then_some(Pair {
                now,
                metric,
                now_values,
                then_values,
            })
        })
        .collect()
}

/// The run-wide shift of `current` against `baseline` ([`Shift`]).
pub fn shift(current: &RunResults, baseline: &RunResults, test: Test) -> Option<Shift> {
    shift_of(&pairs(current, baseline), test)
}

fn shift_of(pairs: &[Pair<'_>], test: Test) -> Option<Shift> {
    let speeds: Vec<f64> = pairs.iter().filter_map(Pair::speed).collect();
    let control = pairs
        .iter()
        .find(|p| {
            p.now.backend == "sequential"
                && p.now.workload.kind() == shootout_core::WorkloadKind::Cpu
        })
        .and_then(|p| {
            let comparison = test
                .compare_row(
                    &[(&p.now_values[..], &p.then_values[..])],
                    p.metric.better(),
                )
                .pop()?;
            let label = format!("{} {}", p.now.backend, p.now.workload.params_label());
            Some((label, comparison))
        });
    Some(Shift {
        speed: Spread::of(speeds.iter().copied())?.median,
        cells: speeds.len(),
        control,
    })
}

/// Every cell verified in both `current` and `baseline`, with its change on the metric it
/// is judged by, the run-wide [`shift`] taken out.
pub fn compare(current: &RunResults, baseline: &RunResults, test: Test) -> Vec<Change> {
    let pairs = pairs(current, baseline);
    let speed = shift_of(&pairs, test).map_or(1.0, |s| s.speed);
    let mut groups: Vec<String> = pairs.iter().map(Pair::group).collect();
    groups.sort();
    groups.dedup();
    let mut changes: Vec<(usize, Change)> = Vec::new();
    for group in groups {
        let members: Vec<(usize, &Pair<'_>)> = pairs
            .iter()
            .enumerate()
            .filter(|(_, p)| p.group() == group)
            .collect();
        let metric = members[0].1.metric;
        // Then, as it would read at now's speed.
        let at_speed = |v: &f64| match metric.better() {
            Better::Higher => v * speed,
            Better::Lower => v / speed,
        };
        let shifted: Vec<Vec<f64>> = members
            .iter()
            .map(|(_, p)| p.then_values.iter().map(at_speed).collect())
            .collect();
        let slices: Vec<(&[f64], &[f64])> = members
            .iter()
            .zip(&shifted)
            .map(|((_, p), then)| (p.now_values.as_slice(), then.as_slice()))
            .collect();
        let comparisons = test.compare_row(&slices, metric.better());
        for ((index, p), comparison) in members.into_iter().zip(comparisons) {
            changes.push((index, change(p, comparison)));
        }
    }
    changes.sort_by_key(|(index, _)| *index);
    changes.into_iter().map(|(_, change)| change).collect()
}

/// A pair's change: its figures as measured, its comparison with the shift taken out.
fn change(p: &Pair<'_>, comparison: Comparison) -> Change {
    Change {
        backend: p.now.backend.clone(),
        cell: format!(
            "{} {}",
            p.now.workload.kind(),
            p.now.workload.params_label()
        ),
        metric: p.metric,
        before: median(&p.then_values),
        after: median(&p.now_values),
        unit: p
            .now
            .summary
            .as_ref()
            .map_or(String::new(), |s| s.rate_unit.clone()),
        comparison,
    }
}

/// The shift in words: how the run as a whole moved, and the control cell's own move.
pub fn shift_sentence(shift: &Shift) -> String {
    let control = shift.control.as_ref().map_or(String::new(), |(label, c)| {
        format!(
            "; the control cell ({label}, the CPU kernel with no runtime) moved {} ({})",
            crate::format::ratio(c),
            c.outcome.name()
        )
    });
    format!(
        "The run as a whole ran at {}× the baseline's speed (median over {} cells){control}. \
         Each cell is compared with the baseline at that speed, so a change is a cell that \
         moved against the rest, not the machine's day",
        crate::format::number(shift.speed),
        shift.cells
    )
}

/// The changes that are changes: faster or slower beyond the margin.
pub fn changed(changes: &[Change]) -> Vec<&Change> {
    changes
        .iter()
        .filter(|c| matches!(c.comparison.outcome, Outcome::Faster | Outcome::Slower))
        .collect()
}

/// One sentence on the comparison, the same in the terminal, on the page and in
/// summary.md: "no change detected in 98 cells verified in both runs (±5%; 3 inconclusive)",
/// or how many changed, which way.
pub fn headline(changes: &[Change], margin: f64) -> String {
    let count = |o: Outcome| changes.iter().filter(|c| c.comparison.outcome == o).count();
    let margin = crate::format::percent(margin);
    if changes.is_empty() {
        return "no cell verified in both runs, so nothing to compare".into();
    }
    let inconclusive = match count(Outcome::Inconclusive) {
        0 => String::new(),
        n => format!("; {n} inconclusive"),
    };
    match changed(changes).len() {
        0 => format!(
            "no change detected in {} {} verified in both runs (none beyond ±{margin}{inconclusive})",
            changes.len(),
            cells(changes.len())
        ),
        n => format!(
            "{n} of {} {} verified in both runs changed beyond ±{margin}: {} faster, {} slower \
             ({} equivalent{inconclusive})",
            changes.len(),
            cells(changes.len()),
            count(Outcome::Faster),
            count(Outcome::Slower),
            count(Outcome::Equivalent)
        ),
    }
}

/// One line per change: `slower  tokio  fetch requests=…  0.85× [0.80–0.90]` (the
/// before figure as measured, the ratio with the shift taken out).
pub fn change_line(change: &Change) -> String {
    format!(
        "{} {} {}: {} → {}, {}",
        change.metric.word(change.comparison.outcome),
        change.backend,
        change.cell,
        figure(change, change.before),
        figure(change, change.after),
        crate::format::ratio(&change.comparison)
    )
}

/// A before or after figure with its unit: `11.6k tasks/s`, `92.7 ms p99`, `18 µs CPU per
/// request`.
pub fn figure(change: &Change, value: f64) -> String {
    match change.metric {
        Metric::Rate | Metric::Knee => {
            format!("{} {}", crate::format::number(value), change.unit)
        }
        Metric::P99 => format!("{} p99", crate::format::seconds(value / 1e6)),
        Metric::CpuPerRequest => {
            format!("{} CPU per request", crate::format::seconds(value / 1e6))
        }
    }
}

fn cells(n: usize) -> &'static str {
    if n == 1 { "cell" } else { "cells" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quick() -> RunResults {
        serde_json::from_str(include_str!("../tests/fixtures/quick.json")).expect("fixture")
    }

    #[test]
    fn a_run_against_itself_has_no_change() {
        let run = quick();
        let changes = compare(&run, &run, Test::default());
        assert!(!changes.is_empty());
        assert!(changed(&changes).is_empty());
        let said = headline(&changes, 0.05);
        assert!(said.starts_with("no change detected in "), "{said}");
    }

    /// Scales every trial of `cell` as if its work took `factor` of the time (a p99 with
    /// it), and its summary.
    fn scaled(cell: &mut Cell, factor: f64) {
        for trial in &mut cell.trials {
            if let Some(record) = trial.record.as_mut() {
                record.wall_s *= factor;
                record.user_s *= factor;
                record.sys_s *= factor;
                if let Some(ticks) = record.ticks.as_mut() {
                    ticks.lateness_us.p99 = (ticks.lateness_us.p99 as f64 * factor) as u64;
                }
                if let Some(fetch) = record.fetch.as_mut() {
                    for p in [Some(&mut fetch.latency_us), fetch.from_due_us.as_mut()]
                        .into_iter()
                        .flatten()
                    {
                        p.p99 = (p.p99 as f64 * factor) as u64;
                    }
                }
            }
        }
        cell.summary = shootout_core::results::Summary::of(
            &cell.workload,
            &cell.records().collect::<Vec<_>>(),
        );
    }

    #[test]
    fn a_cell_twice_as_fast_is_a_change() {
        let run = quick();
        let mut faster = run.clone();
        let cell = faster
            .cells
            .iter_mut()
            .find(|c| c.summary.is_some() && c.records().count() >= 5)
            .expect("a verified cell");
        let backend = cell.backend.clone();
        scaled(cell, 0.5);
        let changes = compare(&faster, &run, Test::default());
        let moved = changed(&changes);
        assert_eq!(moved.len(), 1, "{}", headline(&changes, 0.05));
        assert_eq!(moved[0].backend, backend);
        assert_eq!(moved[0].comparison.outcome, Outcome::Faster);
        assert!(headline(&changes, 0.05).starts_with("1 of "));
        assert!(change_line(moved[0]).starts_with("faster "));
    }

    #[test]
    fn a_p99_that_doubled_is_a_change_on_the_metric_its_row_is_judged_by() {
        // A blocking cell's tick lateness doubles while its rate stays: worse, not "no
        // change".
        let run = quick();
        let mut later = run.clone();
        let cell = later
            .cells
            .iter_mut()
            .find(|c| {
                c.summary.is_some()
                    && c.workload.kind() == shootout_core::WorkloadKind::Blocking
                    && c.backend == "threads"
            })
            .expect("the threads blocking cell");
        for trial in &mut cell.trials {
            if let Some(ticks) = trial.record.as_mut().and_then(|r| r.ticks.as_mut()) {
                ticks.lateness_us.p99 *= 2;
            }
        }
        let changes = compare(&later, &run, Test::default());
        let moved = changed(&changes);
        assert_eq!(moved.len(), 1, "{}", headline(&changes, 0.05));
        assert_eq!(moved[0].metric, Metric::P99);
        assert!(
            change_line(moved[0]).starts_with("worse threads blocking"),
            "{}",
            change_line(moved[0])
        );
    }

    #[test]
    fn a_machine_twice_as_fast_everywhere_is_a_shift_not_a_change() {
        let run = quick();
        let mut faster = run.clone();
        for cell in faster.cells.iter_mut().filter(|c| c.summary.is_some()) {
            scaled(cell, 0.5);
        }
        let moved = shift(&faster, &run, Test::default()).expect("cells in both");
        assert!((moved.speed - 2.0).abs() < 0.02, "{}", moved.speed);
        let (control, c) = moved.control.as_ref().expect("the sequential cpu cell");
        assert!(control.starts_with("sequential "), "{control}");
        assert_eq!(c.outcome, Outcome::Faster);
        assert!(
            shift_sentence(&moved)
                .starts_with("The run as a whole ran at 2.00× the baseline's speed"),
            "{}",
            shift_sentence(&moved)
        );
        let changes = compare(&faster, &run, Test::default());
        assert!(
            changed(&changes).is_empty(),
            "{:?}",
            changed(&changes).first()
        );
        // The figures are as measured: a rate twice what it was, whatever the shift.
        let rate = changes
            .iter()
            .find(|c| c.metric == Metric::Rate)
            .expect("a cell judged by its rate");
        assert!((rate.after / rate.before - 2.0).abs() < 0.02, "{rate:?}");
    }
}
