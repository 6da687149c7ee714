//! Changes against a saved run, judged by the same test as the verdicts.

use shootout_core::results::RunResults;
use shootout_core::stats::{Outcome, Test};

use super::{table, takeaway};
use crate::baseline::compare;
use crate::format::{escape, number, percent, ratio};

/// The baseline section.
pub fn render(current: &RunResults, baseline: &RunResults, test: Test) -> String {
    let changes = compare(current, baseline, test);
    let count = |o: Outcome| changes.iter().filter(|c| c.comparison.outcome == o).count();
    let text = format!(
        "{} cells verified in both runs: {} faster and {} slower now beyond ±{}, {} equivalent, {} inconclusive \
         (the exact rank interval of now / then, Holm-corrected within each group; runs on different days also \
         differ by the machine's drift, which interleaving cannot remove across runs).",
        changes.len(),
        count(Outcome::Faster),
        count(Outcome::Slower),
        percent(test.margin),
        count(Outcome::Equivalent),
        count(Outcome::Inconclusive),
    );
    let rows: Vec<Vec<String>> = changes
        .iter()
        .map(|c| {
            vec![
                escape(&c.backend),
                escape(&c.cell),
                format!("{} {}", number(c.before), escape(&c.unit)),
                format!("{} {}", number(c.after), escape(&c.unit)),
                format!(
                    "{} <span class=\"{1}\">{1}</span>",
                    escape(&ratio(&c.comparison)),
                    c.comparison.outcome.name()
                ),
            ]
        })
        .collect();
    takeaway(&text)
        + &table(
            &[
                "backend",
                "cell",
                "baseline",
                "now",
                "now / baseline [95% interval]",
            ],
            &rows,
        )
}
