//! Blocking libraries (`call`): each library's calls placed every way, by calls per second,
//! with what the blocking pool does against the same calls inline on each event loop.

use shootout_core::WorkloadKind;

use super::{Context, Section, VERSUS, chart, op_figures, rate_bars, rows, table, takeaway};
use crate::analysis::Entry;
use crate::analysis::{Group, decide_group};
use crate::charts;
use crate::format::{bytes, escape, seconds};
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
             call, a pool of C threads, rayon's W and the process pool's W beside them; the \
             async-library cells switch libraries instead (the shared async HTTP client on \
             the runtime's own stream, tokio-postgres on tokio), and the reqwest (tokio) and \
             sqlx (tokio, smol, async-std) cells switch to the libraries users pick. sqlx's \
             SQLite runs each connection on a thread of its own: a blocking pool by another \
             name. Beside the calls, where the cell asks for one, a latency-sensitive task \
             wakes on a fixed period (a task of the runtime; a thread on the backends of \
             threads; none in the process pool's parent): its p99 lateness is what the \
             calls' placement costs the service's other work. p99 per call is from the \
             worker placing the call to its verified answer back in the worker (the process \
             pool's parts do not time their calls); a backend that keeps fewer in flight \
             makes calls wait for a turn, a wait it leaves out, so compare p99 among cells \
             of the same in-flight count.",
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
            "Threads for blocking libraries, {}: {}.",
            decision.verdict.name(),
            decision.why()
        ));
    }
    let rows = rows(group, runs, 7, |e, s| {
        let mut figures = op_figures(e, s);
        figures.push(per_worker(e).map(bytes).unwrap_or_else(|| "–".into()));
        figures.push(
            ticker_p99_us(e)
                .map(|us| seconds(us / 1e6))
                .unwrap_or_else(|| "–".into()),
        );
        figures
    });
    html += &table(
        &[
            "backend",
            "status",
            "calls/s",
            "p99 per call",
            "in flight",
            "CPU per call",
            "memory per worker",
            "ticker p99 late",
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

/// How late the ticker beside the calls fired, p99, median over the verified trials that
/// ran one, microseconds.
fn ticker_p99_us(entry: &Entry<'_>) -> Option<f64> {
    let mut p99s: Vec<f64> = entry
        .cell
        .trials
        .iter()
        .filter(|t| t.ok)
        .filter_map(|t| t.record.as_ref()?.calls.as_ref()?.tick_late_us.as_ref())
        .map(|late| late.p99 as f64)
        .collect();
    p99s.sort_by(f64::total_cmp);
    p99s.get(p99s.len() / 2).copied()
}

/// What each of the C workers held, median over the verified trials: the memory the run
/// grew by (peak RSS less the RSS before the clock) over C. Every placement keeps C calls
/// outstanding (W of them running inline or on rayon), so the growth over the same C is
/// what differs between placements, not a fixed growth over a smaller count.
fn per_worker(entry: &Entry<'_>) -> Option<f64> {
    let in_flight = entry.cell.workload.call()?.concurrency as f64;
    let mut grown: Vec<f64> = entry
        .cell
        .trials
        .iter()
        .filter(|t| t.ok)
        .filter_map(|t| t.record.as_ref())
        .map(|r| r.peak_rss_bytes.saturating_sub(r.baseline_rss_bytes) as f64 / in_flight)
        .collect();
    grown.sort_by(f64::total_cmp);
    grown.get(grown.len() / 2).copied()
}
