//! `summary.md`: the decision table as Markdown, to paste into a pull request, with the same
//! outcomes, intervals and caveats as the page.

use shootout_core::results::RunResults;
use shootout_core::stats::Outcome;

use crate::analysis::needed;
use crate::findings::{self, Findings};
use crate::format::ratio;

/// The decision table, the A/A check, the caveats and the machines it was measured on.
pub fn summary(
    findings: &Findings<'_>,
    runs: &[RunResults],
    baseline: Option<&RunResults>,
) -> String {
    let mut out = String::from("## shootout: which backend for which work\n\n");
    if runs.iter().any(|r| !r.complete) {
        out += &format!("**{}**\n\n", crate::html::partial_sentence(runs));
    }
    out += &crate::sections::summary::headline(&findings.decisions);
    out += &decision_table(findings);
    out += &comparisons(findings);
    if !findings.apart.is_empty() {
        out += &format!(
            "\nTimers and schedulers, apart. {}\n\n",
            crate::sections::summary::APART
        );
        for found in &findings.apart {
            out += &format!("- {}\n", crate::words::apart(found));
        }
    }
    if let (Some(baseline), Some(current)) = (baseline, runs.first()) {
        let changes = crate::baseline::compare(current, baseline, findings.options.test);
        out += &format!(
            "\nAgainst the baseline: {}.\n",
            crate::baseline::headline(&changes, findings.options.test.margin)
        );
        if let Some(shift) = crate::baseline::shift(current, baseline, findings.options.test) {
            out += &format!("{}.\n", crate::baseline::shift_sentence(&shift));
        }
        for change in crate::baseline::changed(&changes) {
            out += &format!("- {}\n", crate::baseline::change_line(change));
        }
    }
    out += &caveats(findings, runs);
    out += "\n\nMeasured on:\n\n";
    out += &machines(runs);
    out
}

/// The decision table itself, a row per rule of thumb judged.
fn decision_table(findings: &Findings<'_>) -> String {
    let mut out = String::from(
        "\n\n| workload | cell | best | against the best: ratio [95% interval] | speedup over \
         sequential | rule of thumb | verdict |\n|---|---|---|---|---|---|---|\n",
    );
    for d in &findings.decisions {
        let versus = crate::words::versus_list(&d.versus, d.metric);
        out += &format!(
            "| {} | {} | {} ({}) | {} | {} | {} | **{}**: {} |\n",
            d.workload,
            d.title,
            d.best,
            d.best_value,
            if versus.is_empty() {
                "–".to_string()
            } else {
                versus.join("; ")
            },
            d.speedup,
            d.rule,
            d.verdict.name(),
            d.why()
        );
    }
    out
}

/// io_uring against epoll, the sweeps, and the A/A checks.
fn comparisons(findings: &Findings<'_>) -> String {
    let mut out = String::new();
    if !findings.io_uring.is_empty() {
        out += "\nio_uring runtimes against the epoll runtimes (best against best, shared designs):\n\n";
        for d in &findings.io_uring {
            out += &format!(
                "- {} {}: {} against {}: {} **{}**\n",
                d.workload,
                d.title,
                d.challenger,
                d.holder,
                ratio(&d.comparison),
                d.word()
            );
        }
    }
    if !findings.sweeps.is_empty() {
        out += "\nAlong the sweeps:\n\n";
        for sweep in &findings.sweeps {
            out += &format!("- {}\n", sweep.sentence(findings.options));
        }
    }
    for (what, c) in &findings.aa {
        out += &format!(
            "\nA/A check ({what}): {} **{}**{}\n",
            ratio(c),
            c.outcome.name(),
            if c.outcome == Outcome::Inconclusive {
                format!(" ({})", needed(c))
            } else {
                String::new()
            }
        );
    }
    out
}

/// How the numbers were read and what they cannot show.
fn caveats(findings: &Findings<'_>, runs: &[RunResults]) -> String {
    let mut out = String::from("\n");
    out += &findings::method_sentence(findings.options.test, findings.options.paired);
    out += "\n\n";
    for sentence in findings::order_sentences(runs) {
        out += &sentence;
        out += "\n\n";
    }
    if let Some(sentence) = findings::looks_sentence(runs) {
        out += &sentence;
        out += "\n\n";
    }
    if let Some(sentence) = findings::few_trials_sentence(findings) {
        out += &format!("**{sentence}**\n\n");
    }
    out += &findings::disturbed_sentence(&findings.disturbed);
    out += "\n\n";
    out += &findings::clock_sentence(runs);
    if let Some(sentence) = findings::cores_sentence(runs) {
        out += "\n\n";
        out += &sentence;
    }
    out
}

/// One line per run: the machine, toolchain, profile and commit.
fn machines(runs: &[RunResults]) -> String {
    let mut out = String::new();
    for (i, run) in runs.iter().enumerate() {
        let m = &run.machine;
        out += &format!(
            "{}. {} ({} cores, {} GiB), {}, {} profile, {}, {} per cell{}\n",
            i + 1,
            m.cpu_model,
            m.cores,
            m.memory_bytes >> 30,
            m.rustc,
            run.settings.profile,
            crate::format::counted(run.settings.threads, "worker thread"),
            crate::format::counted(run.settings.trials as u64, "trial"),
            m.git_commit
                .as_ref()
                .map(|c| format!(", commit {}", &c[..c.len().min(10)]))
                .unwrap_or_default()
        );
    }
    out
}
