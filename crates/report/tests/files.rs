//! The files section and its four rows ("io_uring for files", each shape warm and cold), from
//! the files cells of a real quick run (tests/fixtures/files.json, 2026-12-07). Backends are
//! picked from the fixture by family, never by name.

mod common;

use common::{family_of, report_of};
use shootout_core::Family;
use shootout_core::results::RunResults;
use shootout_report::analysis::grounds::Basis;
use shootout_report::analysis::{self, Decision, Options};

fn fixture() -> RunResults {
    serde_json::from_str(include_str!("fixtures/files.json")).expect("fixture parses")
}

/// The files rows of `runs`.
fn rows(runs: &[RunResults]) -> Vec<Decision> {
    let options = Options::default();
    let groups = analysis::groups(runs, options);
    analysis::decisions(&groups, 1, options)
        .into_iter()
        .filter(|d| d.workload.starts_with("files: "))
        .collect()
}

#[test]
fn each_shape_and_cache_state_is_a_row_with_io_uring_apart() {
    let rows = rows(&[fixture()]);
    let names: Vec<&str> = rows.iter().map(|d| d.workload.as_str()).collect();
    assert_eq!(
        names,
        [
            "files: small files, warm",
            "files: small files, cold",
            "files: random reads, warm",
            "files: random reads, cold",
        ]
    );
    for row in &rows {
        assert_eq!(row.rule, "io_uring for files", "{}", row.workload);
        // The best io_uring runtime, against the best epoll runtime and the best backend
        // of plain threads, in that order.
        let Basis::OnRing { ring, pairs } = &row.grounds.basis else {
            panic!("{}: {:?}", row.workload, row.grounds.basis);
        };
        let ring = ring.as_deref().expect("an io_uring runtime verified");
        let run = fixture();
        assert_eq!(
            family_of(&run, ring),
            Family::IoUringRuntime,
            "{}",
            row.workload
        );
        let rivals: Vec<Family> = pairs
            .iter()
            .map(|(label, _)| family_of(&run, label))
            .collect();
        assert_eq!(
            rivals,
            [Family::AsyncRuntime, Family::Threads],
            "{}",
            row.workload
        );
        assert!(
            row.why().contains("the best io_uring runtime"),
            "{}",
            row.why()
        );
    }
}

#[test]
fn the_section_states_each_cells_cache_as_measured() {
    let runs = [fixture()];
    let report = report_of(&runs);
    let html = &report.html;
    let at = html.find("id=\"files\"").expect("a files section");
    let section = &html[at..];
    assert!(section.contains("from the device"));
    // Warm cells read from memory (0%), cold ones from the device (about 100%).
    assert!(section.contains("<td class=\"num\">0%</td>") || section.contains(">0%<"));
    assert!(section.contains(">100%<") || section.contains(">99%<") || section.contains(">101%<"));
    assert!(report.markdown.contains("files: random reads, cold"));
}

#[test]
fn a_cold_cell_read_from_memory_is_called_cold_in_name_only() {
    let render = |runs: &[RunResults]| report_of(runs).html;
    let real = [fixture()];
    assert!(!render(&real).contains("in name only"));
    // As on tmpfs: the cold cells' trials read nothing from the device.
    let mut doctored = fixture();
    for cell in &mut doctored.cells {
        let cold = cell
            .workload
            .files()
            .is_some_and(|s| s.cache.name() == "cold");
        for trial in cell.trials.iter_mut().filter(|_| cold) {
            if let Some(record) = trial.record.as_mut() {
                record.device_read_bytes = Some(0);
            }
        }
    }
    let html = render(&[doctored]);
    assert!(html.contains("Cold in name only: "), "no note");
    assert!(!html.contains("Warm in name only"));
}

/// The log cell of a real run (tests/fixtures/files-log.json, 2026-12-07: 10,000 4 KiB
/// writes, each fdatasync'd, 16 writers).
fn log_fixture() -> RunResults {
    serde_json::from_str(include_str!("fixtures/files-log.json")).expect("fixture parses")
}

#[test]
fn a_write_shape_is_its_own_row_and_its_table_counts_writes_to_the_device() {
    let runs = [log_fixture()];
    let rows = rows(&runs);
    let names: Vec<&str> = rows.iter().map(|d| d.workload.as_str()).collect();
    assert_eq!(names, ["files: log writes, fdatasync each"]);
    assert_eq!(rows[0].rule, "io_uring for files");
    let report = report_of(&runs);
    let at = report.html.find("id=\"files\"").expect("a files section");
    let section = &report.html[at..];
    for words in [
        "writes/s",
        "p99 per write",
        "CPU per write",
        "to the device",
    ] {
        assert!(section.contains(words), "{words}");
    }
    assert!(!section.contains("reads/s") && !section.contains("from the device"));
    // Every byte written went to the device within the clock: the fdatasyncs, measured.
    assert!(section.contains(">100%<"), "no 100% to the device");
    // A write cell read nothing from the device: never "warm in name only".
    assert!(!section.contains("in name only"));
}
