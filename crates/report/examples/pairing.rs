//! How much narrower comparing round by round makes the intervals of a recorded run: every
//! comparison the report makes against a row's best, as two samples and paired where the
//! rule pairs it. `cargo run --release -p shootout-report --example pairing -- results.json`.

use shootout_core::results::RunResults;
use shootout_core::stats::Outcome;
use shootout_report::analysis::{self, Options};

fn main() {
    let path = std::env::args().nth(1).expect("a results.json");
    let text = std::fs::read_to_string(&path).expect("readable");
    let runs: Vec<RunResults> = vec![serde_json::from_str(&text).expect("a results.json")];
    let test = shootout_report::findings::test(&runs, None);
    let apart = Options {
        test,
        ..Options::default()
    };
    let paired = Options {
        paired: true,
        ..apart
    };
    let (two, one) = (
        analysis::groups(&runs, apart),
        analysis::groups(&runs, paired),
    );
    let width = |low: f64, high: f64| (high / low).ln();
    let mut ratios = Vec::new();
    let (mut decided_apart, mut decided_paired) = (0, 0);
    let decided = |o: Outcome| o != Outcome::Inconclusive;
    for (a, p) in two.iter().zip(&one) {
        for (ea, ep) in a.entries.iter().zip(&p.entries) {
            let (Some(ca), Some(cp)) = (a.versus_best(ea), p.versus_best(ep)) else {
                continue;
            };
            if !cp.paired || ca.ratio.is_nan() || cp.ratio.is_nan() {
                continue;
            }
            ratios.push(width(cp.low, cp.high) / width(ca.low, ca.high));
            decided_apart += usize::from(decided(ca.outcome));
            decided_paired += usize::from(decided(cp.outcome));
        }
    }
    ratios.sort_by(f64::total_cmp);
    if ratios.is_empty() {
        println!("{path}: no comparison was paired (too few shared rounds for its row)");
        return;
    }
    let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
    println!(
        "{path}: {} paired comparisons; paired interval width / two-sample width: median {:.2}, \
         quartiles {:.2}–{:.2}; decided {} two-sample, {} paired",
        ratios.len(),
        at(0.5),
        at(0.25),
        at(0.75),
        decided_apart,
        decided_paired
    );
}
