//! The fetch section says, at each concurrency of the latency sweep, whether a backend that
//! is not an async runtime had a lower median p99 than every async runtime, from the data:
//! doctored copies of the committed full-profile run make it true at one concurrency only,
//! and at none.

mod common;

use shootout_core::results::{Cell, Reading, RunResults};
use shootout_core::{Family, Workload};

/// The committed full-profile run (tests/fixtures/full.json): made at df264b1 by `shootout
/// run --profile full` on the 2-core machine (its results.json names b649ebc with the
/// uncommitted changes df264b1 committed).
fn full() -> RunResults {
    serde_json::from_str(include_str!("fixtures/full.json")).expect("fixture parses")
}

/// The concurrencies of the 10 ms sweep where a backend of the threads family was verified
/// (beside the async runtimes, verified at every one) with requests enough to read a p99
/// (a cell fitted to 400 requests reads its max, and is not ranked by p99).
fn sweep_concurrencies(run: &RunResults) -> Vec<u64> {
    let p99_read = |c: &&Cell| {
        c.summary
            .as_ref()
            .and_then(|s| s.latency_us.as_ref())
            .is_some_and(|l| matches!(l.reading(0.99), Reading::Percentile(_)))
    };
    let mut found: Vec<u64> = run
        .cells
        .iter()
        .filter(|c| c.family() == Family::Threads && c.summary.is_some())
        .filter(p99_read)
        .filter_map(concurrency)
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

fn concurrency(cell: &Cell) -> Option<u64> {
    match &cell.workload {
        Workload::Fetch(s) if s.latency_ms == 10 => Some(s.concurrency),
        _ => None,
    }
}

/// Sets every verified sweep cell's median p99 to `ms`, and at `at` the `picked` cells' to
/// half of it.
fn doctor(run: &mut RunResults, ms: f64, at: Option<u64>, picked: impl Fn(&Cell) -> bool) {
    for cell in run.cells.iter_mut() {
        let Some(c) = concurrency(cell) else { continue };
        let halved = Some(c) == at && picked(cell);
        let Some(latency) = cell.summary.as_mut().and_then(|s| s.latency_us.as_mut()) else {
            continue;
        };
        let p99 = if halved { ms * 500.0 } else { ms * 1000.0 };
        latency.p99.median = p99;
        latency.p99.min = p99;
        latency.p99.max = p99;
    }
}

fn threads(cell: &Cell) -> bool {
    cell.family() == Family::Threads
}

/// An async runtime's own idiom (a task per request).
fn async_idiom(cell: &Cell) -> bool {
    cell.family().is_async() && cell.workload.variant().is_some()
}

/// The first takeaway after `heading` on the page of `run`, as text.
fn takeaway_after(run: RunResults, heading: &str) -> String {
    let html = common::report_of(&[run]).html;
    let from = html.find(heading).expect("the heading is on the page");
    let rest = &html[from..];
    let start = rest
        .find("<p class=\"takeaway\">")
        .expect("a takeaway under it");
    let end = rest[start..].find("</p>").expect("closed") + start;
    rest[start..end].replace("&#39;", "'")
}

/// The scaling takeaway of the 10 ms sweep.
fn finding(run: RunResults) -> String {
    takeaway_after(run, "<h3>Scaling: requests in flight at 10 ms latency</h3>")
}

/// The fetch section's headline.
fn headline(run: RunResults) -> String {
    takeaway_after(run, "<section id=\"fetch\">")
}

#[test]
fn a_lower_p99_than_every_async_runtime_is_stated_where_it_happened() {
    let mut run = full();
    let sizes = sweep_concurrencies(&run);
    assert!(
        sizes.len() >= 3,
        "the full profile sweeps concurrency: {sizes:?}"
    );
    let at = sizes[sizes.len() / 2];
    doctor(&mut run, 20.0, Some(at), threads);
    let threads = common::first_in(&run, Family::Threads);
    let text = finding(run);
    assert!(
        text.contains(&format!("at {at} in flight ({threads} 10.0 ms")),
        "{text}"
    );
    assert!(text.contains("the best async runtime, "), "{text}");
    let others: Vec<String> = sizes
        .iter()
        .filter(|&&c| c != at)
        .map(|c| c.to_string())
        .collect();
    assert!(
        text.contains(&format!("at {} in flight, none did.", join(&others))),
        "{text}"
    );
}

#[test]
fn equal_p99_everywhere_says_no_backend_beat_the_async_runtimes() {
    let mut run = full();
    let sizes: Vec<String> = sweep_concurrencies(&run)
        .iter()
        .map(|c| c.to_string())
        .collect();
    doctor(&mut run, 20.0, None, threads);
    let text = finding(run);
    assert!(
        text.contains(&format!(
            "beat every async runtime by more than 5% at any concurrency here ({} in flight)",
            join(&sizes)
        )),
        "{text}"
    );
    assert!(!text.contains("own idioms"), "{text}");
}

#[test]
fn an_idiom_below_every_shared_design_is_named_apart_from_the_runtimes() {
    // A task per request is a design of our client, not a property of a runtime: it must
    // neither count as an async runtime beating threads nor go unmentioned.
    let mut run = full();
    let sizes = sweep_concurrencies(&run);
    let at = sizes[sizes.len() - 1];
    doctor(&mut run, 20.0, Some(at), async_idiom);
    let idiom = run
        .cells
        .iter()
        .find(|c| async_idiom(c) && concurrency(c) == Some(at) && c.summary.is_some())
        .map(|c| c.backend.clone())
        .expect("an async runtime ran a task per request in the sweep");
    let text = finding(run.clone());
    assert!(
        text.contains(&format!(
            "Of the backends' own idioms, these were more than 5% below every backend with the \
             shared design: at {at} in flight, "
        )) && text.contains(&format!("{idiom} task-per-request 10.0 ms")),
        "{text}"
    );
    assert!(
        text.contains("at any concurrency here"),
        "the shared design still ties: {text}"
    );
    let headline = headline(run);
    // The sweep's largest concurrency is the headline's.
    assert!(
        headline.contains("of the backends' own idioms, ")
            && headline.contains(&format!("{idiom} task-per-request 10.0 ms")),
        "{headline}"
    );
}

#[test]
fn the_headline_states_the_p99_lead_at_the_largest_concurrency() {
    let mut run = full();
    let largest = *sweep_concurrencies(&run).last().expect("a sweep");
    doctor(&mut run, 20.0, Some(largest), threads);
    let threads = common::first_in(&run, Family::Threads);
    let text = headline(run);
    assert!(
        text.contains(&format!(
            "With {largest} requests in flight and 10 ms of server latency"
        )),
        "{text}"
    );
    assert!(
        text.contains("beat every async runtime by more than 5% (the best, "),
        "{text}"
    );
    assert!(text.contains(&format!("{threads} 10.0 ms")), "{text}");
}

/// `1, 4 and 16`.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
