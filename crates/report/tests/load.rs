//! The "Latency under load" section, from the load cells of a real quick run
//! (tests/fixtures/load.json: 200 Poisson arrivals at 2000/s on 16 connections, every
//! backend), and a sweep built from it. Backends are picked by what their cells show,
//! never by name.

mod common;

use common::first_in;
use shootout_core::fetch::Scenario;
use shootout_core::results::{Cell, RunResults};
use shootout_core::{Family, Workload, WorkloadSpec};
use shootout_report::load::{self, Knee};

fn fixture() -> RunResults {
    serde_json::from_str(include_str!("fixtures/load.json")).expect("fixture parses")
}

fn html(run: RunResults) -> String {
    common::report_of(&[run]).html
}

fn section(html: &str) -> &str {
    let start = html.find("<section id=\"load\">").expect("load section");
    let end = html[start..].find("</section>").expect("section ends") + start;
    &html[start..end]
}

/// (p99 from due, p99 from send) medians of a verified cell, microseconds.
fn clocks(cell: &Cell) -> (f64, f64) {
    let summary = cell.summary.as_ref().expect("verified");
    (
        summary.from_due_us.as_ref().expect("paced").p99.median,
        summary.latency_us.as_ref().expect("latency").p99.median,
    )
}

#[test]
fn one_rate_names_who_fell_behind_and_what_the_send_clock_hid() {
    let run = fixture();
    // From the data: backends whose p99 from due is ten times their p99 from the send
    // fell behind the schedule; the rest kept it within a few ms.
    let (behind, kept): (Vec<&Cell>, Vec<&Cell>) = run.cells.iter().partition(|c| {
        let (due, send) = clocks(c);
        due > 10.0 * send
    });
    assert!(!behind.is_empty() && kept.len() >= 8, "{}", behind.len());
    let page = html(run.clone());
    let section = section(&page);
    assert!(section.contains(&format!(
        "{} of {} backends kept up with the schedule",
        kept.len(),
        run.cells.len()
    )));
    for cell in &behind {
        let (due, send) = clocks(cell);
        let named = format!(
            "{} (p99 {} from due, {} from the send)",
            cell.backend,
            shootout_report::format::seconds(due / 1e6),
            shootout_report::format::seconds(send / 1e6)
        );
        assert!(section.contains(&named), "{named}");
    }
    for cell in &kept {
        assert!(
            !section.contains(&format!("{} (p99", cell.backend)),
            "{} kept up",
            cell.backend
        );
    }
    assert!(section.contains("p99 from send") && section.contains("p99 late send"));
    // One rate: no knee and no chart.
    assert!(!section.contains("knee (offered)"));
    assert_eq!(section.matches("<svg").count(), 0);
}

/// The fixture's cells again at `rate` (each trial as far from its new ideal time as it
/// was from its old one), p99 from due scaled by `factor` for `backend`.
fn at_rate(run: &RunResults, rate: f64, backend: &str, factor: f64) -> Vec<Cell> {
    run.cells
        .iter()
        .cloned()
        .map(|mut cell| {
            let Workload::Fetch(spec) = &mut cell.workload else {
                unreachable!("load cells are fetch cells")
            };
            let before = spec.ideal_s().expect("paced");
            let Scenario::Load { pace, .. } = &mut spec.scenario else {
                unreachable!("load cells are load cells")
            };
            pace.rate = rate;
            let stretch = spec.ideal_s().expect("paced") / before;
            let scale = if cell.backend == backend { factor } else { 1.0 };
            for trial in &mut cell.trials {
                let Some(record) = trial.record.as_mut() else {
                    continue;
                };
                record.wall_s *= stretch;
                if let Some(due) = record.fetch.as_mut().and_then(|f| f.from_due_us.as_mut()) {
                    due.p99 = (due.p99 as f64 * scale) as u64;
                }
            }
            if let Some(summary) = cell.summary.as_mut() {
                summary.wall_s.median *= stretch;
                if let Some(due) = summary.from_due_us.as_mut() {
                    due.p99.median *= scale;
                }
            }
            cell
        })
        .collect()
}

#[test]
fn a_sweep_gives_each_backend_its_knee_against_the_slo() {
    let mut run = fixture();
    // The same figures at 1000/s and 2000/s; at 4000/s the OS-threads client's p99 from due
    // grows 20 times, past ten times the unloaded p99.
    let control = first_in(&run, Family::Threads);
    let mut cells = at_rate(&run, 1_000.0, &control, 1.0);
    cells.extend(run.cells.clone());
    cells.extend(at_rate(&run, 4_000.0, &control, 20.0));
    run.cells = cells;
    let options = shootout_report::analysis::Options::default();
    let groups = shootout_report::analysis::groups(std::slice::from_ref(&run), options);
    let sweeps = load::sweeps(&groups, 1, None);
    assert_eq!(sweeps.len(), 1);
    let sweep = &sweeps[0];
    assert_eq!(sweep.groups.len(), 3);
    let best_unloaded = run
        .cells
        .iter()
        .map(|c| clocks(c).0)
        .min_by(f64::total_cmp)
        .unwrap();
    assert!((sweep.slo_us - 10.0 * best_unloaded).abs() < 1e-6);
    for line in &sweep.lines {
        let cell = run
            .cells
            .iter()
            .find(|c| c.backend == line.backend)
            .unwrap();
        let fell_behind = clocks(cell).0 > sweep.slo_us;
        let expected = if fell_behind {
            Knee::Below(1_000.0)
        } else if line.backend == control {
            Knee::At(2_000.0)
        } else {
            Knee::Beyond(4_000.0)
        };
        assert_eq!(line.knee, expected, "{}", line.label);
    }
    let page = html(run.clone());
    let section = section(&page);
    assert!(section.contains("knee (offered)"));
    assert!(section.contains(&format!("<td>{control}</td><td class=\"num\">2000/s</td>")));
    assert!(section.contains("<td>&lt; 1000/s</td>"), "escaped");
    assert!(section.contains("exceeds the SLO"));
    assert!(section.contains("Most load within the SLO"));
    assert_eq!(
        section.matches("<svg").count(),
        2,
        "p99 and achieved charts"
    );

    // The Summary row: knees trial by trial, the same test as every row. The async
    // runtimes hold to 4000/s in every trial, and so does the pool that keeps all 16
    // connections busy: for this much load the choice does not matter. The OS-threads
    // client holds to 2000/s, half as much, beyond the margin.
    let decisions = shootout_report::analysis::decisions(&groups, 1, options);
    let row = decisions
        .iter()
        .find(|d| d.workload == "load: most within the SLO")
        .expect("a knee row");
    assert_eq!(
        row.verdict,
        shootout_report::analysis::Verdict::DoesNotMatter,
        "{}",
        row.why()
    );
    // Tied knees are reported as a tie (or a lead not shown), never as a named best.
    assert!(
        row.best.starts_with("no difference among ")
            || row.best.starts_with("none shown ahead among "),
        "{}",
        row.best
    );
    assert!(!row.best.contains(&control), "{}", row.best);
    assert!(
        row.best_value.contains("holds to 4000/s"),
        "{}",
        row.best_value
    );
    let threads = row.versus.iter().find(|v| v.label == control).unwrap();
    assert_eq!(
        threads.comparison.outcome,
        shootout_core::stats::Outcome::Slower
    );
    assert!((threads.comparison.ratio - 0.5).abs() < 0.01, "{threads:?}");
    assert!(page.contains("load: most within the SLO"));

    // A given SLO replaces the default, and says so.
    run.settings.slo_ms = Some(500.0);
    let page = html(run);
    assert!(section_of(&page).contains("as given (--slo-ms)"));
}

fn section_of(page: &str) -> String {
    section(page).to_string()
}
