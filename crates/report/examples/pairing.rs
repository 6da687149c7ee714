//! How much narrower comparing round by round makes the intervals of a recorded run: for
//! every rival of every row that shares six or more rounds with the row's best, the 95%
//! interval of its ratio to the best as two samples (Mann–Whitney) and round by round
//! (Wilcoxon signed-rank), and how many of each lie wholly beyond or inside the margin.
//! `cargo run --release -p shootout-report --example pairing -- results.json`.

use shootout_core::results::RunResults;
use shootout_core::stats::Pairs;
use shootout_report::analysis::{self, Options, shared_rounds};

fn main() {
    let path = std::env::args().nth(1).expect("a results.json");
    let text = std::fs::read_to_string(&path).expect("readable");
    let runs: Vec<RunResults> = vec![serde_json::from_str(&text).expect("a results.json")];
    let test = shootout_report::findings::test(&runs, None);
    let options = Options {
        test,
        ..Options::default()
    };
    let (lo, hi) = (1.0 - test.margin, 1.0 + test.margin);
    let decided =
        |(_, low, high): (f64, f64, f64)| high < lo || low > hi || (low > lo && high < hi);
    let mut widths = Vec::new();
    let (mut apart_decided, mut paired_decided) = (0, 0);
    for group in analysis::groups(&runs, options) {
        let Some(best) = group.best() else { continue };
        let theirs = best.rounds(group.metric, false);
        for entry in group.ok().filter(|e| !std::ptr::eq(e.cell, best.cell)) {
            let mine = entry.rounds(group.metric, false);
            let Some((a, b)) = shared_rounds(&mine, &theirs).filter(|(a, _)| a.len() >= 6) else {
                continue;
            };
            let values = |r: &[(u32, f64)]| r.iter().map(|&(_, v)| v).collect::<Vec<f64>>();
            let (all_mine, all_theirs) = (values(&mine), values(&theirs));
            let (Some(two), Some(one)) = (
                test.interval(Pairs::Apart(&all_mine, &all_theirs)),
                test.interval(Pairs::Paired(&a, &b)),
            ) else {
                continue;
            };
            widths.push((one.2 / one.1).ln() / (two.2 / two.1).ln());
            apart_decided += usize::from(decided(two));
            paired_decided += usize::from(decided(one));
        }
    }
    if widths.is_empty() {
        println!("{path}: no rival shares six rounds with its row's best");
        return;
    }
    widths.sort_by(f64::total_cmp);
    let at = |q: f64| widths[((widths.len() - 1) as f64 * q).round() as usize];
    println!(
        "{path}: {} rivals sharing 6+ rounds with their row's best; 95% interval width paired / \
         two-sample: median {:.2}, quartiles {:.2}–{:.2}; wholly beyond or inside ±{:.0}%: {} \
         two-sample, {} paired",
        widths.len(),
        at(0.5),
        at(0.25),
        at(0.75),
        test.margin * 100.0,
        apart_decided,
        paired_decided
    );
}
