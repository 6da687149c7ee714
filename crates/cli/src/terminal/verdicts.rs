//! The end of a run in the terminal: the Summary's decision table, one row per rule of
//! thumb, before the per-cell table. Each row names the best backend, the runner-up against
//! it with the interval, and the verdict, coloured when the output is a terminal (and
//! `NO_COLOR` is unset).

use std::io::IsTerminal;

use shootout_core::results::RunResults;
use shootout_report::analysis::{Decision, Verdict};
use shootout_report::findings::{self, Findings};
use shootout_report::{format, words};

/// Whether to colour standard output: a terminal, and no `NO_COLOR` (no-color.org).
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The decision table of `results`, as the page and summary.md compute it, each row
/// wrapped to `width` columns.
pub fn render(results: &RunResults, colour: bool, width: usize) -> String {
    let runs = std::slice::from_ref(results);
    let found = Findings::of(runs, findings::test(runs, None));
    let margin = format::percent(found.options.test.margin);
    lines(&found.decisions, &margin, colour, width)
}

/// One row per decision, hyperfine-style: the verdict, the workload and its rule of thumb,
/// the best backend, the runner-up against it with the interval, and what would decide an
/// open comparison. Rows longer than `width` continue on indented lines.
fn lines(decisions: &[Decision], margin: &str, colour: bool, width: usize) -> String {
    if decisions.is_empty() {
        return String::new();
    }
    let mut out = wrap(
        "",
        &format!(
            "Summary: the rule of thumb per workload, judged on medians of interleaved trials; \
             the runner-up as a ratio of the best with its 95% interval, ±{margin} margin"
        ),
        width,
        0,
    );
    // Where each row's text starts: after the longest verdict of the table.
    let column = 4 + decisions
        .iter()
        .map(|d| d.verdict.name().chars().count())
        .max()
        .unwrap_or(0);
    for d in decisions {
        let text = words::row(d);
        let prefix = format!("  {:<w$}", d.verdict.name(), w = column - 2);
        let wrapped = wrap(&prefix, &text, width, column);
        // Colour after wrapping, so escape codes never count as columns.
        out += &wrapped.replacen(
            d.verdict.name(),
            &paint(d.verdict, colour, d.verdict.name()),
            1,
        );
    }
    out
}

/// `prefix` then `text` broken at spaces into lines of at most `width` columns, every line
/// after the first indented by `indent`; a word longer than a line is cut.
pub fn wrap(prefix: &str, text: &str, width: usize, indent: usize) -> String {
    let mut lines: Vec<String> = vec![prefix.to_string()];
    // Whether the last line holds no word yet, only its prefix or indent.
    let mut fresh = true;
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        if !fresh && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(format!("{}{word}", " ".repeat(indent)));
        } else {
            if !fresh {
                line.push(' ');
            }
            line.push_str(word);
        }
        fresh = false;
    }
    lines
        .iter()
        .map(|line| format!("{}\n", crate::lines::fit(line, width)))
        .collect()
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

    use crate::fixtures::quick;

    #[test]
    fn every_summary_row_has_its_best_runner_up_and_verdict_at_80_and_100_columns() {
        let results = quick();
        let runs = std::slice::from_ref(&results);
        let found = Findings::of(runs, findings::test(runs, None));
        assert!(found.decisions.len() >= 4, "the fixture has the quick rows");
        for width in [80, 100] {
            let plain = render(&results, false, width);
            assert!(plain.starts_with("Summary: the rule of thumb per workload"));
            for line in plain.lines() {
                assert!(
                    line.chars().count() <= width,
                    "{} columns > {width}: {line}",
                    line.chars().count()
                );
            }
            // Each row opens with its verdict in the verdict column, then the workload,
            // its rule and the best backend; its continuations hang under the text.
            let column = 4 + found
                .decisions
                .iter()
                .map(|d| d.verdict.name().len())
                .max()
                .unwrap();
            let rows: Vec<&str> = plain
                .lines()
                .skip_while(|l| !l.starts_with("  "))
                .filter(|l| !l.starts_with(&" ".repeat(column)))
                .collect();
            assert_eq!(rows.len(), found.decisions.len(), "{plain}");
            for (row, d) in rows.iter().zip(&found.decisions) {
                let opening = format!(
                    "  {:<w$}{} ({}): {}",
                    d.verdict.name(),
                    d.workload,
                    d.rule,
                    d.best,
                    w = column - 2
                );
                let joined = plain.replace(&format!("\n{}", " ".repeat(column)), " ");
                assert!(joined.contains(&opening), "{opening} not in {plain}");
                assert!(row.starts_with(&format!("  {}", d.verdict.name())));
            }
            // The runner-up with its interval, once per row that has one.
            let joined = plain.replace(&format!("\n{}", " ".repeat(column)), " ");
            for d in &found.decisions {
                if let Some(next) = d.versus.first() {
                    let said = format!(
                        "runner-up {} {}",
                        next.label,
                        format::ratio(&next.comparison)
                    );
                    assert!(joined.contains(&said), "{said} not in {joined}");
                }
            }
            assert!(!plain.contains('\x1b'), "no colour unless asked");
        }
        let coloured = render(&results, true, 100);
        assert!(
            coloured.contains("\x1b[1;32mconfirmed\x1b[0m"),
            "{coloured}"
        );
    }

    #[test]
    fn wrapping_keeps_words_whole_and_hangs_continuations() {
        assert_eq!(wrap("> ", "aa bb cc", 7, 2), "> aa bb\n  cc\n");
        assert_eq!(wrap("", "abcdefghij", 5, 0), "abcd…\n");
    }
}
