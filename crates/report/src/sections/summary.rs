//! The decision table: which backend for which work, by how much, and whether the classic
//! advice held.

use shootout_core::results::RunResults;

use super::{table, takeaway};
use crate::analysis::{Decision, Verdict};
use crate::format::escape;
use crate::markdown::verdict;

/// The summary section.
pub fn render(decisions: &[Decision], runs: &[RunResults]) -> String {
    if decisions.is_empty() {
        return takeaway("No workload has two verified backends yet: nothing to compare.");
    }
    let confirmed = decisions
        .iter()
        .filter(|d| d.verdict == Verdict::Confirmed)
        .count();
    let contradicted: Vec<&Decision> = decisions
        .iter()
        .filter(|d| d.verdict == Verdict::Contradicted)
        .collect();
    let mut text = format!(
        "The classic advice (async for I/O, threads for blocking libraries, parallel pools for CPU) held in {confirmed} of {} headline cells.",
        decisions.len()
    );
    for d in &contradicted {
        text += &format!(" Contradicted in {}: {}.", d.workload, d.why);
    }
    let fastest: Vec<String> = decisions
        .iter()
        .map(|d| format!("{}: {}", d.workload, d.best))
        .collect();
    text += &format!(" Best: {}.", fastest.join("; "));
    let rows: Vec<Vec<String>> = decisions
        .iter()
        .map(|d| {
            vec![
                escape(&d.workload),
                escape(&d.title),
                format!("<b>{}</b> ({})", escape(&d.best), escape(&d.best_rate)),
                if d.tied.is_empty() {
                    "–".into()
                } else {
                    escape(&d.tied.join(", "))
                },
                escape(&d.speedup),
                escape(d.rule),
                format!(
                    "<span class=\"{0}\">{0}</span>: {1}",
                    verdict(d.verdict),
                    escape(&d.why)
                ),
            ]
        })
        .collect();
    let mut html = takeaway(&text);
    html += &table(
        &[
            "workload",
            "cell",
            "best",
            "tied with it",
            "speedup over sequential",
            "rule of thumb",
            "verdict",
        ],
        &rows,
    );
    html += "<p class=\"note\">Tied: the backend's trial min..max range overlaps the best's (a simple test: with 3 trials, \
             overlapping ranges mean the difference is within run-to-run noise). Speedups compare median rates; where \
             sequential was skipped, its predicted time is used and marked.</p>\n";
    if runs.iter().any(|r| r.machine.cores <= 2) {
        html += "<p class=\"note\">Measured on 2 cores: parallel speedups cannot exceed 2×, and in fetch the client and \
                 the embedded server share the same cores.</p>\n";
    }
    html
}
