//! The comparison of two backends, checked against hand counts, brute force and R.

use super::*;

const BASE: [f64; 6] = [100.0, 101.2, 99.1, 100.6, 99.6, 100.3];

fn scaled(factor: f64, jitter: &[f64]) -> Vec<f64> {
    BASE.iter()
        .zip(jitter.iter().cycle())
        .map(|(v, j)| v * factor * (1.0 + j))
        .collect()
}

#[test]
fn a_clear_difference_is_faster_or_slower() {
    let test = Test::default();
    let fast = scaled(1.25, &[0.004, -0.003, 0.001]);
    let c = test.compare(&fast, &BASE, Better::Higher);
    assert_eq!(c.outcome, Outcome::Faster, "{c:?}");
    assert!((c.ratio - 1.25).abs() < 0.02, "{c:?}");
    assert!(c.low > 1.05 && c.high < 1.35, "{c:?}");
    assert!(c.level >= 0.95);
    // The same numbers as latencies: more is worse.
    let c = test.compare(&fast, &BASE, Better::Lower);
    assert_eq!(c.outcome, Outcome::Slower);
    let c = test.compare(&BASE, &fast, Better::Higher);
    assert_eq!(c.outcome, Outcome::Slower);
    assert_eq!(c.needed, Needed::Decided);
}

#[test]
fn an_equivalent_pair_is_equivalent() {
    let test = Test::default();
    let same = scaled(1.005, &[0.003, -0.004, 0.002, -0.001]);
    let c = test.compare(&same, &BASE, Better::Higher);
    assert_eq!(c.outcome, Outcome::Equivalent, "{c:?}");
    assert!(c.low > 0.95 && c.high < 1.05, "{c:?}");
}

#[test]
fn an_unclear_pair_is_inconclusive_and_says_what_would_decide_it() {
    let test = Test::default();
    // About 4% slower with +-6% noise: the interval straddles the 0.95 edge.
    let noisy = scaled(0.96, &[0.06, -0.05, 0.02, -0.06, 0.05, -0.01]);
    let c = test.compare(&noisy, &BASE, Better::Higher);
    assert_eq!(c.outcome, Outcome::Inconclusive, "{c:?}");
    assert!(c.low < 0.95 && c.high > 0.95, "{c:?}");
    assert!(matches!(c.needed, Needed::About(n) if n > 6) || c.needed == Needed::MoreThan(100));
}

#[test]
fn three_trials_cannot_reach_95_percent() {
    let test = Test::default();
    let c = test.compare(
        &[200.0, 201.0, 202.0],
        &[100.0, 101.0, 102.0],
        Better::Higher,
    );
    // The full range of pairwise ratios is only a 90% interval, and p >= 0.1.
    assert!((c.level - 0.9).abs() < 1e-9, "{c:?}");
    assert_eq!(c.outcome, Outcome::Inconclusive);
    assert!(c.p_beyond >= 0.1 - 1e-12);
}

/// Six rounds whose machine speed drifts by up to 30%, shared by every cell of a round.
const DRIFT: [f64; 6] = [1.0, 1.25, 0.8, 1.15, 0.9, 1.3];

/// `factor` times the drift of each round, with a little noise of its own.
fn drifting(factor: f64, noise: &[f64]) -> Vec<f64> {
    DRIFT
        .iter()
        .zip(noise.iter().cycle())
        .map(|(d, n)| 100.0 * factor * d * (1.0 + n))
        .collect()
}

#[test]
fn pairing_rounds_cancels_the_drift_they_share() {
    let test = Test::default();
    let reference = drifting(1.0, &[0.002, -0.003, 0.001]);
    let ahead = drifting(1.10, &[-0.002, 0.004, -0.001, 0.003]);
    // Two samples: the drift swamps a 10% lead.
    let apart = test.compare(&ahead, &reference, Better::Higher);
    assert_eq!(apart.outcome, Outcome::Inconclusive, "{apart:?}");
    // Paired by round: the lead is plain, its interval narrow.
    let paired = test.compare_paired_row(&[(&ahead, &reference)], Better::Higher);
    assert_eq!(paired[0].outcome, Outcome::Faster, "{:?}", paired[0]);
    assert!((paired[0].ratio - 1.10).abs() < 0.01, "{:?}", paired[0]);
    assert!(paired[0].high - paired[0].low < 0.02, "{:?}", paired[0]);
    assert!((paired[0].level - (1.0 - 2.0 / 64.0)).abs() < 1e-9);

    // The same cell twice is equivalent paired, and not shown so apart.
    let twin = drifting(1.002, &[-0.003, 0.002, 0.001, -0.002]);
    let apart = test.compare(&twin, &reference, Better::Higher);
    assert_eq!(apart.outcome, Outcome::Inconclusive, "{apart:?}");
    let paired = test.compare_paired_row(&[(&twin, &reference)], Better::Higher);
    assert_eq!(paired[0].outcome, Outcome::Equivalent, "{:?}", paired[0]);
}

#[test]
fn rounds_that_can_decide_a_paired_comparison_in_a_row() {
    let test = Test::default();
    // 2/32 > 0.05 alone; 2/64 <= 0.05; 2/512 <= 0.05/11 < 2/256; 2/1024 <= 0.05/21.
    assert_eq!(test.fewest_rounds(1), 6);
    assert_eq!(test.fewest_rounds(11), 9);
    assert_eq!(test.fewest_rounds(21), 10);
}

#[test]
fn pairs_of_unequal_rounds_are_not_compared() {
    let test = Test::default();
    let c = test.compare_paired_row(&[(&BASE[..5], &BASE)], Better::Higher);
    assert_eq!(c[0].outcome, Outcome::Inconclusive);
    assert!(c[0].ratio.is_nan());
}

#[test]
fn each_comparison_of_a_row_is_tested_alone() {
    let test = Test::default();
    // 5 against 5, perfectly separated: p = 2/252 = 0.0079, alone or in a row of seven
    // (a verdict adjusts over the comparisons it rests on, not the row).
    let a = [110.0, 111.0, 112.0, 113.0, 114.0];
    let b = [100.0, 101.0, 102.0, 103.0, 104.0];
    assert_eq!(
        test.compare(&a, &b, Better::Higher).outcome,
        Outcome::Faster
    );
    let row: Vec<(&[f64], &[f64])> = vec![(&a, &b); 7];
    let outcomes = test.compare_row(&row, Better::Higher);
    assert!(outcomes.iter().all(|c| c.outcome == Outcome::Faster));
    assert_eq!(test.fewest_trials(7), 6);
    assert_eq!(test.fewest_trials(1), 4);
}

#[test]
fn equivalence_is_two_one_sided_tests_at_5_percent_and_prints_their_interval() {
    let test = Test::default();
    // 4 against 4: every pairwise ratio inside ±5% but one (105.3/100 = 1.053). The
    // upper one-sided test counts one difference above the edge: P(U <= 1) = 2/70 =
    // 0.029, within 5% (at 2.5% each, as before, it was not).
    let candidate = [100.2, 100.7, 101.3, 105.3];
    let reference = [100.0, 100.5, 101.0, 101.5];
    let c = test.compare(&candidate, &reference, Better::Higher);
    assert_eq!(c.outcome, Outcome::Equivalent, "{c:?}");
    assert!((c.p_equivalent - 2.0 / 70.0).abs() < 1e-12, "{c:?}");
    // The interval printed is the one decided on: the (1 - 2α) interval, inside the
    // margin, at its exact level 1 - 2 × 2/70.
    assert!(c.low > 0.95 && c.high < 1.05, "{c:?}");
    assert!((c.level - (1.0 - 4.0 / 70.0)).abs() < 1e-12, "{c:?}");
}

/// Every arrangement of `n` candidate ranks among `n + m`, as its Mann–Whitney U (the
/// pairs where the candidate ranks above): the exact law by brute force.
fn u_by_enumeration(n: usize, m: usize) -> Vec<usize> {
    (0u32..1 << (n + m))
        .filter(|mask| mask.count_ones() as usize == n)
        .map(|mask| {
            let mut below = 0; // reference values seen so far, lowest rank first
            let mut u = 0;
            for rank in 0..n + m {
                if mask & (1 << rank) != 0 {
                    u += below;
                } else {
                    below += 1;
                }
            }
            u
        })
        .collect()
}

/// The estimate, the interval and its exact level, computed from scratch: the median of
/// every pairwise ratio and, from the enumerated law, the largest c with P(U <= c) at
/// most alpha/2, the interval being the (c+1)-th smallest and largest pairwise ratio.
fn brute_force(candidate: &[f64], reference: &[f64]) -> (f64, f64, f64, f64) {
    let mut ratios: Vec<f64> = candidate
        .iter()
        .flat_map(|x| reference.iter().map(move |y| x / y))
        .collect();
    ratios.sort_by(f64::total_cmp);
    let n = ratios.len();
    let median = if n % 2 == 1 {
        ratios[n / 2]
    } else {
        (ratios[n / 2 - 1] * ratios[n / 2]).sqrt()
    };
    let law = u_by_enumeration(candidate.len(), reference.len());
    let at_most = |c: usize| law.iter().filter(|&&u| u <= c).count() as f64 / law.len() as f64;
    let c = (0..n).take_while(|&c| at_most(c) <= 0.025).last();
    let level = 1.0 - 2.0 * at_most(c.unwrap_or(0));
    let c = c.unwrap_or(0);
    (median, ratios[c], ratios[n - 1 - c], level)
}

#[test]
// R's values as it printed them, 17 significant digits.
#[allow(clippy::excessive_precision)]
fn hodges_lehmann_matches_brute_force_and_r_to_1e9() {
    // Reference values from R 4.2.2, on log values (the test compares ratios):
    //   w <- wilcox.test(log(x), log(y), conf.int = TRUE, conf.level = 0.95, exact = TRUE)
    //   exp(w$estimate); exp(w$conf.int)
    //   qu <- qwilcox(0.025, length(x), length(y)); if (qu == 0) qu <- 1
    //   1 - 2 * pwilcox(qu - 1, length(x), length(y))   # the interval's exact level
    // printed with sprintf("%.17g").
    let cases: [(&[f64], &[f64], [f64; 4]); 3] = [
        (
            &[125.3, 126.9, 124.1, 125.8, 124.7, 127.2],
            &[100.0, 101.2, 99.1, 100.6, 99.6, 100.3],
            [
                1.2540949205727574,
                1.2395626242544731,
                1.2694248234106966,
                0.95887445887445888,
            ],
        ),
        (
            &[3.1, 2.7, 3.6, 2.2, 3.9, 2.95, 3.3],
            &[2.4, 3.05, 2.6, 3.45, 2.85],
            [
                1.0877192982456141,
                0.85507246376811585,
                1.3684210526315788,
                0.95202020202020199,
            ],
        ),
        // Too few trials for 95%: the widest interval, at its true level of 90%.
        (
            &[200.0, 201.5, 203.0],
            &[100.0, 101.0, 102.5],
            [
                1.9950495049504953,
                1.9512195121951208,
                2.0299999999999989,
                0.90000000000000002,
            ],
        ),
    ];
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs();
    for (candidate, reference, r) in cases {
        let c = Test::default().compare(candidate, reference, Better::Higher);
        let got = [c.ratio, c.low, c.high, c.level];
        let (median, low, high, level) = brute_force(candidate, reference);
        for (what, got, brute, r) in [
            ("estimate", got[0], median, r[0]),
            ("low", got[1], low, r[1]),
            ("high", got[2], high, r[2]),
            ("level", got[3], level, r[3]),
        ] {
            assert!(
                close(got, brute),
                "{what}: {got} against brute force {brute}"
            );
            assert!(close(got, r), "{what}: {got} against R's {r}");
        }
    }
}

#[test]
fn an_empty_side_is_inconclusive() {
    let c = Test::default().compare(&[], &BASE, Better::Higher);
    assert_eq!(c.outcome, Outcome::Inconclusive);
}
