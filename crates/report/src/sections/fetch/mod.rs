//! The fetch section: req/s with min..max, latency percentiles, efficiency, and req/s
//! and p99 against concurrency. The takeaway is in `headline`, the scaling charts in
//! `sweep`, and who kept every request in flight and led on p99 in `p99`.

mod headline;
mod p99;
mod sweep;

use crate::palette::Palette;
use crate::sections::{Context, Section};
use shootout_core::{FetchSpec, Workload, WorkloadKind};

use super::{
    VERSUS, chart, designs, idiom_costs, rate_bars, row_without_numbers, status, table, takeaway,
    too_few, versus,
};
use crate::analysis::{Entry, Group, Metric, Options};
use crate::charts::{self, Bar};
use crate::format::{escape, number, percent, percentile, seconds};
use crate::sweeps::Sweep;
use shootout_core::results::Reading;

fn spec<'a>(entry: &Entry<'a>) -> &'a FetchSpec {
    match &entry.cell.workload {
        Workload::Fetch(spec) => spec,
        _ => unreachable!("fetch groups hold fetch cells"),
    }
}

/// The fetch section.
pub fn render(
    groups: &[Group<'_>],
    runs: usize,
    sweeps: &[Sweep],
    options: Options,
    pinned: bool,
    palette: &Palette,
) -> String {
    let fetches: Vec<&Group<'_>> = groups
        .iter()
        .filter(|g| g.kind == WorkloadKind::Fetch)
        .collect();
    if fetches.is_empty() {
        return takeaway("No fetch cells in these results.");
    }
    let mut html = takeaway(&headline::headline(&fetches, runs, pinned));
    html += &sweep::sweep(&fetches, runs, sweeps, palette);
    for group in fetches {
        html += &format!("<h3>{}</h3>\n", escape(&group.title));
        let rows: Vec<Vec<String>> = group.entries.iter().map(|e| row(group, e, runs)).collect();
        html += &table(
            &[
                "backend",
                "status",
                "requests",
                "req/s (median)",
                "min..max",
                "p50",
                "p99",
                "p99.9",
                "efficiency",
                "client CPU per request",
                "server CPU",
                VERSUS,
                "note",
            ],
            &rows,
        );
        html += &format!(
            "<p class=\"note\">Compared by {}.</p>\n",
            match group.metric {
                Metric::CpuPerRequest => {
                    "the client's CPU time per request (lower is better; only cells that held \
                     the concurrency asked), the cost of a concurrent wait: every design that \
                     keeps C requests in flight reaches the same throughput"
                }
                _ => "requests per second",
            }
        );
        html += &too_few(group, |s| s.latency_us.as_ref(), &[0.5, 0.99, 0.999]);
        html += &idiom_costs(group, runs, options);
        html += &designs(group, runs, "The client");
        html += &chart(charts::bars(
            "requests per second (bars: median, whiskers: min..max)",
            "req/s",
            &rate_bars(group, runs, palette),
        ));
        html += &chart(charts::bars(
            "latency percentiles (median over trials)",
            "milliseconds",
            &latency_bars(group, runs, palette),
        ));
    }
    html
}

fn row(group: &Group<'_>, e: &Entry<'_>, runs: usize) -> Vec<String> {
    let requests = e
        .cell
        .workload
        .fitted()
        .unwrap_or_else(|| spec(e).requests.to_string());
    match &e.cell.summary {
        Some(s) => {
            let l = s.latency_us.as_ref();
            vec![
                escape(&e.mode_label(runs)),
                status(e),
                requests,
                number(s.rate.median),
                format!("{}..{}", number(s.rate.min), number(s.rate.max)),
                l.map(|l| percentile(l, 0.5)).unwrap_or_default(),
                l.map(|l| percentile(l, 0.99)).unwrap_or_default(),
                l.map(|l| percentile(l, 0.999)).unwrap_or_default(),
                s.efficiency
                    .map(|x| percent(x.median))
                    .unwrap_or_else(|| "–".into()),
                cpu_per_request(e),
                s.server_cores
                    .map(|x| format!("{} of a core", percent(x.median)))
                    .unwrap_or_else(|| "–".into()),
                versus(group, e),
                s.bound
                    .map(|bound| format!("<b>{}</b>", bound.name()))
                    .unwrap_or_default(),
            ]
        }
        None => row_without_numbers(e, runs, &[requests], 9),
    }
}

/// The client's CPU time per request, median over the trials.
fn cpu_per_request(e: &Entry<'_>) -> String {
    let values = e
        .cell
        .records()
        .filter_map(|r| r.fetch.as_ref()?.cpu_per_request_s(r.user_s + r.sys_s));
    shootout_core::stats::Spread::of(values).map_or_else(|| "–".into(), |s| seconds(s.median))
}

fn latency_bars(group: &Group<'_>, runs: usize, palette: &Palette) -> Vec<Bar> {
    let mut bars = Vec::new();
    for e in group.ok() {
        let Some(l) = e.cell.summary.as_ref().and_then(|s| s.latency_us.as_ref()) else {
            continue;
        };
        for (name, q) in [("p50", 0.5), ("p99", 0.99), ("p99.9", 0.999)] {
            // A percentile read from too few samples is drawn as the max it is.
            let (name, spread) = match l.reading(q) {
                Reading::Percentile(spread) => (name, spread),
                Reading::Max(spread) => ("max", spread),
            };
            bars.push(Bar {
                label: format!("{} {name}", e.mode_label(runs)),
                median: spread.median / 1e3,
                min: spread.min / 1e3,
                max: spread.max / 1e3,
                colour: palette.colour(&e.cell.backend),
            });
        }
    }
    bars
}

/// The section, as the page lists it.
pub struct Fetch;

impl Section for Fetch {
    fn id(&self) -> &'static str {
        "fetch"
    }

    fn title(&self) -> &'static str {
        "fetch: HTTP over loopback"
    }

    fn needs(&self) -> &'static [WorkloadKind] {
        &[WorkloadKind::Fetch]
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        let f = ctx.findings;
        let pinned = ctx.input.runs.iter().all(|r| r.settings.pin.is_some());
        render(
            &f.groups,
            ctx.runs(),
            &f.sweeps,
            f.options,
            pinned,
            &ctx.palette,
        )
    }
}
