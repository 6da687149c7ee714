//! The "Most load within the SLO" section: each backend's highest sustainable offered rate,
//! found by each trial's own search, with the interval of its median and its ratio to the
//! best; ties named as ties.

use shootout_core::WorkloadKind;
use shootout_core::fetch::capacity::{FIRST_STEP, RESOLUTION, STEP_S, Searched};
use shootout_core::stats::median_interval;

use super::{Context, Section};
use super::{VERSUS, row_without_numbers, status, table, takeaway, too_few, versus};
use crate::analysis::{Decision, Entry, Group};
use crate::format::{escape, number, percent, percentile};

/// How the numbers are found, for the top of the section.
fn method() -> String {
    format!(
        "<p>As wrk2 users ask it: the highest offered rate a client sustains with its p99 \
         <b>from due</b> within the SLO. Each trial searches on its own: from {} of the \
         highest rate it doubles the offered rate until a step fails, then bisects between \
         the last rate that held and the first that failed until they are within {}, finer \
         than the verdicts' margin. Each step is an open-loop run of the load workload \
         (Poisson arrivals from the seed, at least the cell's requests and {} s of them), \
         verified like every fetch; it holds when it kept up with its schedule (ended within \
         1% or 5 ms of its ideal time) and its p99 from due is within the SLO. A wrong answer \
         fails the trial, never counts as a rate not held. The embedded server shares this \
         machine's cores with the client, so on a small machine the rate found is the \
         client's share of a full machine: what the client's design costs per request \
         decides it.</p>\n",
        fraction(FIRST_STEP),
        percent(RESOLUTION),
        STEP_S
    )
}

/// `1/64`.
fn fraction(x: f64) -> String {
    format!("1/{}", (1.0 / x).round())
}

/// The section's body.
pub fn render(groups: &[Group<'_>], decisions: &[Decision], runs: usize) -> String {
    let mut html = String::new();
    for group in groups.iter().filter(|g| g.kind == WorkloadKind::Capacity) {
        let decision = decisions
            .iter()
            .find(|d| d.title == group.title && d.workload.starts_with("load"));
        if let Some(d) = decision {
            html += &takeaway(&format!("{}: {} ({}).", d.workload, d.best, d.best_value));
        }
        html += &format!("<h3>{}</h3>\n", escape(&group.title));
        html += &results(group, runs);
    }
    if html.is_empty() {
        return takeaway("No capacity cells in these results.");
    }
    method() + &html
}

/// The table of one capacity group, and its notes.
fn results(group: &Group<'_>, runs: usize) -> String {
    let rows: Vec<Vec<String>> = group.entries.iter().map(|e| row(group, e, runs)).collect();
    table(
        &[
            "backend",
            "status",
            "most load held (median)",
            "95% interval of the median",
            VERSUS,
            "steps",
            "p99 from due there",
            "p99 late send there",
        ],
        &rows,
    ) + &too_few(group, |s| s.from_due_us.as_ref(), &[0.99])
        + &at_ceiling(group, runs)
}

fn row(group: &Group<'_>, e: &Entry<'_>, runs: usize) -> Vec<String> {
    let searches: Vec<&Searched> = e
        .cell
        .records()
        .filter_map(|r| r.capacity.as_ref())
        .collect();
    let summary = e.cell.summary.as_ref();
    let latencies = summary.and_then(|s| Some((s.from_due_us.as_ref()?, s.send_late_us.as_ref()?)));
    match (summary, latencies, searches.is_empty()) {
        (Some(s), Some((due, late)), false) => {
            let figures: Vec<f64> = searches.iter().map(|f| f.figure()).collect();
            let interval = match median_interval(&figures, 0.95) {
                _ if e.cell.held_below().is_some() => "–".to_string(),
                Some((low, high, _)) => format!("{}–{}/s", number(low), number(high)),
                None => format!("– ({} trials: too few)", figures.len()),
            };
            let steps: Vec<f64> = searches.iter().map(|f| f.steps.len() as f64).collect();
            let steps = shootout_core::stats::Spread::of(steps).map_or(0.0, |s| s.median);
            // Where nothing held, the report is the first step's.
            let there = |p99: String| match e.cell.held_below() {
                Some(first) => format!("{p99} at {}/s", number(first)),
                None => p99,
            };
            vec![
                escape(&e.mode_label(runs)),
                status(e),
                held(e, s.rate.median),
                interval,
                versus(group, e),
                format!("{steps:.0}"),
                there(percentile(due, 0.99)),
                there(percentile(late, 0.99)),
            ]
        }
        _ => row_without_numbers(e, runs, &[], 6),
    }
}

/// The median rate held, or where no trial held the first step, below it.
fn held(e: &Entry<'_>, median: f64) -> String {
    match e.cell.held_below() {
        Some(first) => format!("&lt; {}/s", number(first)),
        None => format!("{}/s", number(median)),
    }
}

/// The note naming backends that held the highest rate tried: they may hold more.
fn at_ceiling(group: &Group<'_>, runs: usize) -> String {
    let named: Vec<String> = group
        .ok()
        .filter(|e| {
            e.cell
                .records()
                .any(|r| r.capacity.as_ref().is_some_and(|f| f.at_ceiling))
        })
        .map(|e| e.mode_label(runs))
        .collect();
    if named.is_empty() {
        return String::new();
    }
    format!(
        "<p class=\"note\">Held the highest rate the search tries in some trials, so they may \
         hold more (raise --rate): {}.</p>\n",
        escape(&named.join(", "))
    )
}

/// The section, as the page lists it.
pub struct Capacity;

impl Section for Capacity {
    fn id(&self) -> &'static str {
        "capacity"
    }

    fn title(&self) -> &'static str {
        "Most load within the SLO: the search"
    }

    fn needs(&self) -> &'static [WorkloadKind] {
        &[WorkloadKind::Capacity]
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        let f = ctx.findings;
        render(&f.groups, &f.decisions, ctx.runs())
    }
}
