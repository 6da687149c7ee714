//! The blocking section and its decision row, from the blocking cells of a real quick run
//! (tests/fixtures/blocking.json).

use shootout_core::Workload;
use shootout_core::results::RunResults;
use shootout_report::analysis::{self, Options, Verdict};
use shootout_report::{Input, render};

fn blocking() -> RunResults {
    serde_json::from_str(include_str!("fixtures/blocking.json")).expect("fixture parses")
}

fn html(runs: &[RunResults]) -> String {
    render(&Input {
        runs,
        baseline: None,
        criterion: None,
        margin: None,
    })
    .html
}

fn section(html: &str) -> &str {
    let start = html
        .find("<section id=\"blocking\">")
        .expect("blocking section");
    let end = html[start..].find("</section>").expect("section ends") + start;
    &html[start..end]
}

/// The cell of `backend` in `mode`.
fn cell<'r>(
    results: &'r mut RunResults,
    backend: &str,
    mode: &str,
) -> &'r mut shootout_core::results::Cell {
    results
        .cells
        .iter_mut()
        .find(|c| {
            c.backend == backend
                && matches!(&c.workload, Workload::Blocking(s) if s.mode.name() == mode)
        })
        .expect("cell in fixture")
}

#[test]
fn pitfall_and_offloaded_sit_side_by_side_per_backend() {
    let runs = [blocking()];
    let html = html(&runs);
    let section = section(&html);
    // Rows by backend, then mode: tokio's three modes come before tokio-ct's first.
    let row = |backend: &str, mode: &str| {
        section
            .find(&format!(
                "<tr><td>{backend}</td><td><span class=\"ok\">ok</span></td><td>{mode}</td>"
            ))
            .unwrap_or_else(|| panic!("row {backend} {mode}"))
    };
    assert!(row("tokio", "inline") < row("tokio", "offload"));
    assert!(row("tokio", "offload") < row("tokio", "rayon"));
    assert!(row("tokio", "rayon") < row("tokio", "block-in-place"));
    assert!(row("tokio", "block-in-place") < row("tokio-ct", "inline"));
    assert!(row("smol", "offload") < row("async-std", "inline"));
    assert!(section.contains("Tick lateness: tokio p99"));
    assert!(section.contains("threads p99"));
    assert!(section.contains("via rayon"));
    assert!(section.contains("not applicable: rayon has no timers"));
    assert_eq!(section.matches("<svg").count(), 1, "one bar chart");
    // One group only: no job-length chart.
    assert!(!section.contains("against how long one job holds its thread"));
}

#[test]
fn the_decision_row_confirms_offloading_from_the_data() {
    let runs = [blocking()];
    let options = Options::default();
    let groups = analysis::groups(&runs, options);
    let decisions = analysis::decisions(&groups, 1, options);
    let row = decisions
        .iter()
        .find(|d| d.workload == "blocking")
        .expect("a blocking decision");
    assert_eq!(row.verdict, Verdict::Confirmed, "{}", row.why);
    // The least late cell has its jobs off the event loop.
    assert!(
        row.best.ends_with(" offload") || row.best.ends_with(" rayon"),
        "{}",
        row.best
    );
    for backend in ["tokio ", "tokio-ct ", "smol ", "async-std "] {
        assert!(row.why.contains(backend), "{backend} in {}", row.why);
    }

    // Give tokio's inline and offloaded trials all the same p99 (times `factor` offloaded):
    // at 1, offloading no longer matters; at 2, it hurts.
    let doctored = |factor: f64| {
        let mut doctored = blocking();
        for (mode, p99) in [("inline", 200_000.0), ("offload", 200_000.0 * factor)] {
            for trial in cell(&mut doctored, "tokio", mode).trials.iter_mut() {
                let ticks = trial.record.as_mut().unwrap().ticks.as_mut().unwrap();
                ticks.lateness_us.p99 = p99 as u64;
            }
        }
        let runs = [doctored];
        let groups = analysis::groups(&runs, options);
        analysis::decisions(&groups, 1, options)
            .into_iter()
            .find(|d| d.workload == "blocking")
            .unwrap()
    };
    let row = doctored(1.0);
    assert_eq!(row.verdict, Verdict::DoesNotMatter, "{}", row.why);
    assert!(
        row.why.contains("equivalent within ±5% on tokio"),
        "{}",
        row.why
    );
    // Twice as late offloaded as inline: the verdict flips, naming tokio.
    let row = doctored(2.0);
    assert_eq!(row.verdict, Verdict::Contradicted, "{}", row.why);
    assert!(row.why.contains("on tokio 2.00×"), "{}", row.why);
}

#[test]
fn several_job_lengths_draw_lateness_against_job_length() {
    let mut results = blocking();
    let longer: Vec<_> = results
        .cells
        .iter()
        .cloned()
        .map(|mut c| {
            if let Workload::Blocking(spec) = &mut c.workload {
                spec.jobs = 2;
            }
            c
        })
        .collect();
    results.cells.extend(longer);
    let html = html(&[results]);
    let section = section(&html);
    assert!(section.contains("against how long one job holds its thread"));
    assert_eq!(
        section.matches("<svg").count(),
        3,
        "a line chart and two bar charts"
    );
}

#[test]
fn tick_lateness_is_shown_raw_and_net_of_the_idle_timer() {
    let mut results = blocking();
    let p50 = |results: &mut RunResults| {
        cell(results, "tokio", "offload")
            .summary
            .as_ref()
            .and_then(|s| s.latency_us.as_ref())
            .expect("verified")
            .p50
            .median
    };
    let raw = p50(&mut results);
    let idle = raw / 4.0;
    let spread = shootout_core::stats::Spread::of([idle]).unwrap();
    results.timers = vec![shootout_core::results::TimerProbe {
        backend: "tokio".into(),
        p50_us: Some(spread),
        p99_us: Some(spread),
        trials: 3,
        failure: None,
    }];
    let runs = [results];
    let html = html(&runs);
    let section = section(&html);
    let seconds = shootout_report::format::seconds;
    let row = section
        .split("<tr>")
        .find(|r| r.starts_with("<td>tokio</td>") && r.contains("<td>offload</td>"))
        .expect("tokio offload row");
    assert!(row.contains(&seconds(raw / 1e6)), "{row}");
    assert!(row.contains(&seconds((raw - idle) / 1e6)), "{row}");
    // A backend without a probe shows no net figure rather than a made-up one.
    let smol = section
        .split("<tr>")
        .find(|r| r.starts_with("<td>smol</td>") && r.contains("<td>offload</td>"))
        .expect("smol offload row");
    assert!(
        smol.contains("<td class=\"num\">–</td>") || smol.contains("<td>–</td>"),
        "{smol}"
    );
    // The Backends section shows the probe.
    assert!(html.contains("idle timer lateness p50 / p99"));
}

#[test]
fn a_higher_p99_reads_worse_not_slower() {
    let runs = [blocking()];
    let rendered = render(&Input {
        runs: &runs,
        baseline: None,
        criterion: None,
        margin: None,
    });
    // Inline p99s are many times the offloaded ones: the decision row has some worse.
    assert!(
        rendered.html.contains("\">worse</span>"),
        "no latency outcome worded"
    );
    assert!(
        !rendered.html.contains("\">slower</span>"),
        "a p99 called slower"
    );
    let row = rendered
        .markdown
        .lines()
        .find(|l| l.starts_with("| blocking"))
        .expect("a blocking decision row");
    assert!(row.contains("] worse") && !row.contains("slower"), "{row}");
}
