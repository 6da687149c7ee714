//! The call section and its three rows ("threads for blocking libraries", one per library),
//! from the call cells of a real quick run (tests/fixtures/call.json, 2026-12-07). Backends
//! are picked from the fixture by family, never by name.

mod common;

use common::backends_in;
use shootout_core::results::{Cell, CellStatus, RunResults};
use shootout_core::{BlockingMode, Family, Workload};
use shootout_report::analysis::{self, Decision, Options, Verdict};

fn fixture() -> RunResults {
    serde_json::from_str(include_str!("fixtures/call.json")).expect("fixture parses")
}

/// The call rows of `runs`.
fn rows(runs: &[RunResults]) -> Vec<Decision> {
    let options = Options::default();
    let groups = analysis::groups(runs, options);
    analysis::decisions(&groups, 1, options)
        .into_iter()
        .filter(|d| d.workload.starts_with("call: "))
        .collect()
}

/// The row of the library named `library` in its label.
fn row<'d>(rows: &'d [Decision], library: &str) -> &'d Decision {
    rows.iter()
        .find(|d| d.workload.contains(library))
        .unwrap_or_else(|| panic!("a {library} row"))
}

/// Whether `cell` is `library`'s, in `mode` (`None`: the blocking pool).
fn is(cell: &Cell, library: &str, mode: Option<BlockingMode>) -> bool {
    matches!(&cell.workload, Workload::Call(spec)
        if spec.library.name() == library && spec.mode == mode && spec.client == Default::default())
}

#[test]
fn each_library_is_a_row_judged_pool_against_inline() {
    let rows = rows(&[fixture()]);
    assert_eq!(
        rows.len(),
        3,
        "{:?}",
        rows.iter().map(|d| &d.workload).collect::<Vec<_>>()
    );
    // The calls that wait: the blocking pool holds C at once, inline holds W.
    assert_eq!(
        row(&rows, "http").verdict,
        Verdict::Confirmed,
        "{}",
        row(&rows, "http").why()
    );
    let postgres = row(&rows, "postgres");
    assert_eq!(postgres.verdict, Verdict::Confirmed, "{}", postgres.why());
    // SQLite waits on nothing: the hop to the pool costs more than the call blocks.
    let sqlite = row(&rows, "sqlite");
    assert_eq!(sqlite.verdict, Verdict::Contradicted, "{}", sqlite.why());
    assert!(
        sqlite.why().contains("outrun the blocking pool"),
        "{}",
        sqlite.why()
    );
    // Every event loop that ran both is named; the switch to an async library is noted.
    let runtimes = backends_in(&fixture(), Family::AsyncRuntime);
    for backend in &runtimes {
        assert!(
            row(&rows, "http").why().contains(&format!("{backend} ")),
            "{backend}"
        );
    }
    assert!(
        row(&rows, "http")
            .why()
            .contains("Switching to an async library")
    );
}

#[test]
fn a_pool_no_faster_than_inline_reads_so() {
    let runtime = backends_in(&fixture(), Family::AsyncRuntime)[0].clone();
    // One runtime's pooled http trials made `factor` times its inline rate.
    let doctored = |factor: f64| {
        let mut run = fixture();
        let inline = run
            .cells
            .iter()
            .find(|c| c.backend == runtime && is(c, "http", Some(BlockingMode::Inline)))
            .expect("an inline http cell")
            .summary
            .as_ref()
            .expect("verified")
            .rate
            .median;
        let pooled = run
            .cells
            .iter_mut()
            .find(|c| c.backend == runtime && is(c, "http", None))
            .expect("a pooled http cell");
        let calls = match &pooled.workload {
            Workload::Call(spec) => spec.calls as f64,
            _ => unreachable!(),
        };
        for trial in pooled.trials.iter_mut().filter(|t| t.ok) {
            trial.record.as_mut().unwrap().wall_s = calls / (inline * factor);
        }
        rows(&[run])
    };
    let rows = doctored(1.0);
    let http = row(&rows, "http");
    assert_ne!(http.verdict, Verdict::Confirmed, "{}", http.why());
    let rows = doctored(0.5);
    let http = row(&rows, "http");
    assert_eq!(http.verdict, Verdict::Contradicted, "{}", http.why());
    assert!(
        http.why().contains(&format!("on {runtime} ")),
        "{}",
        http.why()
    );
}

#[test]
fn the_section_shows_every_placement_and_why_a_cell_did_not_run() {
    let html = common::report_of(&[fixture()]).html;
    let start = html.find("<section id=\"call\">").expect("call section");
    let end = html[start..].find("</section>").expect("section ends") + start;
    let section = &html[start..end];
    for header in [
        "calls/s",
        "p99 per call",
        "CPU per call",
        "memory per worker",
        "ticker p99 late",
    ] {
        assert!(section.contains(header), "{header}");
    }
    assert!(section.contains("inline") && section.contains("async-library"));
    // The postgres crate refuses tokio's workers, and SQLite has no async library: said.
    assert!(section.contains("Cannot start a runtime from within a runtime"));
    assert!(section.contains("no SQLite driver of the runtime&#39;s own"));
    let skipped = fixture()
        .cells
        .iter()
        .filter(|c| c.status == CellStatus::Skipped)
        .count();
    assert!(skipped >= 2);
}

#[test]
fn the_ticker_beside_the_calls_waits_for_inline_calls_not_for_the_pool() {
    use shootout_core::stats::Outcome;
    use shootout_report::analysis::grounds::Note;
    let rows = rows(&[fixture()]);
    let http = row(&rows, "http");
    let ticker = http
        .grounds
        .notes
        .iter()
        .find_map(|note| match note {
            Note::CallTicker { tick_us, pairs } => Some((*tick_us, pairs)),
            _ => None,
        })
        .expect("a ticker note");
    assert_eq!(ticker.0, 500);
    // Every async runtime with inline and pooled calls is compared, pool / inline.
    let runtimes = backends_in(&fixture(), Family::AsyncRuntime).len()
        + backends_in(&fixture(), Family::IoUringRuntime).len();
    assert_eq!(ticker.1.len(), runtimes, "{:?}", ticker.1);
    // Inline ureq calls hold the loop for the whole trial; on the pool the ticker is free.
    for (label, c) in ticker.1 {
        assert!(c.ratio < 0.5, "{label}: {c:?}");
    }
    let better = ticker
        .1
        .iter()
        .filter(|(_, c)| c.outcome == Outcome::Faster)
        .count();
    assert!(better * 2 > ticker.1.len(), "{}", http.why());
    // The pool's threads are memory too: the note compares it per worker.
    assert!(
        http.grounds
            .notes
            .iter()
            .any(|note| matches!(note, Note::PoolMemory(pairs) if !pairs.is_empty())),
        "{}",
        http.why()
    );
}
