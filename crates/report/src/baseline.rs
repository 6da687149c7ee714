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
    /// The metric's unit.
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

/// The verified trials' values of the cell's metric, and the metric.
fn judged(cell: &Cell) -> (Metric, Vec<f64>) {
    let metric = Metric::of(&cell.workload);
    (metric, Entry { run: 0, cell }.values(metric, false))
}

/// Every cell verified in both runs, with the metric it is judged by.
fn pairs<'a>(current: &'a RunResults, baseline: &'a RunResults) -> Vec<(&'a Cell, &'a Cell)> {
    current
        .cells
        .iter()
        .filter(|cell| cell.summary.is_some())
        .filter_map(|cell| {
            let then = baseline
                .cells
                .iter()
                .find(|b| same(b, cell) && b.summary.is_some())?;
            Some((cell, then))
        })
        .filter(|(now, then)| !judged(now).1.is_empty() && !judged(then).1.is_empty())
        .collect()
}

/// Speed now over then from two sets of a metric's values (medians).
fn speed(metric: Metric, now: &[f64], then: &[f64]) -> Option<f64> {
    let median = |v: &[f64]| Spread::of(v.iter().copied()).map(|s| s.median);
    let (now, then) = (median(now)?, median(then)?);
    let ratio = match metric.better() {
        Better::Higher => now / then,
        Better::Lower => then / now,
    };
    ratio.is_finite().then_some(ratio)
}

/// The run-wide shift of `current` against `baseline` ([`Shift`]).
pub fn shift(current: &RunResults, baseline: &RunResults, test: Test) -> Option<Shift> {
    let pairs = pairs(current, baseline);
    let speeds: Vec<f64> = pairs
        .iter()
        .filter_map(|(now, then)| {
            let (metric, now) = judged(now);
            speed(metric, &now, &judged(then).1)
        })
        .collect();
    let median = Spread::of(speeds.iter().copied())?.median;
    let control = pairs
        .iter()
        .find(|(now, _)| {
            now.backend == "sequential" && now.workload.kind() == shootout_core::WorkloadKind::Cpu
        })
        .and_then(|(now, then)| {
            let (metric, values) = judged(now);
            let comparison = test
                .compare_row(&[(&values[..], &judged(then).1[..])], metric.better())
                .pop()?;
            Some((
                format!("{} {}", now.backend, now.workload.params_label()),
                comparison,
            ))
        });
    Some(Shift {
        speed: median,
        cells: speeds.len(),
        control,
    })
}

/// Every cell verified in both `current` and `baseline`, with its change on the metric it
/// is judged by, the run-wide [`shift`] taken out.
pub fn compare(current: &RunResults, baseline: &RunResults, test: Test) -> Vec<Change> {
    let pairs = pairs(current, baseline);
    let speed = shift(current, baseline, test).map_or(1.0, |s| s.speed);
    // Holm within each group of compared cells: the family a reader scans together.
    let key = |c: &Cell| format!("{} {}", c.workload.kind(), c.workload.comparable(c.threads));
    let mut keys: Vec<String> = pairs.iter().map(|(c, _)| key(c)).collect();
    keys.sort();
    keys.dedup();
    let mut changes: Vec<(usize, Change)> = Vec::new();
    for group in keys {
        let members: Vec<(usize, &(&Cell, &Cell))> = pairs
            .iter()
            .enumerate()
            .filter(|(_, (c, _))| key(c) == group)
            .collect();
        let metric = Metric::of(&members[0].1.0.workload);
        // Then, as it would read at now's speed.
        let at_speed = |v: f64| match metric.better() {
            Better::Higher => v * speed,
            Better::Lower => v / speed,
        };
        let values: Vec<(Vec<f64>, Vec<f64>)> = members
            .iter()
            .map(|(_, (now, then))| {
                let then: Vec<f64> = judged(then).1.into_iter().map(at_speed).collect();
                (judged(now).1, then)
            })
            .collect();
        let slices: Vec<(&[f64], &[f64])> = values
            .iter()
            .map(|(a, b)| (a.as_slice(), b.as_slice()))
            .collect();
        let comparisons = test.compare_row(&slices, metric.better());
        for (((index, (now, _)), (now_values, then_values)), comparison) in
            members.into_iter().zip(&values).zip(comparisons)
        {
            let median = |v: &[f64]| Spread::of(v.iter().copied()).map_or(0.0, |s| s.median);
            let unit = match metric {
                Metric::Rate => now
                    .summary
                    .as_ref()
                    .map_or(String::new(), |s| s.rate_unit.clone()),
                Metric::CpuPerRequest => "µs CPU per request".into(),
                Metric::P99 | Metric::Knee => "µs p99".into(),
            };
            changes.push((
                index,
                Change {
                    backend: now.backend.clone(),
                    cell: format!("{} {}", now.workload.kind(), now.workload.params_label()),
                    metric,
                    before: median(then_values),
                    after: median(now_values),
                    unit,
                    comparison,
                },
            ));
        }
    }
    changes.sort_by_key(|(index, _)| *index);
    changes.into_iter().map(|(_, change)| change).collect()
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
    }
}
