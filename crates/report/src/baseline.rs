//! Comparing a run against a saved one, cell by cell, with the same test as the verdicts:
//! each cell's trials now against its trials then, Holm-corrected within each group of
//! compared cells.

use shootout_core::results::{Cell, RunResults};
use shootout_core::stats::{Better, Comparison, Outcome, Test};

/// One cell present, verified, in both runs.
#[derive(Clone, Debug)]
pub struct Change {
    /// Backend.
    pub backend: String,
    /// Workload and parameters.
    pub cell: String,
    /// Baseline median rate.
    pub before: f64,
    /// Current median rate.
    pub after: f64,
    /// The rate unit.
    pub unit: String,
    /// Now against then: ratio, interval and outcome (faster, slower, equivalent or
    /// inconclusive against the margin).
    pub comparison: Comparison,
}

fn same(a: &Cell, b: &Cell) -> bool {
    a.backend == b.backend && a.workload == b.workload && a.threads == b.threads && a.twin == b.twin
}

/// Every cell verified in both `current` and `baseline`, with its change in rate.
pub fn compare(current: &RunResults, baseline: &RunResults, test: Test) -> Vec<Change> {
    let pairs: Vec<(&Cell, &Cell)> = current
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
        .collect();
    // Holm within each group of compared cells: the family a reader scans together.
    let mut keys: Vec<String> = pairs
        .iter()
        .map(|(c, _)| format!("{} {}", c.workload.kind(), c.workload.comparable(c.threads)))
        .collect();
    keys.sort();
    keys.dedup();
    let mut changes: Vec<(usize, Change)> = Vec::new();
    for key in keys {
        let members: Vec<(usize, &(&Cell, &Cell))> = pairs
            .iter()
            .enumerate()
            .filter(|(_, (c, _))| {
                format!("{} {}", c.workload.kind(), c.workload.comparable(c.threads)) == key
            })
            .collect();
        let values: Vec<(Vec<f64>, Vec<f64>)> = members
            .iter()
            .map(|(_, (now, then))| (now.rates(), then.rates()))
            .collect();
        let slices: Vec<(&[f64], &[f64])> = values
            .iter()
            .map(|(a, b)| (a.as_slice(), b.as_slice()))
            .collect();
        let comparisons = test.compare_row(&slices, Better::Higher);
        for ((index, (now, then)), comparison) in members.into_iter().zip(comparisons) {
            let (now_summary, then_summary) = (
                now.summary.as_ref().expect("filtered"),
                then.summary.as_ref().expect("filtered"),
            );
            changes.push((
                index,
                Change {
                    backend: now.backend.clone(),
                    cell: format!("{} {}", now.workload.kind(), now.workload.params_label()),
                    before: then_summary.rate.median,
                    after: now_summary.rate.median,
                    unit: now_summary.rate_unit.clone(),
                    comparison,
                },
            ));
        }
    }
    changes.sort_by_key(|(index, _)| *index);
    changes.into_iter().map(|(_, change)| change).collect()
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

/// One line per change: `slower  tokio  fetch requests=…  0.85× [0.80–0.90]`.
pub fn change_line(change: &Change) -> String {
    format!(
        "{} {} {}: {} → {} {}, {}",
        change.comparison.outcome.name(),
        change.backend,
        change.cell,
        crate::format::number(change.before),
        crate::format::number(change.after),
        change.unit,
        crate::format::ratio(&change.comparison)
    )
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
        for trial in &mut cell.trials {
            if let Some(record) = trial.record.as_mut() {
                record.wall_s /= 2.0;
            }
        }
        cell.summary = shootout_core::results::Summary::of(
            &cell.workload,
            &cell.records().collect::<Vec<_>>(),
        );
        let changes = compare(&faster, &run, Test::default());
        let moved = changed(&changes);
        assert_eq!(moved.len(), 1, "{}", headline(&changes, 0.05));
        assert_eq!(moved[0].backend, backend);
        assert_eq!(moved[0].comparison.outcome, Outcome::Faster);
        assert!(headline(&changes, 0.05).starts_with("1 of "));
        assert!(change_line(moved[0]).starts_with("faster "));
    }
}
