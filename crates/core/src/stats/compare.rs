//! One backend against another: the ratio of their trial values, its interval, and one of
//! four outcomes against an equivalence margin.
//!
//! The estimate is the Hodges–Lehmann shift on log values (the median of every pairwise
//! log-ratio, or of the Walsh averages of each round's log ratio when the trials are
//! paired by round), its interval the exact distribution-free one from the Mann–Whitney
//! (or Wilcoxon signed-rank) law, so it holds for 5 trials as well as for 50 without
//! assuming normal timings. A comparison is, each tested alone:
//! - **faster** or **slower** when the ratio lies beyond the margin (1 ± margin), tested
//!   two-sided at α: the (1 − α) interval beyond an edge;
//! - **equivalent** when it lies inside the margin: Schuirmann's two one-sided tests, each
//!   at α, the (1 − 2α) interval inside the margin (the interval printed for it);
//! - **inconclusive** otherwise, with the trials that would decide it with about 80%
//!   probability.
//!
//! No correction is made here: a verdict adjusts over the comparisons it rests on (see the
//! report's rules), and "every rival slower" is an intersection–union claim that needs none.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::cdf::Cdf;
use super::mann_whitney::MannWhitney;
use super::normal;
use super::signed_rank::{SignedRank, walsh_averages};

/// A value's log. Timings are positive; a zero (a p99 of 0 µs) is floored so its log stays
/// finite.
fn log(v: f64) -> f64 {
    v.max(1e-12).ln()
}

/// Which direction of a measure is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    /// Rates: more per second is better.
    Higher,
    /// Latencies: less is better.
    Lower,
}

/// The candidate against the reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Better than the reference beyond the margin.
    Faster,
    /// Worse than the reference beyond the margin.
    Slower,
    /// Within the margin of the reference.
    Equivalent,
    /// The interval straddles an edge of the margin: more trials needed.
    Inconclusive,
}

impl Outcome {
    /// `faster`, `slower`, `equivalent`, `inconclusive`.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Faster => "faster",
            Outcome::Slower => "slower",
            Outcome::Equivalent => "equivalent",
            Outcome::Inconclusive => "inconclusive",
        }
    }
}

/// How many trials per backend would likely settle an inconclusive comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Needed {
    /// The comparison is decided.
    Decided,
    /// About this many trials each would decide it with about 80% probability (a
    /// normal-theory projection from the interval's width).
    About(u32),
    /// More than this many: the difference lies too close to the margin.
    MoreThan(u32),
    /// Decided alone, but not once corrected over the comparisons a verdict rests on.
    Adjusted,
}

/// The test's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Test {
    /// The equivalence margin as a fraction: 0.05 means ratios in 0.95..1.05 are equivalent.
    pub margin: f64,
    /// The level: 0.05 for 95% intervals and a 5% chance of any false finding per row.
    pub alpha: f64,
}

impl Default for Test {
    fn default() -> Self {
        Test {
            margin: 0.05,
            alpha: 0.05,
        }
    }
}

/// The candidate's trials against the reference's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Hodges–Lehmann estimate of candidate / reference.
    pub ratio: f64,
    /// The interval of the ratio, at `level`.
    pub low: f64,
    /// Upper end of the interval.
    pub high: f64,
    /// The interval's exact confidence: at least 1 − α when the trials allow it, less
    /// (e.g. 0.90 for 3 against 3) when they cannot.
    pub level: f64,
    /// The outcome, this comparison tested alone at α.
    pub outcome: Outcome,
    /// The p-value of "beyond the margin" (two-sided).
    pub p_beyond: f64,
    /// The p-value of "within the margin" (the larger of the two one-sided tests').
    pub p_equivalent: f64,
    /// Trials of the candidate and of the reference.
    pub trials: (usize, usize),
    /// For an inconclusive outcome, the trials that would likely decide it.
    pub needed: Needed,
    /// Compared round by round (paired), not as two samples.
    #[serde(default)]
    pub paired: bool,
}

impl Comparison {
    /// A comparison with nothing to compare (a side without trials).
    pub fn undecided(trials: (usize, usize), paired: bool) -> Comparison {
        Comparison {
            ratio: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
            level: 0.0,
            outcome: Outcome::Inconclusive,
            p_beyond: 1.0,
            p_equivalent: 1.0,
            trials,
            needed: Needed::MoreThan(TRIALS_CAP),
            paired,
        }
    }
}

/// One comparison's trial values: as two samples, or paired by the round they ran in.
#[derive(Clone, Copy, Debug)]
pub enum Pairs<'a> {
    /// Candidate and reference as two independent samples (Mann–Whitney, the
    /// Hodges–Lehmann shift of every pairwise log ratio).
    Apart(&'a [f64], &'a [f64]),
    /// The values of the same rounds, in the same order: each round's log ratio is one
    /// paired difference, so drift shared within a round cancels (Wilcoxon signed-rank,
    /// the Hodges–Lehmann centre of the Walsh averages). Unequal lengths are not compared.
    Paired(&'a [f64], &'a [f64]),
}

impl<'a> Pairs<'a> {
    /// (candidate, reference).
    pub fn sides(&self) -> (&'a [f64], &'a [f64]) {
        match *self {
            Pairs::Apart(c, r) | Pairs::Paired(c, r) => (c, r),
        }
    }
}

/// The chance with which a projected number of trials decides a comparison.
pub const POWER: f64 = 0.8;

/// The most trials a projection names; beyond it, [`Needed::MoreThan`].
pub(super) const TRIALS_CAP: u32 = 100;

/// Before correction.
#[derive(Clone, Copy, Debug)]
pub(super) struct Raw {
    /// The Hodges–Lehmann shift, log.
    pub(super) shift: f64,
    /// The (1 − α) interval, log, and its exact level.
    pub(super) low: f64,
    pub(super) high: f64,
    pub(super) level: f64,
    /// The (1 − 2α) interval an equivalence is decided on, log, and its exact level.
    pub(super) equivalence: (f64, f64, f64),
    /// The (1 − α/row) interval a difference in a row of `row` is decided on.
    pub(super) corrected: (f64, f64, f64),
    /// The p-value of "beyond the margin", two-sided, alone.
    pub(super) p_beyond: f64,
    /// Whether it is the lower edge the shift lies beyond.
    pub(super) beyond_below: bool,
    /// The p-value of "within the margin" (TOST).
    pub(super) p_equivalent: f64,
}

impl Test {
    /// The default level with `margin`.
    pub fn with_margin(margin: f64) -> Test {
        Test {
            margin,
            ..Test::default()
        }
    }

    /// One comparison alone (a row of one).
    pub fn compare(&self, candidate: &[f64], reference: &[f64], better: Better) -> Comparison {
        self.compare_row(&[(candidate, reference)], better)
            .pop()
            .expect("one pair in, one out")
    }

    /// Every (candidate, reference) pair of a row as two samples, each tested alone. Pairs
    /// with an empty side come back inconclusive.
    pub fn compare_row(&self, pairs: &[(&[f64], &[f64])], better: Better) -> Vec<Comparison> {
        let pairs: Vec<Pairs<'_>> = pairs.iter().map(|&(c, r)| Pairs::Apart(c, r)).collect();
        self.compare_each(&pairs, better)
    }

    /// Every pair of a row compared round by round ([`Pairs::Paired`]), each tested alone.
    pub fn compare_paired_row(
        &self,
        pairs: &[(&[f64], &[f64])],
        better: Better,
    ) -> Vec<Comparison> {
        let pairs: Vec<Pairs<'_>> = pairs.iter().map(|&(c, r)| Pairs::Paired(c, r)).collect();
        self.compare_each(&pairs, better)
    }

    /// Every comparison of a row, each as two samples or paired by round as it says, each
    /// tested alone.
    pub fn compare_each(&self, pairs: &[Pairs<'_>], better: Better) -> Vec<Comparison> {
        let mut apart: HashMap<(usize, usize), MannWhitney> = HashMap::new();
        let mut paired: HashMap<usize, SignedRank> = HashMap::new();
        let raws: Vec<Option<Raw>> = pairs
            .iter()
            .map(|pair| match *pair {
                Pairs::Apart(candidate, reference) => {
                    if candidate.is_empty() || reference.is_empty() {
                        return None;
                    }
                    let law = apart
                        .entry((candidate.len(), reference.len()))
                        .or_insert_with(|| MannWhitney::new(candidate.len(), reference.len()));
                    Some(self.raw(candidate, reference, law, 1))
                }
                Pairs::Paired(candidate, reference) => {
                    if candidate.is_empty() || candidate.len() != reference.len() {
                        return None;
                    }
                    let law = paired
                        .entry(candidate.len())
                        .or_insert_with(|| SignedRank::new(candidate.len()));
                    Some(self.raw_paired(candidate, reference, law, 1))
                }
            })
            .collect();
        pairs
            .iter()
            .zip(raws)
            .map(|(pair, raw)| self.decide(pair, raw, better))
            .collect()
    }

    /// The estimate and its (1 − α) interval alone, as ratios, however the outcome would
    /// read: `None` with nothing to compare.
    pub fn interval(&self, pair: Pairs<'_>) -> Option<(f64, f64, f64)> {
        let raw = match pair {
            Pairs::Apart(c, r) if !c.is_empty() && !r.is_empty() => {
                self.raw(c, r, &MannWhitney::new(c.len(), r.len()), 1)
            }
            Pairs::Paired(c, r) if !c.is_empty() && c.len() == r.len() => {
                self.raw_paired(c, r, &SignedRank::new(c.len()), 1)
            }
            _ => return None,
        };
        Some((raw.shift.exp(), raw.low.exp(), raw.high.exp()))
    }

    /// The outcome of one raw comparison, tested alone.
    fn decide(&self, pair: &Pairs<'_>, raw: Option<Raw>, better: Better) -> Comparison {
        let (candidate, reference) = pair.sides();
        let trials = (candidate.len(), reference.len());
        let paired = matches!(pair, Pairs::Paired(..));
        let Some(raw) = raw else {
            return Comparison::undecided(trials, paired);
        };
        let outcome = if raw.p_beyond <= self.alpha {
            // Below the margin means a smaller value than the reference.
            match (raw.beyond_below, better) {
                (true, Better::Higher) | (false, Better::Lower) => Outcome::Slower,
                (false, Better::Higher) | (true, Better::Lower) => Outcome::Faster,
            }
        } else if raw.p_equivalent <= self.alpha {
            Outcome::Equivalent
        } else {
            Outcome::Inconclusive
        };
        let needed = match outcome {
            Outcome::Inconclusive => self.needed(&raw, trials, 1),
            _ => Needed::Decided,
        };
        // The interval the outcome was decided on.
        let (low, high, level) = match outcome {
            Outcome::Equivalent => raw.equivalence,
            _ => (raw.low, raw.high, raw.level),
        };
        Comparison {
            ratio: raw.shift.exp(),
            low: low.exp(),
            high: high.exp(),
            level,
            outcome,
            p_beyond: raw.p_beyond,
            p_equivalent: raw.p_equivalent,
            trials,
            needed,
            paired,
        }
    }

    fn edges(&self) -> (f64, f64) {
        ((1.0 - self.margin).ln(), (1.0 + self.margin).ln())
    }

    /// Two samples: every pairwise log ratio, under the Mann–Whitney law; `row` the
    /// comparisons a difference is corrected over.
    pub(super) fn raw(
        &self,
        candidate: &[f64],
        reference: &[f64],
        law: &MannWhitney,
        row: usize,
    ) -> Raw {
        let mut diffs: Vec<f64> = candidate
            .iter()
            .flat_map(|&x| reference.iter().map(move |&y| log(x) - log(y)))
            .collect();
        diffs.sort_by(f64::total_cmp);
        self.raw_of(&diffs, law, row)
    }

    /// Paired rounds: the Walsh averages of each round's log ratio, under the signed-rank
    /// law.
    pub(super) fn raw_paired(
        &self,
        candidate: &[f64],
        reference: &[f64],
        law: &SignedRank,
        row: usize,
    ) -> Raw {
        let ratios: Vec<f64> = candidate
            .iter()
            .zip(reference)
            .map(|(&x, &y)| log(x) - log(y))
            .collect();
        self.raw_of(&walsh_averages(&ratios), law, row)
    }

    /// The estimate, its interval and the p-values from `diffs` (sorted), of which the
    /// number above a shift s follows `law` when s is the true shift: the median is the
    /// Hodges–Lehmann estimate, [D(c+1), D(N−c)] its exact interval.
    fn raw_of(&self, diffs: &[f64], law: &Cdf, row: usize) -> Raw {
        let count = diffs.len();
        let shift = if count % 2 == 1 {
            diffs[count / 2]
        } else {
            (diffs[count / 2 - 1] + diffs[count / 2]) / 2.0
        };
        // [D(c+1), D(N-c)] covers the shift with probability 1 - 2 P(U <= c).
        let c = law.critical(self.alpha / 2.0).unwrap_or(0);
        let level = 1.0 - 2.0 * law.at_most(c as f64);
        // U counted at a shift s: differences above s, ties halved.
        let u_above = |s: f64| {
            diffs
                .iter()
                .map(|&d| {
                    if d > s {
                        1.0
                    } else if d == s {
                        0.5
                    } else {
                        0.0
                    }
                })
                .sum::<f64>()
        };
        let (lo, hi) = self.edges();
        let (u_lo, u_hi) = (u_above(lo), u_above(hi));
        let p_below = law.at_most(u_lo); // the shift lies below 1 - margin
        let p_above = law.at_least(u_hi); // the shift lies above 1 + margin
        let inside_from_below = law.at_least(u_lo); // the shift lies above 1 - margin
        let inside_from_above = law.at_most(u_hi); // the shift lies below 1 + margin
        // [D(k+1), D(N-k)] with k the largest count whose tail is within `tail`.
        let interval = |tail: f64| {
            let k = law.critical(tail).unwrap_or(0);
            (
                diffs[k],
                diffs[count - 1 - k],
                1.0 - 2.0 * law.at_most(k as f64),
            )
        };
        Raw {
            shift,
            low: diffs[c],
            high: diffs[count - 1 - c],
            level,
            // Each one-sided test at α: the (1 − 2α) interval.
            equivalence: interval(self.alpha),
            corrected: interval(self.alpha / (2.0 * row.max(1) as f64)),
            p_beyond: (2.0 * p_below.min(p_above)).min(1.0),
            beyond_below: p_below <= p_above,
            p_equivalent: inside_from_below.max(inside_from_above),
        }
    }

    /// Projects how many trials each would decide it with about [`POWER`] probability: the
    /// interval's standard error shrinks as 1/sqrt(trials), and the estimate must clear the
    /// nearer edge of the margin by the test's quantile plus the power's (a normal
    /// approximation of the exact test).
    pub(super) fn needed(&self, raw: &Raw, trials: (usize, usize), row: usize) -> Needed {
        let (lo, hi) = self.edges();
        let inside = (lo..=hi).contains(&raw.shift);
        let distance = if raw.shift < lo {
            lo - raw.shift
        } else if raw.shift > hi {
            raw.shift - hi
        } else {
            (raw.shift - lo).min(hi - raw.shift)
        };
        let now = trials.0.min(trials.1).max(1);
        let two_sided = normal::quantile(1.0 - self.alpha / 2.0);
        let standard_error = (raw.high - raw.low) / 2.0 / two_sided;
        // Equivalence is two one-sided tests at α; a difference is two-sided at α/row.
        let test = if inside {
            normal::quantile(1.0 - self.alpha)
        } else {
            normal::quantile(1.0 - self.alpha / (2.0 * row.max(1) as f64))
        };
        let z = test + normal::quantile(POWER);
        let projected = if distance <= 0.0 {
            f64::INFINITY
        } else {
            now as f64 * (z * standard_error / distance).powi(2)
        };
        let floor = (now + 1).max(self.fewest_trials(1));
        let trials = projected.ceil().max(floor as f64);
        if trials > TRIALS_CAP as f64 {
            Needed::MoreThan(TRIALS_CAP)
        } else {
            Needed::About(trials as u32)
        }
    }

    /// The fewest rounds with which a paired comparison in a row of `row` can be decided at
    /// all: every round's ratio on one side (P = 2/2ⁿ two-sided) must reach the corrected
    /// level.
    pub fn fewest_rounds(&self, row: usize) -> usize {
        (1..=TRIALS_CAP as usize)
            .find(|&n| 2.0 / 2f64.powi(n as i32) <= self.alpha / row.max(1) as f64)
            .unwrap_or(TRIALS_CAP as usize)
    }

    /// The fewest trials per side with which any comparison in a row of `row` can be
    /// decided at all: the most extreme arrangement must reach the corrected level.
    pub fn fewest_trials(&self, row: usize) -> usize {
        (2..=TRIALS_CAP as usize)
            .find(|&n| {
                // P(U = 0) = 1 / C(2n, n), two-sided.
                let arrangements = (1..=n).fold(1.0, |c: f64, k| c * (n + k) as f64 / k as f64);
                2.0 / arrangements <= self.alpha / row.max(1) as f64
            })
            .unwrap_or(TRIALS_CAP as usize)
    }
}

#[cfg(test)]
mod tests {
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
}
