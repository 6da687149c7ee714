//! Changes against a saved run, flagged where they exceed the trial spread.

use shootout_core::results::RunResults;

use super::{table, takeaway};
use crate::baseline::compare;
use crate::format::{escape, number, percent};

/// The baseline section.
pub fn render(current: &RunResults, baseline: &RunResults) -> String {
    let changes = compare(current, baseline);
    let significant: Vec<_> = changes.iter().filter(|c| c.significant).collect();
    let text = format!(
        "{} cells verified in both runs; {} changed beyond the noise (trial ranges do not overlap).",
        changes.len(),
        significant.len()
    );
    let rows: Vec<Vec<String>> = changes
        .iter()
        .map(|c| {
            let change = format!(
                "{}{}",
                if c.change >= 0.0 { "+" } else { "" },
                percent(c.change)
            );
            vec![
                escape(&c.backend),
                escape(&c.cell),
                format!("{} {}", number(c.before), escape(&c.unit)),
                format!("{} {}", number(c.after), escape(&c.unit)),
                if c.significant {
                    format!(
                        "<b class=\"{}\">{change}</b>",
                        if c.change >= 0.0 { "ok" } else { "failed" }
                    )
                } else {
                    format!("{change} (noise)")
                },
            ]
        })
        .collect();
    takeaway(&text) + &table(&["backend", "cell", "baseline", "now", "change"], &rows)
}
