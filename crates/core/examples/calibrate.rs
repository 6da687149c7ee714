//! The row procedure on simulated rows of 12 backends: how often identical backends read a
//! false difference or "equivalent", and how often a real one is found, by noise, drift,
//! rounds and pairing. `cargo run --release -p shootout-core --example calibrate`.

use shootout_core::stats::Test;
use shootout_core::stats::calibration::{Design, Noise, simulate};

fn main() {
    let test = Test::default();
    let rows = 1_000;
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
