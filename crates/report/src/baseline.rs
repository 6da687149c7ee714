//! Comparing a run against a saved one, cell by cell, with the same test as the verdicts:
//! each cell's trials now against its trials then, Holm-corrected within each group of
//! compared cells.

use shootout_core::results::{Cell, RunResults};
use shootout_core::stats::{Better, Comparison, Test};

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
