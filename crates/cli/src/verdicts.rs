//! The end of a run in the terminal: the Summary's decision table, one row per rule of
//! thumb, before the per-cell table. Each row names the best backend, the runner-up against
//! it with the interval, and the verdict, coloured when the output is a terminal (and
//! `NO_COLOR` is unset).

use std::io::IsTerminal;

use shootout_core::results::RunResults;
use shootout_report::analysis::{Decision, Verdict};
use shootout_report::findings::{self, Findings};
use shootout_report::format;

/// Whether to colour standard output: a terminal, and no `NO_COLOR` (no-color.org).
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The decision table of `results`, as the page and summary.md compute it.
pub fn render(results: &RunResults, colour: bool) -> String {
    let runs = std::slice::from_ref(results);
    let found = Findings::of(runs, findings::test(runs, None));
    let margin = format::percent(found.options.test.margin);
    lines(&found.decisions, &margin, colour)
}

/// One row per decision: what was best and by how much, then the verdict.
fn lines(decisions: &[Decision], margin: &str, colour: bool) -> String {
    if decisions.is_empty() {
        return String::new();
    }
    let mut out = format!("Summary (medians of interleaved trials, ±{margin} margin):\n");
    for d in decisions {
        out += &format!("  {}: {} ({})\n", d.workload, d.best, d.best_value);
        if let Some(next) = d.versus.first() {
            let c = &next.comparison;
            out += &format!(
                "    runner-up {} at {} of it: {}\n",
                next.label,
                format::ratio(c),
                d.metric.word(c.outcome)
            );
        }
        out += &format!(
            "    {}: {}\n",
            d.rule,
            paint(d.verdict, colour, d.verdict.name())
        );
    }
    out
}

/// `text` in the verdict's colour: green confirmed, yellow does not matter, red
/// contradicted, plain otherwise.
fn paint(verdict: Verdict, colour: bool, text: &str) -> String {
    let code = match verdict {
        Verdict::Confirmed => "32",
        Verdict::DoesNotMatter => "33",
        Verdict::Contradicted => "31",
        Verdict::Inconclusive | Verdict::Open => return text.to_string(),
    };
    if colour {
        format!("\x1b[1;{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quick() -> RunResults {
        serde_json::from_str(include_str!("../../report/tests/fixtures/quick.json"))
            .expect("fixture parses")
    }

    #[test]
    fn every_summary_row_has_its_best_runner_up_and_verdict() {
        let results = quick();
        let runs = std::slice::from_ref(&results);
        let found = Findings::of(runs, findings::test(runs, None));
        let plain = render(&results, false);
        assert!(plain.starts_with("Summary (medians of interleaved trials, ±5% margin):"));
        for d in &found.decisions {
            assert!(
                plain.contains(&format!("  {}: {} (", d.workload, d.best)),
                "{plain}"
            );
            assert!(plain.contains(&format!("{}: {}", d.rule, d.verdict.name())));
        }
        assert!(plain.contains("runner-up"));
        assert!(!plain.contains('\x1b'), "no colour unless asked");
        // Every line fits 100 columns.
        for line in plain.lines() {
            assert!(
                line.chars().count() <= 100,
                "{} columns: {line}",
                line.chars().count()
            );
        }
        let coloured = render(&results, true);
        assert!(
            coloured.contains("\x1b[1;32mconfirmed\x1b[0m"),
            "{coloured}"
        );
    }
}
