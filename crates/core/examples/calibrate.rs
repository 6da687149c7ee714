//! The row procedure on simulated rows of 12 backends: how often identical backends read a
//! false difference or "equivalent", and how often a real one is found, by noise, drift,
//! rounds and pairing; then on the noise of recorded runs, given as arguments.
//! `cargo run --release -p shootout-core --example calibrate -- [results.json ...]`;
//! `-- --save FILE results.json ...` writes those runs' noise as a fixture
//! (`crates/core/tests/fixtures/recorded.json`, read by `tests/calibration.rs`) instead.

use shootout_core::results::RunResults;
use shootout_core::stats::Test;
use shootout_core::stats::calibration::{Design, Noise, Recorded, RecordedRun, simulate};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let runs = |paths: &[String]| -> Vec<(String, RunResults)> {
        paths
            .iter()
            .map(|path| {
                let text = std::fs::read_to_string(path).expect("readable");
                let run: RunResults = serde_json::from_str(&text).expect("a results.json");
                (path.clone(), run)
            })
            .collect()
    };
    if args.first().map(String::as_str) == Some("--save") {
        assert!(args.len() >= 3, "--save FILE results.json ...");
        let file = args.remove(1);
        let fixture: Vec<RecordedRun> = runs(&args[1..])
            .iter()
            .map(|(_, run)| RecordedRun::of(run))
            .collect();
        let text = serde_json::to_string(&fixture).expect("serializes");
        std::fs::write(&file, text + "\n").expect("writable");
        return;
    }
    let test = Test::default();
    let rows = 1_000;
    parametric(&test, rows);
    for (path, run) in runs(&args) {
        recorded(&test, &path, &run, rows / 4);
    }
}

/// Rows whose noise is each recorded group's own (groups of 6 or more cells sharing 6 or
/// more rounds), summed over the groups: the mean of each rate, and the worst false rows.
fn recorded(test: &Test, path: &str, run: &RunResults, rows: usize) {
    let groups = Recorded::of(run, 6, 6);
    println!(
        "\n{path}: {} groups of 6+ cells sharing 6+ rounds, {rows} rows each",
        groups.len()
    );
    println!(
        "{:>6} {:>7} {:>16} {:>9} {:>7} {:>7} {:>7}",
        "rounds", "paired", "false rows (max)", "equiv.", "5%", "10%", "25%"
    );
    for rounds in [6, 10] {
        for paired in [false, true] {
            let (mut false_rows, mut worst, mut equivalent) = (0.0, 0.0f64, 0.0);
            let mut power = [0.0; 3];
            for (i, group) in groups.iter().enumerate() {
                let design = Design {
                    backends: 12,
                    rounds,
                    noise: Noise::Recorded(group),
                    drift: 0.0,
                    paired,
                };
                let null = simulate(test, design, 0.0, rows, i as u64);
                false_rows += null.false_rows;
                worst = worst.max(null.false_rows);
                equivalent += null.equivalent;
                for (p, d) in power.iter_mut().zip([0.05, 0.10, 0.25]) {
                    *p += simulate(test, design, d, rows, 1000 + i as u64).found;
                }
            }
            let n = groups.len().max(1) as f64;
            println!(
                "{rounds:>6} {:>7} {:>9.3} ({:.3}) {:>9.3} {:>7.2} {:>7.2} {:>7.2}",
                if paired { "yes" } else { "no" },
                false_rows / n,
                worst,
                equivalent / n,
                power[0] / n,
                power[1] / n,
                power[2] / n
            );
        }
    }
}

/// Rows of log-normal and bursty noise, with and without a drift every round shares.
fn parametric(test: &Test, rows: usize) {
    let test = *test;
    println!(
        "rows of 12, {rows} each, ±{:.0}% margin, α = {}",
        test.margin * 100.0,
        test.alpha
    );
    println!(
        "{:<24} {:>5} {:>6} {:>7} {:>10} {:>9} {:>7} {:>7} {:>7}",
        "noise", "drift", "rounds", "paired", "false rows", "equiv.", "5%", "10%", "25%"
    );
    let noises = [
        ("log-normal 2%", Noise::LogNormal(0.02)),
        ("log-normal 5%", Noise::LogNormal(0.05)),
        ("log-normal 30%", Noise::LogNormal(0.30)),
        (
            "2% + 5% bursts of 1.5×",
            Noise::Bursts {
                cv: 0.02,
                p: 0.05,
                factor: 1.5,
            },
        ),
    ];
    for (name, noise) in noises {
        for drift in [0.0, 0.10] {
            for rounds in [6, 10] {
                for paired in [false, true] {
                    let design = Design {
                        backends: 12,
                        rounds,
                        noise,
                        drift,
                        paired,
                    };
                    let null = simulate(&test, design, 0.0, rows, 1);
                    let power: Vec<String> = [0.05, 0.10, 0.25]
                        .iter()
                        .map(|&d| format!("{:.2}", simulate(&test, design, d, rows, 2).found))
                        .collect();
                    println!(
                        "{name:<24} {:>4.0}% {rounds:>6} {:>7} {:>10.3} {:>9.3} {:>7} {:>7} {:>7}",
                        drift * 100.0,
                        if paired { "yes" } else { "no" },
                        null.false_rows,
                        null.equivalent,
                        power[0],
                        power[1],
                        power[2]
                    );
                }
            }
        }
    }
}
