//! Each decision row is judged where the rule of thumb can be: at the largest size where a
//! backend of another family than the one the rule favours also verified. io_uring runtimes
//! are async runtimes to the rule, so a cell of epoll and io_uring runtimes alone is no such
//! size (the full run's 1,000,000-task sleep, where no thread or pool ran).

use shootout_core::Family;
use shootout_core::results::RunResults;
use shootout_report::analysis::{self, Options, Verdict};

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
