//! Every failed trial with its reason, and every skipped cell with its prediction.

use super::{Context, Section};
use shootout_core::results::{CellStatus, RunResults};

use super::{table, takeaway};
use crate::format::{counted, escape, seconds};

/// The failures section.
pub fn render(runs: &[RunResults]) -> String {
    let mut failed = Vec::new();
    let mut skipped = Vec::new();
    for (run, results) in runs.iter().enumerate() {
        let label = |backend: &str| {
            if runs.len() > 1 {
                format!("[{}] {backend}", run + 1)
            } else {
                backend.to_string()
            }
        };
        for cell in &results.cells {
            let what = format!("{} {}", cell.workload.kind(), cell.workload.params_label());
            if cell.status == CellStatus::Skipped {
                skipped.push(vec![
                    escape(&label(&cell.backend)),
                    escape(&what),
                    cell.predicted_s.map(seconds).unwrap_or_else(|| "–".into()),
                    escape(cell.reason.as_deref().unwrap_or("")),
                ]);
            }
            for trial in cell.trials.iter().filter(|t| !t.ok) {
                let stderr = trial
                    .stderr_tail
                    .as_deref()
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| {
                        format!(
                            "<details><summary>stderr</summary><pre>{}</pre></details>",
                            escape(s)
                        )
                    })
                    .unwrap_or_default();
                failed.push(vec![
                    escape(&label(&cell.backend)),
                    escape(&what),
                    trial.index.to_string(),
                    escape(&trial.exit),
                    format!("{}{stderr}", escape(trial.failure.as_deref().unwrap_or(""))),
                ]);
            }
        }
    }
    let mut html = takeaway(&format!(
        "{} and {}; none is dropped silently.",
        counted(failed.len() as u64, "failed trial"),
        counted(skipped.len() as u64, "skipped cell")
    ));
    if !failed.is_empty() {
        html += &table(&["backend", "cell", "trial", "exit", "reason"], &failed);
    }
    if !skipped.is_empty() {
        html += &table(
            &["backend", "cell", "predicted per trial", "why skipped"],
            &skipped,
        );
    }
    html
}

/// The section, as the page lists it.
pub struct Failures;

impl Section for Failures {
    fn id(&self) -> &'static str {
        "failures"
    }

    fn title(&self) -> &'static str {
        "Failures and skipped cells"
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        render(ctx.input.runs)
    }
}
