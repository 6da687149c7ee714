//! The A/A check over recorded trials (tests/fixtures/aa-trials.json: 60 real trials of a
//! thread pool's quick cpu cell and 40 of an async runtime's fetch latency cell, from
//! `shootout run --backend B --workload cpu --trials 30` and `--backend B --workload fetch
//! --trials 20` with B the backend each fixture key ends with, each cell with its A/A
//! twin). Two labels drawn from the same cell's trials
//! must rarely be called faster or slower; a real 2x difference must usually be found.

use std::collections::BTreeMap;

use serde::Deserialize;
use shootout_core::stats::{Better, Outcome, Test};

#[derive(Deserialize)]
struct Recorded {
    rates: Vec<f64>,
}

fn recorded() -> BTreeMap<String, Recorded> {
    serde_json::from_str(include_str!("fixtures/aa-trials.json")).expect("fixture parses")
}

/// A seeded shuffle (SplitMix64 and Fisher–Yates), so each seed draws the same split.
fn shuffled(values: &[f64], seed: u64) -> Vec<f64> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut values = values.to_vec();
    for i in (1..values.len()).rev() {
        let j = ((u128::from(next()) * (i as u128 + 1)) >> 64) as usize;
        values.swap(i, j);
    }
    values
}

/// Outcomes of 20 seeds, each splitting the trials into two labels of 6 (the quick
/// profile's trial count), the second scaled by `factor`.
fn outcomes(rates: &[f64], factor: f64) -> Vec<Outcome> {
    let test = Test::default();
    (0..20)
        .map(|seed| {
            let drawn = shuffled(rates, seed);
            let a = &drawn[..6];
            let b: Vec<f64> = drawn[6..12].iter().map(|r| r * factor).collect();
            test.compare(&b, a, Better::Higher).outcome
        })
        .collect()
}

#[test]
fn same_cell_twice_is_rarely_called_different() {
    for (cell, recorded) in recorded() {
        assert!(recorded.rates.len() >= 12, "{cell}");
        let outcomes = outcomes(&recorded.rates, 1.0);
        let false_verdicts = outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Faster | Outcome::Slower))
            .count();
        // At most 10% of 20 seeds.
        assert!(false_verdicts <= 2, "{cell}: {outcomes:?}");
    }
}

#[test]
fn a_real_difference_in_the_same_trials_is_found() {
    // The check above could pass by never deciding anything: the same trials, one label
    // made half as fast, must be called slower in most seeds and never faster. (A 25%
    // difference is found in only 4 of 20 seeds on the cpu trials: this machine's CPU noise,
    // 1.6 to 4.8 Gelem/s for one cell, needs more than 6 trials for smaller differences.)
    for (cell, recorded) in recorded() {
        let outcomes = outcomes(&recorded.rates, 0.5);
        let slower = outcomes.iter().filter(|o| **o == Outcome::Slower).count();
        assert!(!outcomes.contains(&Outcome::Faster), "{cell}: {outcomes:?}");
        assert!(slower >= 10, "{cell}: {outcomes:?}");
    }
}
