//! The "Latency under load" section: open-loop cells, latency timed from when each request
//! was due, against the offered rate; each backend's knee.

use super::{Context, Section};
use super::{VERSUS, chart, row_without_numbers, status, table, takeaway, too_few, versus};
use crate::analysis::{Entry, Group};
use crate::charts::{self, LineChart, Series};
use crate::format::{escape, number, percent, percentile, seconds};
use crate::load::{self, Knee, LoadSweep, Point};
use crate::palette::Palette;
use shootout_core::WorkloadKind;

/// How the numbers are measured, for the top of the section.
const METHOD: &str = "<p>Open loop, as wrk2 measures: request <i>i</i> is due at its place in a \
    schedule at the offered rate (evenly spaced, or Poisson arrivals drawn from the seed, the \
    same for every backend and trial), is sent when due if one of the client's keep-alive \
    connections is free, and its latency runs <b>from when it was due</b>, not from when it was \
    sent. A backend that falls behind (every connection busy, a late timer, a stalled thread) \
    pays for it in latency instead of quietly sending less: the coordinated omission of \
    closed-loop tools. Each table also gives the p99 from the send, what a closed-loop tool \
    would report, and how late sends were. Latencies are HdrHistogram percentiles (1 µs to 1 \
    min, 3 significant digits), medians over trials. \"kept up\" is the ideal time (the last \
    request's due time plus one server delay) over the wall time: a backend that ends more \
    than 1% (or 5 ms) past it achieved less than it was offered. The embedded server and the client share this \
    machine's cores.</p>\n";

/// The section.
pub fn render(groups: &[Group<'_>], runs: usize, slo_ms: Option<f64>, palette: &Palette) -> String {
    let sweeps = load::sweeps(groups, runs, slo_ms);
    if sweeps.is_empty() {
        return takeaway("No load (open-loop) cells in these results.");
    }
    let mut html = takeaway(&headline(&sweeps)) + METHOD;
    for sweep in &sweeps {
        html += &format!("<h3>{}</h3>\n", escape(&sweep.title));
        let slo = if sweep.slo_us.is_finite() {
            format!("within {}", seconds(sweep.slo_us / 1e6))
        } else {
            "not set".to_string()
        };
        html += &format!(
            "<p>SLO for the knee: p99 from due {slo} ({}), and the run ended within {} of its \
             ideal time (or {}, two timer ticks and a request, on a short run).</p>\n",
            escape(&sweep.slo_source),
            percent(1.0 - load::KEEPS_UP),
            seconds(load::KEEPS_UP_SLACK_S)
        );
        if sweep.groups.len() > 1 {
            html += &knees(sweep);
            html += &charts(sweep, palette);
        } else {
            html += "<p class=\"note\">One offered rate: who keeps up there, and their latency \
                     from due. Each backend's most load within the SLO needs the capacity \
                     search, seconds a trial: the full profile runs it (`shootout run --profile \
                     full`, or alone with `--profile full --workload capacity`).</p>\n";
        }
        for group in &sweep.groups {
            html += &rate_table(group, runs);
        }
    }
    html
}

/// One line on the first sweep: who holds the most load, or, with one rate, who falls
/// behind and what a closed-loop tool would have reported for them.
fn headline(sweeps: &[LoadSweep<'_, '_>]) -> String {
    let sweep = &sweeps[0];
    if sweep.groups.len() > 1 {
        let best = sweep
            .lines
            .iter()
            .max_by(|a, b| a.knee.rate().total_cmp(&b.knee.rate()));
        return match best {
            Some(line) if line.knee.rate() > 0.0 => format!(
                "Most load within the SLO ({} p99 from due): {} holds to {}/s offered{}.",
                seconds(sweep.slo_us / 1e6),
                line.label,
                number(line.knee.rate()),
                if matches!(line.knee, Knee::Beyond(_)) {
                    ", the highest rate measured"
                } else {
                    ""
                }
            ),
            _ => "No backend held the SLO at the lowest offered rate.".into(),
        };
    }
    let offered = sweep
        .groups
        .first()
        .map(|g| load::spec(&g.entries[0]).rate_per_s())
        .unwrap_or(0.0);
    let points: Vec<(&str, Point)> = sweep
        .lines
        .iter()
        .filter_map(|l| Some((l.label.as_str(), *l.points.first()?)))
        .collect();
    let behind: Vec<String> = points
        .iter()
        .filter(|(_, p)| !p.kept_up())
        .map(|(label, p)| {
            format!(
                "{label} (p99 {} from due, {} from the send)",
                seconds(p.p99_us / 1e6),
                seconds(p.p99_send_us / 1e6)
            )
        })
        .collect();
    let kept = points.len() - behind.len();
    let mut text = format!(
        "At {}/s offered, {kept} of {} backends kept up with the schedule",
        number(offered),
        points.len()
    );
    if behind.is_empty() {
        text += ".";
    } else {
        text += &format!(
            "; {} fell behind, and their latency timed from the send hides it: {}.",
            behind.len(),
            behind.join("; ")
        );
    }
    text
}

/// The knee of each backend, best first.
fn knees(sweep: &LoadSweep<'_, '_>) -> String {
    let mut lines: Vec<_> = sweep.lines.iter().collect();
    lines.sort_by(|a, b| b.knee.rate().total_cmp(&a.knee.rate()));
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|line| {
            let (knee, why) = match line.knee {
                Knee::At(rate) => {
                    let next = line.points.iter().find(|p| p.offered > rate);
                    (
                        format!("{}/s", number(rate)),
                        next.map(|p| breaks(p, sweep.slo_us))
                            .unwrap_or_else(|| "no verified cell at the next rate".into()),
                    )
                }
                Knee::Beyond(rate) => (
                    format!("≥ {}/s", number(rate)),
                    "holds at every rate measured".into(),
                ),
                Knee::Below(rate) => (
                    format!("< {}/s", number(rate)),
                    line.points
                        .first()
                        .map(|p| breaks(p, sweep.slo_us))
                        .unwrap_or_default(),
                ),
                Knee::Unknown => ("–".into(), "no verified cell at the lowest rate".into()),
            };
            let at_knee = line
                .points
                .iter()
                .find(|p| p.offered == line.knee.rate())
                .map(|p| seconds(p.p99_us / 1e6))
                .unwrap_or_else(|| "–".into());
            vec![escape(&line.label), escape(&knee), at_knee, escape(&why)]
        })
        .collect();
    table(
        &[
            "backend",
            "knee (offered)",
            "p99 from due there",
            "beyond it",
        ],
        &rows,
    )
}

/// Why a point does not hold.
fn breaks(point: &Point, slo_us: f64) -> String {
    let mut why = Vec::new();
    if point.p99_us > slo_us {
        why.push(format!(
            "at {}/s p99 {} exceeds the SLO",
            number(point.offered),
            seconds(point.p99_us / 1e6)
        ));
    }
    if !point.kept_up() {
        why.push(format!(
            "at {}/s it achieved {} of the offered rate",
            number(point.offered),
            percent(point.kept_up)
        ));
    }
    why.join("; ")
}

/// p99 from due and achieved rate against offered rate, one line per backend.
fn charts(sweep: &LoadSweep<'_, '_>, palette: &Palette) -> String {
    let series = |pick: fn(&Point) -> f64| -> Vec<Series> {
        sweep
            .lines
            .iter()
            .filter(|l| !l.points.is_empty())
            .map(|l| {
                Series::new(
                    l.label.clone(),
                    l.points.iter().map(|p| (p.offered, pick(p))).collect(),
                    palette.colour(&l.backend),
                )
            })
            .collect()
    };
    let latency = LineChart {
        title: format!(
            "p99 latency from when due against offered load (SLO {})",
            seconds(sweep.slo_us / 1e6)
        ),
        x_label: "offered req/s".into(),
        y_label: "p99 from due, ms (log)".into(),
        log_x: true,
        log_y: true,
        series: series(|p| p.p99_us / 1e3),
        markers: Vec::new(),
        guides: Vec::new(),
    };
    let achieved = LineChart {
        title: "achieved against offered load".into(),
        x_label: "offered req/s".into(),
        y_label: "achieved req/s".into(),
        log_x: true,
        log_y: true,
        series: series(|p| p.achieved),
        markers: Vec::new(),
        guides: Vec::new(),
    };
    chart(charts::lines(&latency)) + &chart(charts::lines(&achieved))
}

/// One offered rate: every backend's figures.
fn rate_table(group: &Group<'_>, runs: usize) -> String {
    let offered = load::spec(&group.entries[0]).rate_per_s();
    let rows: Vec<Vec<String>> = group.entries.iter().map(|e| row(group, e, runs)).collect();
    format!("<h4>{}/s offered</h4>\n", number(offered))
        + &table(
            &[
                "backend",
                "status",
                "achieved req/s",
                "kept up",
                "p50 from due",
                "p99 from due",
                "p99.9 from due",
                "p99 from send",
                "p99 late send",
                VERSUS,
            ],
            &rows,
        )
        + &too_few(group, |s| s.from_due_us.as_ref(), &[0.5, 0.99, 0.999])
        + &late_senders(group, runs)
}

/// Send lateness at least this (median over trials of the p99), microseconds, is named
/// under the table: a timer's tick, not a queue.
const LATE_SEND_US: f64 = 500.0;

/// The note that names the clients whose own timer sent late: their p99 from due holds it,
/// as a property of the runtime (its timer's granularity), shown beside the number.
fn late_senders(group: &Group<'_>, runs: usize) -> String {
    let late: Vec<String> = group
        .ok()
        // Those that kept up: a client that fell behind sends late for its queue.
        .filter(|e| load::point(e).is_some_and(|p| p.kept_up >= load::KEEPS_UP))
        .filter_map(|e| {
            let late = e.cell.summary.as_ref()?.send_late_us.as_ref()?.p99.median;
            (late >= LATE_SEND_US)
                .then(|| format!("{} {}", e.mode_label(runs), seconds(late / 1e6)))
        })
        .collect();
    if late.is_empty() {
        return String::new();
    }
    format!(
        "<p class=\"note\">Each client paces its own requests on its own timer, so its timer's \
         lateness is in its p99 from due: a property of the runtime, not of the load. p99 send \
         lateness of at least {}: {}.</p>\n",
        seconds(LATE_SEND_US / 1e6),
        escape(&late.join(", "))
    )
}

fn row(group: &Group<'_>, e: &Entry<'_>, runs: usize) -> Vec<String> {
    let summary = e.cell.summary.as_ref();
    let latencies = summary.and_then(|s| {
        Some((
            s.from_due_us.as_ref()?,
            s.latency_us.as_ref()?,
            s.send_late_us.as_ref()?,
        ))
    });
    match (load::point(e), latencies) {
        (Some(p), Some((due, sent, late))) => vec![
            escape(&e.mode_label(runs)),
            status(e),
            number(p.achieved),
            percent(p.kept_up),
            percentile(due, 0.5),
            percentile(due, 0.99),
            percentile(due, 0.999),
            percentile(sent, 0.99),
            percentile(late, 0.99),
            versus(group, e),
        ],
        _ => row_without_numbers(e, runs, &[], 7),
    }
}

/// The section, as the page lists it.
pub struct Load;

impl Section for Load {
    fn id(&self) -> &'static str {
        "load"
    }

    fn title(&self) -> &'static str {
        "Latency under load: the open loop"
    }

    fn needs(&self) -> &'static [WorkloadKind] {
        &[WorkloadKind::Load]
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        let f = ctx.findings;
        render(&f.groups, ctx.runs(), f.options.slo_ms, &ctx.palette)
    }
}
