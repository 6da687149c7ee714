//! The blocking section: how late latency-sensitive tasks wake while CPU jobs run, with
//! the jobs on the async workers (the pitfall) and offloaded, side by side per backend.

use super::{Context, Section};
use crate::palette::Palette;
use shootout_core::results::{Cell, Reading, RunResults, TickReport};
use shootout_core::stats::Spread;
use shootout_core::{BlockingMode, BlockingSpec, Workload, WorkloadKind};

use super::{chart, row_without_numbers, status, table, takeaway, too_few, versus};
use crate::analysis::{Entry, Family, Group};
use crate::charts::{self, Bar, LineChart, Series, Stroke};
use crate::format::{count, escape, number, percentile, seconds};
use crate::sweeps::Sweep;

fn spec(cell: &Cell) -> &BlockingSpec {
    match &cell.workload {
        Workload::Blocking(spec) => spec,
        _ => unreachable!("blocking groups hold blocking cells"),
    }
}

/// One field of the verified trials' tick reports, as a spread.
fn tick_spread(cell: &Cell, pick: fn(&TickReport) -> f64) -> Option<Spread> {
    cell.summary.as_ref()?;
    Spread::of(
        cell.trials
            .iter()
            .filter(|t| t.ok)
            .filter_map(|t| t.record.as_ref()?.ticks.as_ref())
            .map(pick),
    )
}

/// Median p99 tick lateness of a verified cell, seconds.
fn p99_s(cell: &Cell) -> Option<f64> {
    Some(crate::analysis::p99_us(cell)?.median / 1e6)
}

/// The blocking section.
pub fn render(
    groups: &[Group<'_>],
    all: &[RunResults],
    sweeps: &[Sweep],
    palette: &Palette,
) -> String {
    let runs = all.len();
    let blocking: Vec<&Group<'_>> = groups
        .iter()
        .filter(|g| g.kind == WorkloadKind::Blocking)
        .collect();
    if blocking.is_empty() {
        return takeaway("No blocking cells in these results.");
    }
    let mut html = String::from(
        "<p>Tickers wake on absolute 1 ms deadlines while CPU jobs run; a tick's lateness is \
         how long after its deadline it ran (a ticker that was held fires its missed ticks at \
         once, each counted with its full lateness). <b>inline</b> runs each job as an \
         ordinary task on the async workers: the blocked event loop of the tutorials. \
         <b>offload</b> hands it to the runtime's blocking pool (each backend's call is in its \
         settings under Backends); <b>rayon</b> hands it to a rayon pool of W threads and \
         awaits the answer on a oneshot channel; <b>block-in-place</b>, where a runtime offers \
         it, keeps the job on the worker and hands the worker's queue to a replacement thread \
         from the blocking pool (capped at W here), and that thread is free to pick up the next \
         job task, so with more job tasks than workers the tickers can still wait. A backend \
         with no event loop (the OS threads family) runs its jobs as OS threads next to the \
         tickers' threads, preempted by the kernel: the control. On 2 cores the offloaded jobs still compete with the tickers for CPU \
         time, so offloaded lateness includes the OS scheduler's.</p>\n",
    );
    html += &job_length_chart(&blocking, runs, sweeps, palette);
    for group in blocking {
        html += &render_group(group, all, palette);
    }
    html
}

/// Entries by run, then backend, then mode: a backend's modes side by side.
fn side_by_side<'g, 'a>(group: &'g Group<'a>, palette: &Palette) -> Vec<&'g Entry<'a>> {
    let mut entries: Vec<&Entry<'a>> = group.entries.iter().collect();
    entries.sort_by_key(|e| {
        let mode = BlockingMode::ALL
            .iter()
            .position(|&m| m == spec(e.cell).mode);
        (e.run, palette.position(&e.cell.backend), mode)
    });
    entries
}

fn render_group(group: &Group<'_>, all: &[RunResults], palette: &Palette) -> String {
    let runs = all.len();
    let first = spec(group.entries[0].cell);
    let job_elements = first.n / first.jobs.max(1);
    let mut html = format!("<h3>{}</h3>\n", escape(&group.title));
    html += &takeaway(&headline(group, runs));
    let rows: Vec<Vec<String>> = side_by_side(group, palette)
        .into_iter()
        .map(|e| {
            let mode = spec(e.cell).mode.to_string();
            match (
                &e.cell.summary,
                &e.cell.summary.as_ref().and_then(|s| s.latency_us.clone()),
            ) {
                (Some(s), Some(late)) => {
                    let cpu_done = tick_spread(e.cell, |t| t.cpu_done_s);
                    let ticks_done = tick_spread(e.cell, |t| t.ticks_done_s);
                    vec![
                        escape(&e.label(runs)),
                        status(e),
                        escape(&mode),
                        seconds(late.p50.median / 1e6),
                        all[e.run]
                            .timer(&e.cell.backend)
                            .and_then(|t| t.p50_us)
                            .map(|idle| seconds((late.p50.median - idle.median).max(0.0) / 1e6))
                            .unwrap_or_else(|| "–".into()),
                        percentile(late, 0.99),
                        {
                            let (Reading::Percentile(p99) | Reading::Max(p99)) = late.reading(0.99);
                            format!("{}..{}", seconds(p99.min / 1e6), seconds(p99.max / 1e6))
                        },
                        seconds(late.max.median / 1e6),
                        cpu_done.map_or("–".into(), |c| seconds(c.median)),
                        ticks_done.map_or("–".into(), |t| seconds(t.median)),
                        number(s.rate.median),
                        versus(group, e),
                        String::new(),
                    ]
                }
                _ => row_without_numbers(e, runs, &[escape(&mode)], 9),
            }
        })
        .collect();
    html += &table(
        &[
            "backend",
            "status",
            "mode",
            "lateness p50",
            "p50 net of idle timer",
            "p99",
            "p99 min..max",
            "max",
            "CPU done at",
            "last tick at",
            "Gelem/s",
            "p99 against the best [95% interval]",
            "note",
        ],
        &rows,
    );
    html += &too_few(group, |s| s.latency_us.as_ref(), &[0.5, 0.99]);
    html += &format!(
        "<p>{} elements per job ({} jobs over {} workers); the tick window is {} ticks × {} µs. \
         \"CPU done at\" and \"last tick at\" are medians from the start of the run: a last tick \
         long after the window means ticks waited for the CPU work.</p>\n",
        count(job_elements as f64),
        first.jobs,
        group.entries[0].cell.threads,
        first.ticks,
        first.tick_us
    );
    let bars: Vec<Bar> = side_by_side(group, palette)
        .into_iter()
        .filter(|e| e.cell.summary.is_some())
        .filter_map(|e| {
            let late = e.cell.summary.as_ref()?.latency_us.as_ref()?;
            let (label, p99) = match late.reading(0.99) {
                Reading::Percentile(p99) => (e.mode_label(runs), p99),
                Reading::Max(max) => (format!("{} (max)", e.mode_label(runs)), max),
            };
            Some(Bar {
                label,
                median: p99.median / 1e3,
                min: p99.min / 1e3,
                max: p99.max / 1e3,
                colour: palette.colour(&e.cell.backend),
            })
        })
        .collect();
    html += &chart(charts::bars(
        &format!("p99 tick lateness, {} per job", count(job_elements as f64)),
        "ms (lower is better)",
        &bars,
    ));
    html
}

/// `42× less` offloaded than inline, `1.5× more`, or `within 5%`: worded for a ratio on
/// either side of 1 (descriptive medians, so 5% is the verdicts' margin, not a test).
fn times_less(inline_over_offload: f64) -> String {
    let r = inline_over_offload;
    if (1.0 / 1.05..=1.05).contains(&r) {
        "within 5% of each other".into()
    } else if r > 1.0 {
        format!("{}× less", number(r))
    } else {
        format!("{}× more", number(1.0 / r))
    }
}

/// Pitfall against offloaded, per backend that ran both, from the data.
fn headline(group: &Group<'_>, runs: usize) -> String {
    let find = |entry: &Entry<'_>, mode| group.in_mode(entry, mode).and_then(|e| p99_s(e.cell));
    let mut parts = Vec::new();
    for entry in group
        .ok()
        .filter(|e| spec(e.cell).mode == BlockingMode::Inline)
    {
        let Some(inline) = p99_s(entry.cell) else {
            continue;
        };
        let rayon = find(entry, BlockingMode::Rayon)
            .map(|r| format!(", {} via rayon", seconds(r)))
            .unwrap_or_default();
        match find(entry, BlockingMode::Offload) {
            Some(offload) if offload > 0.0 => parts.push(format!(
                "{} p99 {} inline against {} offloaded ({}){rayon}",
                entry.label(runs),
                seconds(inline),
                seconds(offload),
                times_less(inline / offload)
            )),
            _ => parts.push(format!(
                "{} p99 {} ({})",
                entry.label(runs),
                seconds(inline),
                if entry.cell.family() == Family::Threads {
                    "no event loop: the OS preempts"
                } else {
                    "inline only"
                }
            )),
        }
    }
    for entry in group
        .ok()
        .filter(|e| spec(e.cell).mode == BlockingMode::BlockInPlace)
    {
        if let Some(p99) = p99_s(entry.cell) {
            parts.push(format!(
                "{} block_in_place p99 {}",
                entry.label(runs),
                seconds(p99)
            ));
        }
    }
    if parts.is_empty() {
        return "Not enough verified cells to compare inline with offloaded.".into();
    }
    format!("Tick lateness: {}.", parts.join("; "))
}

/// With several job lengths (full profile): p99 lateness against elements per job, one
/// line per backend and mode.
fn job_length_chart(
    groups: &[&Group<'_>],
    runs: usize,
    sweeps: &[Sweep],
    palette: &Palette,
) -> String {
    if groups.len() < 2 {
        return String::new();
    }
    let mut series: Vec<Series> = Vec::new();
    for group in groups {
        for entry in group.ok() {
            let Some(p99) = p99_s(entry.cell) else {
                continue;
            };
            let spec = spec(entry.cell);
            let x = spec.n as f64 / spec.jobs.max(1) as f64;
            let name = entry.mode_label(runs);
            match series.iter_mut().find(|s| s.name == name) {
                Some(s) => s.points.push((x, (p99 * 1e3).max(1e-3))),
                None => series.push(Series {
                    name,
                    points: vec![(x, (p99 * 1e3).max(1e-3))],
                    colour: palette.colour(&entry.cell.backend),
                    // A backend keeps its colour; the mode sets the pattern.
                    stroke: match spec.mode {
                        BlockingMode::Inline => Stroke::Solid,
                        BlockingMode::Offload => Stroke::Dashed,
                        BlockingMode::Rayon => Stroke::Dotted,
                        BlockingMode::BlockInPlace => Stroke::Sparse,
                    },
                }),
            }
        }
    }
    series.retain(|s| s.points.len() >= 2);
    if series.is_empty() {
        return String::new();
    }
    for s in &mut series {
        s.points.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    let mut html = String::from("<h3>Lateness against how long one job holds its thread</h3>\n");
    html += &chart(charts::lines(&LineChart {
        title: "p99 tick lateness against elements per job (solid inline, dashed offload, dotted rayon, sparse block_in_place)".into(),
        x_label: "elements per CPU job".into(),
        y_label: "p99 lateness, ms".into(),
        log_x: true,
        log_y: true,
        series,
        markers: Vec::new(),
        guides: crate::sweeps::guides(sweeps, "blocking", |_| true),
    }));
    html
}

/// The section, as the page lists it.
pub struct Blocking;

impl Section for Blocking {
    fn id(&self) -> &'static str {
        "blocking"
    }

    fn title(&self) -> &'static str {
        "Blocking the event loop: the pitfall, measured"
    }

    fn needs(&self) -> &'static [WorkloadKind] {
        &[WorkloadKind::Blocking]
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        let f = ctx.findings;
        render(&f.groups, ctx.input.runs, &f.sweeps, &ctx.palette)
    }
}

#[cfg(test)]
mod tests {
    use super::times_less;

    #[test]
    fn the_ratio_is_worded_on_either_side_of_one() {
        assert_eq!(times_less(42.8), "42.8× less");
        assert_eq!(times_less(0.5), "2.00× more");
        assert_eq!(times_less(0.99), "within 5% of each other");
        assert_eq!(times_less(1.01), "within 5% of each other");
    }
}
