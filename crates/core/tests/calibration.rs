//! The row procedure calibrated (`shootout_core::stats::calibration`): on simulated rows of
//! twelve backends, and on the noise of recorded runs of this machine, hours apart
//! (tests/fixtures/recorded.json, written by `cargo run --release -p shootout-core --example
//! calibrate -- --save FILE results.json ...`). The README's "Calibration" paragraph gives
//! the full table (the same example without `--save`); this pins its claims.

use shootout_core::stats::Test;
use shootout_core::stats::calibration::{Design, Noise, RecordedRun, simulate};

const ROW: Design<'static> = Design {
    backends: 12,
    rounds: 6,
    noise: Noise::LogNormal(0.02),
    drift: 0.0,
    paired: true,
};

#[test]
fn identical_backends_read_equivalent_and_rarely_different() {
    let test = Test::default();
    // Six paired rounds at 2% noise: identical backends read equivalent in 80% or more.
    let quiet = simulate(&test, ROW, 0.0, 400, 1);
    assert!(quiet.equivalent >= 0.8, "{quiet:?}");
    // False faster or slower: at most 5% of rows, at every noise level tried; at 30% the
    // rank tests of six trials sit at the bound (5.1% of 1,000 rows in the README's run).
    for (noise, bound) in [
        (Noise::LogNormal(0.02), 0.05),
        (Noise::LogNormal(0.05), 0.05),
        (Noise::LogNormal(0.30), 0.065),
        (
            Noise::Bursts {
                cv: 0.02,
                p: 0.05,
                factor: 1.5,
            },
            0.05,
        ),
    ] {
        for (drift, paired) in [(0.0, false), (0.0, true), (0.10, true)] {
            let design = Design {
                noise,
                drift,
                paired,
                ..ROW
            };
            let null = simulate(&test, design, 0.0, 400, 2);
            assert!(null.false_rows <= bound, "{design:?}: {null:?}");
        }
    }
}

#[test]
fn power_at_five_ten_and_twenty_five_percent() {
    // Six paired rounds at 2% noise, the README's figures: a 5% difference sits at the
    // ±5% margin and is rarely called slower (by design); 10% mostly; 25% always.
    let test = Test::default();
    let found = |difference| simulate(&test, ROW, difference, 400, 4).found;
    let power = [found(0.05), found(0.10), found(0.25)];
    assert!(power[0] <= 0.10, "{power:?}");
    assert!(power[1] >= 0.80, "{power:?}");
    assert!(power[2] >= 0.99, "{power:?}");
}

fn recorded() -> Vec<RecordedRun> {
    serde_json::from_str(include_str!("fixtures/recorded.json")).expect("fixture parses")
}

#[test]
fn recorded_runs_hours_apart_read_no_false_difference() {
    let runs = recorded();
    assert!(runs.len() >= 2, "{} runs", runs.len());
    let (first, last) = (
        runs.iter().map(|r| r.started_unix_s).min().unwrap_or(0),
        runs.iter().map(|r| r.started_unix_s).max().unwrap_or(0),
    );
    assert!(
        last - first >= 3600,
        "the runs started {} s apart",
        last - first
    );
    let test = Test::default();
    for run in &runs {
        assert!(
            run.groups.len() >= 5,
            "{}: {} groups",
            run.source,
            run.groups.len()
        );
        let mut power = [0.0; 3];
        for (i, group) in run.groups.iter().enumerate() {
            // Each cell's deviations are from its own median.
            for cell in 0..group.cells() {
                let mut column: Vec<f64> = group.rounds.iter().map(|r| r[cell]).collect();
                column.sort_by(f64::total_cmp);
                let middle = (column[(column.len() - 1) / 2] + column[column.len() / 2]) / 2.0;
                assert!(middle.abs() < 1e-12, "{}: {middle}", group.what);
            }
            let design = Design {
                noise: Noise::Recorded(group),
                ..ROW
            };
            let null = simulate(&test, design, 0.0, 100, 3 + i as u64);
            assert!(
                null.false_rows <= 0.05,
                "{}: {}: {null:?}",
                run.source,
                group.what
            );
            for (p, d) in power.iter_mut().zip([0.05, 0.10, 0.25]) {
                *p += simulate(&test, design, d, 100, 100 + i as u64).found;
            }
        }
        // Power on the machine's own noise, averaged over the groups: it grows with the
        // difference, and a 25% difference is found in most rows.
        let power = power.map(|p| p / run.groups.len() as f64);
        assert!(
            power[0] <= power[1] && power[1] <= power[2],
            "{}: {power:?}",
            run.source
        );
        assert!(power[2] >= 0.5, "{}: {power:?}", run.source);
    }
}
