//! The timer and the scheduler, apart: a runtime whose timer wakes late reads worse on its
//! timer and on the raw sleep row, and level with the others once its own idle timer is
//! taken off. Doctored from the quick fixture (tests/fixtures/quick.json, made at df264b1
//! by `cargo run --release`).

use shootout_core::results::{RunResults, TimerProbe};
use shootout_core::stats::{Outcome, Spread};
use shootout_core::{Workload, WorkloadKind};
use shootout_report::findings::{self, Findings};

fn quick() -> RunResults {
    serde_json::from_str(include_str!("fixtures/quick.json")).expect("fixture parses")
}

fn probe(backend: &str, p50_us: f64) -> TimerProbe {
    let trials = vec![p50_us; 6];
    TimerProbe {
        backend: backend.into(),
        p50_us: Spread::of(trials.iter().copied()),
        p99_us: Spread::of(trials.iter().copied()),
        trials: 6,
        p50_trials_us: trials.clone(),
        p99_trials_us: trials,
        failure: None,
    }
}

#[test]
fn a_late_timer_is_the_timers_finding_not_the_schedulers() {
    let mut run = quick();
    // The headline sleep cell: smol's trials as measured, tokio's the same plus 11 ms, all
    // of it its timer (idle p50 11 ms against smol's 10 µs).
    let headline = |c: &shootout_core::results::Cell| {
        matches!(&c.workload, Workload::Sleep(s) if s.tasks == 10_000)
            && c.workload.variant().is_none()
    };
    let smol = run
        .cells
        .iter()
        .find(|c| headline(c) && c.backend == "smol")
        .expect("smol's sleep cell")
        .trials
        .clone();
    for cell in run.cells.iter_mut().filter(|c| headline(c)) {
        if cell.backend == "tokio" {
            cell.trials = smol.clone();
            for trial in &mut cell.trials {
                if let Some(record) = trial.record.as_mut() {
                    record.wall_s += 0.011;
                }
            }
            let records: Vec<_> = cell.records().collect();
            cell.summary = shootout_core::results::Summary::of(&cell.workload, &records);
        }
    }
    run.timers = vec![probe("tokio", 11_000.0), probe("smol", 10.0)];
    let runs = [run];
    let found = Findings::of(&runs, findings::test(&runs, None));
    let named = |what: &str| {
        found
            .apart
            .iter()
            .find(|a| a.what == what)
            .unwrap_or_else(|| panic!("a {what} finding"))
    };
    // The timers: smol's is the best, tokio's worse beyond the margin.
    let timers = named("idle timer");
    assert_eq!(timers.best, "smol");
    assert_eq!(timers.versus[0].comparison.outcome, Outcome::Slower);
    // The raw sleep row holds tokio slower; net of the timers it is level with smol.
    let raw = found
        .groups
        .iter()
        .find(|g| g.kind == WorkloadKind::Sleep && g.entries.iter().any(|e| headline(e.cell)))
        .unwrap();
    let tokio_raw = raw
        .entries
        .iter()
        .zip(&raw.versus)
        .find(|(e, _)| e.cell.backend == "tokio")
        .and_then(|(_, c)| c.clone())
        .expect("tokio against the best");
    assert_eq!(tokio_raw.outcome, Outcome::Slower, "{tokio_raw:?}");
    let net = named("sleep scheduler");
    let (tokio_net, smol_net) = (
        net.versus.iter().find(|v| v.label == "tokio"),
        net.versus.iter().find(|v| v.label == "smol"),
    );
    let level = match (tokio_net, smol_net) {
        // One of them is the best, the other against it.
        (Some(v), None) | (None, Some(v)) => v.comparison.clone(),
        _ => panic!("{net:?}"),
    };
    assert!((level.ratio - 1.0).abs() < 0.01, "{level:?}");
    assert_ne!(level.outcome, Outcome::Slower);
    assert_ne!(level.outcome, Outcome::Faster);
    let page = shootout_report::render(&shootout_report::Input {
        runs: &runs,
        baseline: None,
        criterion: None,
        benches: &[],
        margin: None,
    });
    assert!(page.html.contains("Timers and schedulers, apart"));
    assert!(page.markdown.contains("- idle timer (median lateness"));
}
