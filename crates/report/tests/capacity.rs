//! The capacity search on the page and in the Summary, from a real run
//! (tests/fixtures/capacity.json, made at commit 6873f53 with `shootout run --profile full
//! --workload capacity --backend tokio,smol,threads,crossbeam,sequential --trials 6`: 64
//! connections at 1 ms, p99 from due within 10 ms). Backends are picked by what their
//! cells show, never by name.

mod common;

use shootout_core::results::RunResults;
use shootout_core::stats::Outcome;
use shootout_report::analysis::{self, Metric, Options};

fn fixture() -> RunResults {
    serde_json::from_str(include_str!("fixtures/capacity.json")).expect("fixture parses")
}

fn section(html: &str) -> &str {
    let start = html
        .find("<section id=\"capacity\">")
        .expect("capacity section");
    let end = html[start..].find("</section>").expect("section ends") + start;
    &html[start..end]
}

#[test]
fn every_trial_searched_to_the_resolution_and_its_figure_is_the_rate_it_held() {
    let run = fixture();
    for cell in &run.cells {
        for record in cell.records() {
            let found = record.capacity.as_ref().expect("a search");
            let holds: Vec<bool> = found.steps.iter().map(|s| s.holds(found.slo_ms)).collect();
            // The rate found is the highest step that held; a failed step above it within
            // 2% (or none: the ceiling held, or nothing did).
            let held_max = found
                .steps
                .iter()
                .zip(&holds)
                .filter(|(_, h)| **h)
                .map(|(s, _)| s.rate)
                .fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.max(r))));
            assert_eq!(found.rate, held_max, "{}", cell.backend);
            if let Some(rate) = found.rate.filter(|_| !found.at_ceiling) {
                let failed_above = found
                    .steps
                    .iter()
                    .zip(&holds)
                    .filter(|(s, h)| !**h && s.rate > rate)
                    .map(|(s, _)| s.rate)
                    .fold(f64::INFINITY, f64::min);
                assert!(
                    failed_above <= rate * 1.02 + 1e-9,
                    "{}: {rate} {failed_above}",
                    cell.backend
                );
            }
            assert_eq!(cell.workload.rate_of(record), found.figure());
        }
    }
}

#[test]
fn the_row_names_a_best_only_beyond_the_margin_and_reads_each_trials_search() {
    let run = fixture();
    let runs = [run.clone()];
    let groups = analysis::groups(&runs, Options::default());
    let decisions = analysis::decisions(&groups, 1, Options::default());
    let row = decisions
        .iter()
        .find(|d| d.workload == "load: most within the SLO")
        .expect("a row for the capacity group");
    assert_eq!(row.metric, Metric::Knee);
    let all_behind = row
        .versus
        .iter()
        .all(|v| v.comparison.outcome == Outcome::Slower);
    if all_behind {
        assert!(
            run.cells.iter().any(|c| c.backend == row.best),
            "{}",
            row.best
        );
    } else {
        assert!(
            row.best.starts_with("no difference among ")
                || row.best.starts_with("none shown ahead among "),
            "{}",
            row.best
        );
        // Every backend not shown behind is named in the tie.
        for v in row
            .versus
            .iter()
            .filter(|v| v.comparison.outcome != Outcome::Slower)
        {
            assert!(row.best.contains(&v.label), "{} in {}", v.label, row.best);
        }
    }
    // The row says its knees are each trial's own search, in the page and summary.md.
    let report = common::report_of(&[run]);
    let said = "Each trial searched its own knee: the highest offered rate (to 2%)";
    assert!(report.markdown.contains(said), "{}", report.markdown);
    assert!(report.html.contains(said));
}

#[test]
fn the_section_gives_each_backend_its_median_its_interval_and_what_held_nothing() {
    let run = fixture();
    let html = common::report_of(std::slice::from_ref(&run)).html;
    let section = section(&html);
    assert!(section.contains("95% interval of the median"));
    for cell in &run.cells {
        assert!(
            section.contains(&format!("<td>{}</td>", cell.backend)),
            "{}",
            cell.backend
        );
    }
    // A backend that held not even the first rate reads as below it, with no interval.
    let below: Vec<_> = run
        .cells
        .iter()
        .filter(|c| c.held_below().is_some())
        .collect();
    assert!(
        !below.is_empty(),
        "the fixture has a backend below the search"
    );
    for cell in below {
        let first = cell.held_below().unwrap();
        assert!(section.contains(&format!(
            "&lt; {}/s",
            shootout_report::format::number(first)
        )));
    }
    // Six trials: every other backend has an interval of its median.
    assert!(
        !section.contains("too few"),
        "six trials give a 97% interval"
    );
}
