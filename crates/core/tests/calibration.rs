//! The row procedure calibrated (`shootout_core::stats::calibration`): on simulated rows of
//! twelve backends, and on the noise of a recorded quick run (the report's
//! tests/fixtures/quick.json). The README's "Calibration" paragraph gives the full table
//! (`cargo run --release -p shootout-core --example calibrate`); this pins its claims.

use shootout_core::results::RunResults;
use shootout_core::stats::Test;
use shootout_core::stats::calibration::{Design, Noise, Recorded, simulate};

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
fn a_recorded_runs_noise_reads_no_false_difference() {
    let run: RunResults =
        serde_json::from_str(include_str!("../../report/tests/fixtures/quick.json"))
            .expect("fixture parses");
    let groups = Recorded::of(&run, 6, 6);
    assert!(groups.len() >= 5, "{} groups", groups.len());
    for group in &groups {
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
        let null = simulate(&Test::default(), design, 0.0, 100, 3);
        assert!(null.false_rows <= 0.05, "{}: {null:?}", group.what);
    }
}
