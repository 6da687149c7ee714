//! Changes against a saved run, judged by the same test as the verdicts.

use super::{Context, Section};
use shootout_core::results::RunResults;
use shootout_core::stats::Test;

use super::{table, takeaway};
use crate::baseline::{compare, figure, headline, shift, shift_sentence};
use crate::format::{escape, percent, ratio};

/// The baseline section.
pub fn render(current: &RunResults, baseline: &RunResults, test: Test) -> String {
    let changes = compare(current, baseline, test);
    let moved = shift(current, baseline, test)
        .map(|s| format!(" {}.", shift_sentence(&s)))
        .unwrap_or_default();
    let text = format!(
        "{}{}. Each cell is judged on what its row is judged by (a rate, a p99, CPU per request), \
         by the exact rank interval of now / then against ±{}, Holm-corrected within each \
         group.{moved}",
        headline(&changes, test.margin)[..1].to_uppercase(),
        &headline(&changes, test.margin)[1..],
        percent(test.margin),
    );
    let rows: Vec<Vec<String>> = changes
        .iter()
        .map(|c| {
            vec![
                escape(&c.backend),
                escape(&c.cell),
                escape(&figure(c, c.before)),
                escape(&figure(c, c.after)),
                format!(
                    "{} <span class=\"{}\">{}</span>",
                    escape(&ratio(&c.comparison)),
                    c.comparison.outcome.name(),
                    c.metric.word(c.comparison.outcome)
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
                "now / baseline at the run's speed [95% interval]",
            ],
            &rows,
        )
}

/// The section, as the page lists it.
pub struct Baseline;

impl Section for Baseline {
    fn id(&self) -> &'static str {
        "baseline"
    }

    fn title(&self) -> &'static str {
        "Against the baseline"
    }

    fn shown(&self, ctx: &Context<'_>) -> bool {
        ctx.input.baseline.is_some() && !ctx.input.runs.is_empty()
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        match (ctx.input.baseline, ctx.input.runs.first()) {
            (Some(baseline), Some(current)) => render(current, baseline, ctx.findings.options.test),
            _ => String::new(),
        }
    }
}
