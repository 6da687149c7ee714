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
mod tests;
