//! The blocking section and its decision row, from the blocking cells of a real quick run
//! (tests/fixtures/blocking.json). Backends are picked from the fixture by family and by
//! the modes their cells ran, never by name.

mod common;

use common::{backends_in, first_in};
use shootout_core::results::{CellStatus, RunResults};
use shootout_core::{BlockingMode, Family, Workload};
use shootout_report::analysis::{self, Options, Verdict};

fn blocking() -> RunResults {
    serde_json::from_str(include_str!("fixtures/blocking.json")).expect("fixture parses")
}

fn html(runs: &[RunResults]) -> String {
    common::report_of(runs).html
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
    mode: BlockingMode,
) -> &'r mut shootout_core::results::Cell {
    results
        .cells
        .iter_mut()
        .find(|c| c.backend == backend && mode_of(c) == Some(mode))
        .expect("cell in fixture")
}

/// A blocking cell's mode.
fn mode_of(cell: &shootout_core::results::Cell) -> Option<BlockingMode> {
    match &cell.workload {
        Workload::Blocking(spec) => Some(spec.mode),
        _ => None,
    }
}

/// The verified cells' backends and modes, in the fixture's order.
fn verified(results: &RunResults) -> Vec<(String, BlockingMode)> {
    results
        .cells
        .iter()
        .filter(|c| c.status == CellStatus::Ok)
        .filter_map(|c| Some((c.backend.clone(), mode_of(c)?)))
        .collect()
}

#[test]
fn pitfall_and_offloaded_sit_side_by_side_per_backend() {
    let results = blocking();
    let cells = verified(&results);
    let runs = [results];
    let html = html(&runs);
    let section = section(&html);
    // Rows by backend, then mode: each backend's modes together, in the order inline,
    // offload, rayon, block-in-place.
    let row = |backend: &str, mode: BlockingMode| {
        section
            .find(&format!(
                "<tr><td>{backend}</td><td><span class=\"ok\">ok</span></td><td>{}</td>",
                mode.name()
            ))
            .unwrap_or_else(|| panic!("row {backend} {mode:?}"))
    };
    let mut rows: Vec<(usize, &str, BlockingMode)> = cells
        .iter()
        .map(|(backend, mode)| (row(backend, *mode), backend.as_str(), *mode))
        .collect();
    rows.sort_by_key(|(at, _, _)| *at);
    let mut seen: Vec<&str> = Vec::new();
    for pair in rows.windows(2) {
        let ((_, a, a_mode), (_, b, b_mode)) = (pair[0], pair[1]);
        if a == b {
            let rank = |m| BlockingMode::ALL.iter().position(|&x| x == m);
            assert!(
                rank(a_mode) < rank(b_mode),
                "{a}: {a_mode:?} before {b_mode:?}"
            );
        } else {
            seen.push(a);
            assert!(!seen.contains(&b), "{b}'s rows are not together");
        }
    }
    // Some backend ran all four modes, so the ordering above is exercised.
    assert!(cells.iter().any(|(_, m)| *m == BlockingMode::BlockInPlace));
    // The headline names each async runtime's inline p99 against its offloaded, and the
    // OS threads' control.
    for runtime in backends_in(&runs[0], Family::AsyncRuntime) {
        assert!(
            section.contains(&format!("{runtime} p99 ")),
            "{runtime} in the headline"
        );
    }
    assert!(section.contains("Tick lateness: "));
    let control = first_in(&runs[0], Family::Threads);
    assert!(section.contains(&format!("{control} p99")));
    assert!(section.contains(&format!("via {}", BlockingMode::Rayon.name())));
    // A skipped cell says why.
    for skipped in runs[0]
        .cells
        .iter()
        .filter(|c| c.status == CellStatus::Skipped)
    {
        let reason = skipped.reason.as_deref().expect("a reason");
        assert!(reason.starts_with("not applicable"), "{reason}");
        assert!(
            section.contains(&shootout_report::format::escape(reason)),
            "{reason}"
        );
    }
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
    assert_eq!(row.verdict, Verdict::Confirmed, "{}", row.why());
    // The least late cell has its jobs off the event loop.
    assert!(
        [BlockingMode::Offload, BlockingMode::Rayon]
            .iter()
            .any(|m| row.best.ends_with(&format!(" {}", m.name()))),
        "{}",
        row.best
    );
    let runtimes = backends_in(&runs[0], Family::AsyncRuntime);
    assert!(runtimes.len() >= 2);
    for backend in &runtimes {
        assert!(
            row.why().contains(&format!("{backend} ")),
            "{backend} in {}",
            row.why()
        );
    }

    // Give one runtime's inline and offloaded trials all the same p99 (times `factor`
    // offloaded): at 1, offloading no longer matters; at 2, it hurts.
    let runtime = &runtimes[0];
    let doctored = |factor: f64| {
        let mut doctored = blocking();
        for (mode, p99) in [
            (BlockingMode::Inline, 200_000.0),
            (BlockingMode::Offload, 200_000.0 * factor),
        ] {
            for trial in cell(&mut doctored, runtime, mode).trials.iter_mut() {
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
    assert_eq!(row.verdict, Verdict::DoesNotMatter, "{}", row.why());
    assert!(
        row.why()
            .contains(&format!("equivalent within ±5% on {runtime}")),
        "{}",
        row.why()
    );
    // Twice as late offloaded as inline: the verdict flips, naming the runtime.
    let row = doctored(2.0);
    assert_eq!(row.verdict, Verdict::Contradicted, "{}", row.why());
    assert!(
        row.why().contains(&format!("on {runtime} 0.50×"))
            && row.why().contains("(inline / offloaded)"),
        "{}",
        row.why()
    );
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
    // One runtime has an idle-timer probe, the other none.
    let runtimes = backends_in(&results, Family::AsyncRuntime);
    let (probed, unprobed) = (runtimes[0].clone(), runtimes[1].clone());
    let p50 = |results: &mut RunResults| {
        cell(results, &probed, BlockingMode::Offload)
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
        backend: probed.clone(),
        p50_us: Some(spread),
        p99_us: Some(spread),
        trials: 3,
        p50_trials_us: vec![idle; 3],
        p99_trials_us: vec![idle; 3],
        failure: None,
    }];
    let runs = [results];
    let html = html(&runs);
    let section = section(&html);
    let seconds = shootout_report::format::seconds;
    let offload_row = |backend: &str| {
        section
            .split("<tr>")
            .find(|r| {
                r.starts_with(&format!("<td>{backend}</td>")) && r.contains("<td>offload</td>")
            })
            .unwrap_or_else(|| panic!("{backend} offload row"))
    };
    let row = offload_row(&probed);
    assert!(row.contains(&seconds(raw / 1e6)), "{row}");
    assert!(row.contains(&seconds((raw - idle) / 1e6)), "{row}");
    // A backend without a probe shows no net figure rather than a made-up one.
    let other = offload_row(&unprobed);
    assert!(
        other.contains("<td class=\"num\">–</td>") || other.contains("<td>–</td>"),
        "{other}"
    );
    // The Backends section shows the probe.
    assert!(html.contains("idle timer lateness p50 / max"));
}

#[test]
fn a_higher_p99_reads_worse_not_slower() {
    let runs = [blocking()];
    let rendered = common::report_of(&runs);
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
    // `0.5× [0.4–0.6] worse`, or with its corrected level `[...] (99.8%) worse`.
    assert!(
        (row.contains("] worse") || row.contains("%) worse")) && !row.contains("slower"),
        "{row}"
    );
}

#[test]
fn an_io_uring_runtime_counts_in_the_blocking_row() {
    // An io_uring runtime whose offloaded jobs leave its loop as late as inline ones: a
    // copy of an epoll runtime's inline cell under another name and family, with its
    // offloaded cell given the inline trials. The row must see it and stop confirming.
    let mut results = blocking();
    let epoll = first_in(&results, Family::AsyncRuntime);
    let inline = cell(&mut results, &epoll, BlockingMode::Inline).clone();
    let offload = cell(&mut results, &epoll, BlockingMode::Offload).clone();
    for mut copy in [inline.clone(), offload] {
        copy.backend = "uring".into();
        copy.family = Some(Family::IoUringRuntime);
        if mode_of(&copy) == Some(BlockingMode::Offload) {
            copy.trials = inline.trials.clone();
            copy.summary = inline.summary.clone();
        }
        results.cells.push(copy);
    }
    let runs = [results];
    let options = Options::default();
    let groups = analysis::groups(&runs, options);
    let row = analysis::decisions(&groups, 1, options)
        .into_iter()
        .find(|d| d.workload == "blocking")
        .expect("a blocking decision");
    // Equal trials: equivalent, or unclear with this many comparisons; never confirmed.
    assert!(
        matches!(row.verdict, Verdict::DoesNotMatter | Verdict::Inconclusive),
        "{:?}: {}",
        row.verdict,
        row.why()
    );
    assert!(row.why().contains("on uring 1.00×"), "{}", row.why());
}
