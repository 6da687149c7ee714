//! Blocking libraries (`call`): each library's calls placed every way, by calls per second,
//! with what the blocking pool does against the same calls inline on each event loop.

use shootout_core::WorkloadKind;
use shootout_core::results::CellStatus;

use super::{Context, Section, VERSUS, chart, rate_bars, row_without_numbers, status, table};
use super::{takeaway, versus};
use crate::analysis::{Group, decide_group};
use crate::charts;
use crate::format::{bytes, escape, number, seconds};
use crate::palette::Palette;

/// The section.
pub struct Calls;

impl Section for Calls {
    fn id(&self) -> &'static str {
        "call"
    }

    fn title(&self) -> &'static str {
        "Blocking libraries: threads, the blocking pool, inline"
    }

    fn needs(&self) -> &'static [WorkloadKind] {
        &[WorkloadKind::Call]
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        let f = ctx.findings;
        let runs = ctx.runs();
        let mut html = takeaway(
            "A real blocking library (ureq against the embedded server, rusqlite on a seeded \
             file, the postgres crate on a seeded table), every answer checked against the \
             seed. On each async runtime the calls run on its blocking pool by default (sized \
             to the calls in flight, up to 512 threads) and, as labelled cells, inline on its \
             workers (the pitfall: a call holds the worker) and in place (tokio); a thread per \
             call, a pool of C threads, rayon's W and the process pool's W beside them.",
        );
        for group in f.groups.iter().filter(|g| g.kind == WorkloadKind::Call) {
            html += &group_html(group, runs, f.options, &ctx.palette);
        }
        html
    }
}

/// One library at one concurrency: its row's verdict, its table and its chart.
fn group_html(
    group: &Group<'_>,
    runs: usize,
    options: crate::analysis::Options,
    palette: &Palette,
) -> String {
    let mut html = format!("<h3>call {}</h3>\n", escape(&group.title));
    if let Some(decision) = decide_group(group, runs, options) {
        html += &takeaway(&format!(
            "Threads for blocking libraries: {}. {}.",
            decision.verdict.name(),
            decision.why()
        ));
    }
    let rows: Vec<Vec<String>> = group
        .entries
        .iter()
        .map(|e| match (&e.cell.summary, e.cell.status) {
            (Some(s), CellStatus::Ok) => {
                let calls = s.rate.median * s.wall_s.median;
                let cpu_per_call = (calls > 0.0).then(|| s.cpu_s.median / calls);
                vec![
                    escape(&e.mode_label(runs)),
                    status(e),
                    number(s.rate.median),
                    e.cell.in_flight.map(|n| n.to_string()).unwrap_or_default(),
                    cpu_per_call.map(seconds).unwrap_or_default(),
                    bytes(s.peak_rss_bytes.median),
                    versus(group, e),
                ]
            }
            _ => row_without_numbers(e, runs, &[], 4),
        })
        .collect();
    html += &table(
        &[
            "backend",
            "status",
            "calls/s",
            "in flight",
            "CPU per call",
            "peak RSS",
            VERSUS,
        ],
        &rows,
    );
    html += &chart(charts::bars(
        &format!("call {} (calls/s)", group.title),
        "calls/s",
        &rate_bars(group, runs, palette),
    ));
    html
}
