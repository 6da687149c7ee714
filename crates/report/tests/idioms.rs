//! A backend's own idiom never decides a verdict (the shared design does: a difference there
//! is one of runtimes), but when it beat every shared design the decision row says so, with
//! the shared designs' best against it: doctored copies of the full-profile run make an idiom
//! lead and trail in the row.

use shootout_core::Workload;
use shootout_core::results::RunResults;
use shootout_report::analysis::{self, Decision, Options};

/// The committed full-profile run (tests/fixtures/full.json): made at df264b1 by `shootout
/// run --profile full` on the 2-core machine (its results.json names b649ebc with the
/// uncommitted changes df264b1 committed).
fn full() -> RunResults {
    serde_json::from_str(include_str!("fixtures/full.json")).expect("fixture parses")
}

/// The concurrency of a plain fetch cell with server latency (the latency rows).
fn latency_concurrency(workload: &Workload) -> Option<u64> {
    match workload {
        Workload::Fetch(s) if s.latency_ms > 0 && s.fail() == 0.0 && s.reset() == 0.0 => {
            Some(s.concurrency)
        }
        _ => None,
    }
}

/// Scales the trials' wall and CPU times of the verified idiom cells of the headline fetch latency
/// row (the largest concurrency) by `factor`: every one of them, or only the first when
/// `first_only`. Returns the first one's backend.
fn doctor(run: &mut RunResults, factor: f64, first_only: bool) -> String {
    let largest = run
        .cells
        .iter()
        .filter_map(|c| latency_concurrency(&c.workload))
        .max()
        .expect("the full run has fetch latency cells");
    let mut idioms = run.cells.iter_mut().filter(|c| {
        latency_concurrency(&c.workload) == Some(largest)
            && c.workload.design_variant().is_some()
            && c.summary.is_some()
    });
    let first = idioms.next().expect("an idiom ran in the headline row");
    let backend = first.backend.clone();
    let rest: Vec<_> = if first_only {
        Vec::new()
    } else {
        idioms.collect()
    };
    for cell in std::iter::once(first).chain(rest) {
        for trial in cell.trials.iter_mut() {
            if let Some(record) = trial.record.as_mut() {
                // The row is judged on CPU per request: the CPU scales with the time.
                record.wall_s *= factor;
                record.user_s *= factor;
                record.sys_s *= factor;
            }
        }
    }
    backend
}

fn latency_row(run: RunResults) -> Decision {
    let runs = [run];
    let options = Options::default();
    let groups = analysis::groups(&runs, options);
    analysis::decisions(&groups, 1, options)
        .into_iter()
        .find(|d| d.workload == "fetch (latency)")
        .expect("a fetch latency row")
}

#[test]
fn an_idiom_that_beat_every_shared_design_is_named_beside_the_verdict() {
    let mut run = full();
    doctor(&mut run, 3.0, false);
    let untouched = latency_row(run.clone());
    let backend = doctor(&mut run, 0.3 / 3.0, true);
    let row = latency_row(run);
    // The verdict and the best are the shared designs' own.
    assert_eq!(row.verdict, untouched.verdict, "{}", row.why());
    assert_eq!(row.best, untouched.best);
    assert!(
        row.why().contains(&format!(
            "A backend's own idiom beat every shared design: {backend} task-per-request leads \
             by median, and the best shared design, {}, is at ",
            row.top
        )),
        "{}",
        row.why()
    );
    assert!(row.why().contains("(costlier)"), "{}", row.why());
}

#[test]
fn an_idiom_level_with_the_best_shared_design_adds_nothing() {
    // Every idiom of the row at the best shared design's own trials, 1% faster: it leads
    // by median, but not beyond the margin.
    let mut run = full();
    doctor(&mut run, 3.0, false);
    let best = latency_row(run.clone()).top;
    let largest = run
        .cells
        .iter()
        .filter_map(|c| latency_concurrency(&c.workload))
        .max()
        .unwrap();
    let in_row =
        |c: &shootout_core::results::Cell| latency_concurrency(&c.workload) == Some(largest);
    let trials = run
        .cells
        .iter()
        .find(|c| in_row(c) && c.backend == best && c.workload.design_variant().is_none())
        .expect("the best shared design's cell")
        .trials
        .clone();
    for cell in run.cells.iter_mut() {
        if in_row(cell) && cell.workload.design_variant().is_some() && cell.summary.is_some() {
            cell.trials = trials.clone();
            for trial in cell.trials.iter_mut() {
                if let Some(record) = trial.record.as_mut() {
                    record.wall_s *= 0.99;
                    record.user_s *= 0.99;
                    record.sys_s *= 0.99;
                }
            }
        }
    }
    let row = latency_row(run);
    assert!(!row.why().contains("own idiom"), "{}", row.why());
}

#[test]
fn an_idiom_behind_the_shared_designs_adds_nothing() {
    let mut run = full();
    doctor(&mut run, 3.0, false);
    let row = latency_row(run);
    assert!(!row.why().contains("own idiom"), "{}", row.why());
}

#[test]
fn an_idiom_not_held_to_w_says_so_and_the_verdict_stays_with_w() {
    // Made at 4d9e5e3 by `shootout run --workload cpu --backend threads,rayon,crossbeam
    // --threads 1`: threads on W threads beside its thread-per-job variant.
    let run: RunResults =
        serde_json::from_str(include_str!("fixtures/cpu-w1.json")).expect("fixture parses");
    let runs = [run];
    let options = Options::default();
    let groups = analysis::groups(&runs, options);
    let row = analysis::decisions(&groups, 1, options)
        .into_iter()
        .find(|d| d.workload == "cpu")
        .expect("a cpu row");
    // The verdict compares designs on W = 1; the variant on both cores is beside it.
    assert_ne!(
        row.verdict,
        analysis::Verdict::Contradicted,
        "{}",
        row.why()
    );
    assert!(
        row.why()
            .contains("threads thread-per-job leads by median on 1.8"),
        "{}",
        row.why()
    );
    assert!(
        row.why()
            .contains("cores, where every shared design keeps to W = 1 (an idiom not held to W)"),
        "{}",
        row.why()
    );
}
