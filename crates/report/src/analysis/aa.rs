//! The A/A checks: a cell run twice, against itself.

use shootout_core::results::{AaCheck, RunResults};
use shootout_core::stats::{Better, Comparison};

use super::{Entry, Metric, Options, run_label};

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
