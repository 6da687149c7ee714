//! A run of custom sizes asks its own question; the Summary answers it. The fixture is a
//! real run of `shootout run --workload fetch --concurrency 200 --latency-ms 20` ("about 200
//! concurrent outbound calls at ~20 ms: which runtime?"), every backend, 6 trials each.

mod common;

use shootout_core::Workload;
use shootout_core::results::RunResults;
use shootout_report::analysis::Metric;
use shootout_report::findings::{self, Findings};

fn question() -> RunResults {
    serde_json::from_str(include_str!("fixtures/question.json")).expect("fixture parses")
}

#[test]
fn a_fetch_question_is_answered_by_p99_first_then_cpu_per_request() {
    let runs = [question()];
    assert_eq!(runs[0].settings.profile, "custom");
    let found = Findings::of(&runs, findings::test(&runs, None));
    let rows: Vec<(&str, Metric)> = found
        .decisions
        .iter()
        .map(|d| (d.workload.as_str(), d.metric))
        .collect();
    assert_eq!(
        rows,
        [
            ("fetch (p99)", Metric::P99),
            ("fetch (CPU per request)", Metric::CpuPerRequest)
        ]
    );
    let p99 = &found.decisions[0];
    assert!(p99.best_value.contains("p99 "), "{}", p99.best_value);

    // Only backends that keep the asked 200 in flight are ranked by p99: the others' latency
    // leaves out the wait for a free slot (and would win the row on that alone).
    let Workload::Fetch(spec) = &runs[0].cells[0].workload else {
        panic!("a fetch run")
    };
    let holding: Vec<&str> = runs[0]
        .cells
        .iter()
        .filter(|c| c.in_flight.is_some_and(|n| n >= spec.concurrency))
        .map(|c| c.backend.as_str())
        .collect();
    let short: Vec<&str> = runs[0]
        .cells
        .iter()
        .filter(|c| c.in_flight.is_some_and(|n| n < spec.concurrency))
        .map(|c| c.backend.as_str())
        .collect();
    assert!(
        holding.len() >= 2 && !short.is_empty(),
        "the fixture has both kinds"
    );
    assert!(holding.contains(&p99.top.as_str()), "{}", p99.top);
    assert!(p99.best.contains(&p99.top), "{} leads or ties", p99.top);
    for v in &p99.versus {
        assert!(
            holding.contains(&v.label.as_str()),
            "{} ranked by p99",
            v.label
        );
    }
    assert_eq!(p99.versus.len(), holding.len() - 1);
    for backend in &short {
        assert!(
            p99.why().contains(backend),
            "{backend} named as left out: {}",
            p99.why()
        );
    }
    // The best by p99 really has the lowest median p99 of those that hold 200.
    let p99_of = |backend: &str| {
        let cell = runs[0].cells.iter().find(|c| c.backend == backend).unwrap();
        cell.summary
            .as_ref()
            .unwrap()
            .latency_us
            .as_ref()
            .unwrap()
            .p99
            .median
    };
    let lowest = holding
        .iter()
        .min_by(|a, b| p99_of(a).total_cmp(&p99_of(b)))
        .unwrap();
    assert_eq!(p99_of(&p99.top), p99_of(lowest));

    // The CPU row ranks the same backends as the p99 row (fewer in flight is cheaper work,
    // another question) and names the others as left out.
    let cpu = &found.decisions[1];
    assert_eq!(cpu.versus.len(), holding.len() - 1);
    for backend in &short {
        assert!(cpu.why().contains(backend), "{backend}: {}", cpu.why());
    }
    assert!(
        cpu.best_value.ends_with("CPU per request"),
        "{}",
        cpu.best_value
    );
}

#[test]
fn sections_without_cells_are_left_out() {
    let runs = [question()];
    let report = common::report_of(&runs);
    for id in ["summary", "fetch", "backends", "machine"] {
        assert!(
            report.html.contains(&format!("<section id=\"{id}\">")),
            "{id}"
        );
    }
    for id in ["sleep", "cpu", "load", "patterns", "blocking"] {
        assert!(
            !report.html.contains(&format!("<section id=\"{id}\">")),
            "{id} has no cells"
        );
        assert!(
            !report.html.contains(&format!("href=\"#{id}\"")),
            "{id} in nav"
        );
    }
    assert!(
        report.markdown.contains("| fetch (p99) |"),
        "{}",
        report.markdown
    );
}
