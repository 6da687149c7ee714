//! Trials a neighbour slowed without stealing CPU: the same work took more of the trial's
//! own CPU time. Doctored from the quick fixture (tests/fixtures/quick.json): two of a
//! cell's six trials made three times slower, wall and CPU alike, as such a neighbour
//! makes them, are flagged, and leaving them out can change what a row says.

use shootout_core::results::RunResults;
use shootout_report::findings::{self, Findings};

fn quick() -> RunResults {
    serde_json::from_str(include_str!("fixtures/quick.json")).expect("fixture parses")
}

/// Slows trials 1 and 2 of the cell at `cell` threefold.
fn slow_two(run: &mut RunResults, cell: usize) {
    for trial in run.cells[cell].trials.iter_mut().filter(|t| t.index <= 2) {
        let record = trial.record.as_mut().expect("a record");
        record.wall_s *= 3.0;
        record.user_s *= 3.0;
        record.sys_s *= 3.0;
        // Not stolen: the steal check sees nothing.
        record.disturbance = None;
    }
    let c = &mut run.cells[cell];
    c.summary = shootout_core::results::Summary::of(&c.workload, &c.records().collect::<Vec<_>>());
}

#[test]
fn the_same_work_taking_far_more_cpu_time_is_flagged() {
    let mut run = quick();
    // A cpu cell whose trials' CPU time per element agree within 30%: identical work.
    let per_op = |c: &shootout_core::results::Cell| -> Vec<f64> {
        c.records()
            .map(|r| (r.user_s + r.sys_s) / r.ops as f64)
            .collect()
    };
    let at = run
        .cells
        .iter()
        .position(|c| {
            let values = per_op(c);
            let (low, high) = values
                .iter()
                .fold((f64::INFINITY, 0.0f64), |(l, h), &v| (l.min(v), h.max(v)));
            c.workload.kind() == shootout_core::WorkloadKind::Cpu
                && values.len() == 6
                && high < 1.3 * low
        })
        .expect("a quiet cpu cell of six trials");
    slow_two(&mut run, at);
    assert_eq!(run.cells[at].slowed(), [1, 2]);
    let runs = [run];
    let found = Findings::of(&runs, findings::test(&runs, None));
    assert!(found.disturbed.slowed >= 2, "{:?}", found.disturbed);
    let said = findings::disturbed_sentence(&found.disturbed);
    assert!(
        said.contains("for their own CPU time per operation"),
        "{said}"
    );
}

#[test]
fn leaving_slowed_trials_out_can_change_a_row() {
    let mut run = quick();
    let runs = [run.clone()];
    let before = Findings::of(&runs, findings::test(&runs, None));
    // The cpu row, where many backends are within a few percent of the top: slowing two of
    // the top's six trials costs it the lead, and leaving the flagged trials out changes
    // the row again.
    let row = before
        .decisions
        .iter()
        .find(|d| d.workload == "cpu")
        .expect("the cpu row");
    let title = row.title.clone();
    let top = row.top.clone();
    let at = run
        .cells
        .iter()
        .position(|c| c.workload.comparable(c.threads) == title && label(c) == top)
        .unwrap_or_else(|| panic!("{top} in {title}"));
    slow_two(&mut run, at);
    let runs = [run];
    let after = Findings::of(&runs, findings::test(&runs, None));
    let changed = after
        .decisions
        .iter()
        .find(|d| d.title == title)
        .expect("the row");
    assert_ne!(
        changed.top, top,
        "two trials at a third of the rate cost the lead"
    );
    assert!(
        after
            .disturbed
            .changes
            .iter()
            .any(|c| c.starts_with(&format!(
                "cpu: {} ({}) becomes",
                changed.verdict.name(),
                changed.top
            ))),
        "leaving them out changes the cpu row: {:?}",
        after.disturbed.changes
    );
    let said = findings::disturbed_sentence(&after.disturbed);
    assert!(said.contains("leaving them out changes"), "{said}");
}

/// A cell's label as the rows give it: backend, then its variant.
fn label(cell: &shootout_core::results::Cell) -> String {
    match cell.workload.variant() {
        Some(variant) => format!("{} {variant}", cell.backend),
        None => cell.backend.clone(),
    }
}
