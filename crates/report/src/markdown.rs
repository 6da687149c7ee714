//! `summary.md`: the decision table as Markdown, to paste into a pull request.

use shootout_core::results::RunResults;

use crate::analysis::{Decision, Verdict};

/// The decision table and the machines it was measured on.
pub fn summary(decisions: &[Decision], runs: &[RunResults]) -> String {
    let mut out = String::from("## shootout: which backend for which work\n\n");
    out += "| workload | cell | best | tied with it | speedup over sequential | rule of thumb | verdict |\n";
    out += "|---|---|---|---|---|---|---|\n";
    for d in decisions {
        let tied = if d.tied.is_empty() {
            "–".to_string()
        } else {
            d.tied.join(", ")
        };
        out += &format!(
            "| {} | {} | {} ({}) | {} | {} | {} | {}: {} |\n",
            d.workload,
            d.title,
            d.best,
            d.best_rate,
            tied,
            d.speedup,
            d.rule,
            verdict(d.verdict),
            d.why
        );
    }
    out += "\nTied: trial min..max ranges overlap the best's. Measured on:\n\n";
    for (i, run) in runs.iter().enumerate() {
        let m = &run.machine;
        out += &format!(
            "{}. {} ({} cores, {} GiB), {}, {} profile, {} worker threads, {} trials per cell{}\n",
            i + 1,
            m.cpu_model,
            m.cores,
            m.memory_bytes >> 30,
            m.rustc,
            run.settings.profile,
            run.settings.threads,
            run.settings.trials,
            m.git_commit
                .as_ref()
                .map(|c| format!(", commit {}", &c[..c.len().min(10)]))
                .unwrap_or_default()
        );
    }
    out
}

/// `confirmed`, `contradicted`, `open`.
pub fn verdict(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Confirmed => "confirmed",
        Verdict::Contradicted => "contradicted",
        Verdict::Open => "open",
    }
}
