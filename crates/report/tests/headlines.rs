//! Each decision row is judged where the rule of thumb can be: at the largest size where a
//! backend of another family than the one the rule favours also verified. io_uring runtimes
//! are async runtimes to the rule, so a cell of epoll and io_uring runtimes alone is no such
//! size (the full run's 1,000,000-task sleep, where no thread or pool ran).

use shootout_core::results::RunResults;
use shootout_core::{Family, Workload};
use shootout_report::analysis::{self, Options, Verdict};

/// The committed full-profile run (tests/fixtures/full.json): made at df264b1 by `shootout
/// run --profile full` on the 2-core machine (its results.json names b649ebc with the
/// uncommitted changes df264b1 committed).
fn full() -> RunResults {
    serde_json::from_str(include_str!("fixtures/full.json")).expect("fixture parses")
}

#[test]
fn the_sleep_row_is_judged_where_another_family_verified() {
    let runs = [full()];
    let options = Options::default();
    let groups = analysis::groups(&runs, options);
    let row = analysis::decisions(&groups, 1, options)
        .into_iter()
        .find(|d| d.workload == "sleep")
        .expect("a sleep row");
    assert_ne!(row.verdict, Verdict::Open, "{}: {}", row.title, row.why());
    let group = groups
        .iter()
        .find(|g| g.title == row.title)
        .expect("the row's group");
    let is_async = |f: Family| matches!(f, Family::AsyncRuntime | Family::IoUringRuntime);
    assert!(
        group.ok().any(|e| !is_async(e.cell.family())),
        "{} holds only async runtimes",
        row.title
    );
}

#[test]
fn recorded_cpu_trials_over_w_fail_when_read_again() {
    // The W = 1 cpu cells of the full run at 2a59e23 (tests/fixtures/over-w.json), which
    // predates holding every backend to W: compio's default blocking pool used about 1.97
    // cores at --threads 1.
    let mut run: RunResults =
        serde_json::from_str(include_str!("fixtures/over-w.json")).expect("fixture parses");
    let status = |run: &RunResults| {
        run.cells
            .iter()
            .find(|c| {
                c.backend == "compio"
                    && c.threads == 1
                    && matches!(&c.workload, Workload::Cpu(s) if s.mode.is_none())
            })
            .expect("compio's cpu cell at W = 1")
            .status
    };
    assert_eq!(status(&run), shootout_core::results::CellStatus::Ok);
    assert!(run.recheck_cores() >= 5);
    assert_eq!(status(&run), shootout_core::results::CellStatus::Failed);
    // Held once, it holds: a second pass fails nothing more.
    assert_eq!(run.recheck_cores(), 0);
}
