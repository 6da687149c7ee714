//! Comparing a run against a saved one, cell by cell.

use shootout_core::results::{Cell, RunResults};

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
    /// after / before - 1.
    pub change: f64,
    /// The trial ranges do not overlap: the change is larger than the noise.
    pub significant: bool,
}

fn same(a: &Cell, b: &Cell) -> bool {
    a.backend == b.backend && a.workload == b.workload && a.threads == b.threads
}

/// Every cell verified in both `current` and `baseline`, with its change in rate.
pub fn compare(current: &RunResults, baseline: &RunResults) -> Vec<Change> {
    current
        .cells
        .iter()
        .filter_map(|cell| {
            let now = cell.summary.as_ref()?;
            let then = baseline
                .cells
                .iter()
                .find(|b| same(b, cell))?
                .summary
                .as_ref()?;
            Some(Change {
                backend: cell.backend.clone(),
                cell: format!("{} {}", cell.workload.kind(), cell.workload.params_label()),
                before: then.rate.median,
                after: now.rate.median,
                unit: now.rate_unit.clone(),
                change: now.rate.median / then.rate.median - 1.0,
                significant: !now.rate.overlaps(&then.rate),
            })
        })
        .collect()
}
