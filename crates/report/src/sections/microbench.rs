//! "Microbenchmarks (cargo bench)": criterion's estimates beside the suite's own, so the
//! two kinds of evidence sit on one page.

use super::{Context, Section};
use super::{table, takeaway};
use crate::format::{escape, seconds};
use crate::microbench::Microbench;

/// The section, or nothing when `cargo bench` has not written results here.
pub fn render(benches: &[Microbench], link: Option<&str>) -> String {
    if benches.is_empty() {
        return String::new();
    }
    let newest = benches.iter().map(|b| b.measured_unix_s).max().unwrap_or(0);
    let oldest = benches.iter().map(|b| b.measured_unix_s).min().unwrap_or(0);
    let when = if crate::format::day(oldest) == crate::format::day(newest) {
        crate::format::day(newest)
    } else {
        format!(
            "{} to {}",
            crate::format::day(oldest),
            crate::format::day(newest)
        )
    };
    let mut groups: Vec<&str> = benches.iter().map(|b| b.group.as_str()).collect();
    groups.dedup();
    let mut html = takeaway(&format!(
        "{} criterion {} in {} {}, from `cargo bench` on {when} (not part of this run: each \
         benchmark repeats one small cell in one process, so its interval is criterion's \
         bootstrap over iterations, not over fresh processes).",
        benches.len(),
        if benches.len() == 1 {
            "benchmark"
        } else {
            "benchmarks"
        },
        groups.len(),
        if groups.len() == 1 { "group" } else { "groups" }
    ));
    let mut seen: Vec<&str> = Vec::new();
    for bench in benches {
        if seen.contains(&bench.group.as_str()) {
            continue;
        }
        seen.push(&bench.group);
        let rows: Vec<Vec<String>> = benches
            .iter()
            .filter(|b| b.group == bench.group)
            .map(|b| {
                vec![
                    escape(&b.id),
                    seconds(b.point_ns / 1e9),
                    format!(
                        "{}–{} ({:.0}%)",
                        seconds(b.low_ns / 1e9),
                        seconds(b.high_ns / 1e9),
                        b.level * 100.0
                    ),
                ]
            })
            .collect();
        html += &format!("<h3>{}</h3>\n", escape(&bench.group));
        html += &table(
            &["benchmark", "time (criterion's estimate)", "interval"],
            &rows,
        );
    }
    if let Some(link) = link {
        html += &format!(
            "<p class=\"note\">criterion's own report, with its plots: <a href=\"{}\">{}</a></p>\n",
            escape(link),
            escape(link)
        );
    }
    html
}

/// The section, as the page lists it.
pub struct Microbenchmarks;

impl Section for Microbenchmarks {
    fn id(&self) -> &'static str {
        "benches"
    }

    fn title(&self) -> &'static str {
        "Microbenchmarks (cargo bench)"
    }

    fn shown(&self, ctx: &Context<'_>) -> bool {
        !ctx.input.benches.is_empty()
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        render(ctx.input.benches, ctx.input.criterion)
    }
}
