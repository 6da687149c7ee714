//! Every rival of a row against the row's best, as a row compares them: the best is picked
//! from the same trials, so it is the luckiest of k, and a test made as if it were chosen
//! in advance reads false differences (at 30% noise a third of rows of twelve identical
//! backends). Multiple comparisons with the best (Hsu, 1984) cure it: a difference from the
//! best counts only at the row's corrected level, here Bonferroni's α/(k − 1), its
//! (1 − α/(k − 1)) interval beyond the margin. Equivalence needs no such correction (the
//! best's luck only pushes a rival away from it): Schuirmann's two one-sided tests at α,
//! its (1 − 2α) interval inside the margin.
//!
//! Where the two ran in the same rounds, the rounds are compared pairwise (the per-round
//! ratio cancels what a round shares) once there are enough of them to decide: six for an
//! equivalence, and for a difference as many as the corrected level needs (nine in a row
//! of twelve); otherwise as two samples.

use super::mann_whitney::MannWhitney;
use super::signed_rank::SignedRank;
use super::{Better, Comparison, Needed, Outcome, Test};

/// One rival against the best of its row.
#[derive(Clone, Copy, Debug)]
pub struct Against<'a> {
    /// The rival's trial values.
    pub candidate: &'a [f64],
    /// The best's trial values.
    pub reference: &'a [f64],
    /// Where both ran in the same rounds, the values of the rounds both ran, aligned
    /// (rival, best).
    pub rounds: Option<(&'a [f64], &'a [f64])>,
}

impl Test {
    /// Every rival of a row against its best ([`Against`]), each outcome decided as the
    /// module says, with the interval it was decided on.
    pub fn against_best(&self, rivals: &[Against<'_>], better: Better) -> Vec<Comparison> {
        let row = rivals.len().max(1);
        rivals
            .iter()
            .map(|rival| self.one_against_best(rival, row, better))
            .collect()
    }

    fn one_against_best(&self, rival: &Against<'_>, row: usize, better: Better) -> Comparison {
        let trials = (rival.candidate.len(), rival.reference.len());
        let apart = (!rival.candidate.is_empty() && !rival.reference.is_empty()).then(|| {
            let law = MannWhitney::new(trials.0, trials.1);
            self.raw(rival.candidate, rival.reference, &law, row)
        });
        let paired = rival
            .rounds
            .filter(|(c, r)| c.len() == r.len() && c.len() >= self.fewest_rounds(1))
            .map(|(c, r)| {
                let raw = self.raw_paired(c, r, &SignedRank::new(c.len()), row);
                (raw, c.len())
            });
        // A difference paired only with enough rounds to reach the corrected level.
        let difference = match paired {
            Some((raw, rounds)) if rounds >= self.fewest_rounds(row) => Some((raw, true)),
            _ => apart.map(|raw| (raw, false)),
        };
        let equivalence = paired.map(|(raw, _)| (raw, true)).or(difference);
        let (Some((d, d_paired)), Some((e, e_paired))) = (difference, equivalence) else {
            return Comparison::undecided(trials, false);
        };
        let (outcome, (low, high, level), shown, paired) = if d.p_beyond <= self.alpha / row as f64
        {
            // Below the margin means a smaller value than the best's.
            let outcome = match (d.beyond_below, better) {
                (true, Better::Higher) | (false, Better::Lower) => Outcome::Slower,
                (false, Better::Higher) | (true, Better::Lower) => Outcome::Faster,
            };
            (outcome, d.corrected, d, d_paired)
        } else if e.p_equivalent <= self.alpha {
            (Outcome::Equivalent, e.equivalence, e, e_paired)
        } else {
            (Outcome::Inconclusive, (e.low, e.high, e.level), e, e_paired)
        };
        let needed = match outcome {
            Outcome::Inconclusive => self.needed(&shown, trials, row),
            _ => Needed::Decided,
        };
        Comparison {
            ratio: shown.shift.exp(),
            low: low.exp(),
            high: high.exp(),
            level,
            outcome,
            p_beyond: (d.p_beyond * row as f64).min(1.0),
            p_equivalent: e.p_equivalent,
            trials,
            needed,
            paired,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: [f64; 6] = [100.0, 101.2, 99.1, 100.6, 99.6, 100.3];

    fn apart<'a>(candidate: &'a [f64], reference: &'a [f64]) -> Against<'a> {
        Against {
            candidate,
            reference,
            rounds: None,
        }
    }

    #[test]
    fn a_difference_from_the_best_counts_at_the_rows_corrected_level() {
        let test = Test::default();
        // 5 against 5, perfectly separated: p = 2/252 = 0.0079, beyond the margin alone...
        let a = [110.0, 111.0, 112.0, 113.0, 114.0];
        let b = [100.0, 101.0, 102.0, 103.0, 104.0];
        let alone = test.against_best(&[apart(&b, &a)], Better::Higher);
        assert_eq!(alone[0].outcome, Outcome::Slower, "{:?}", alone[0]);
        // ...but not against 0.05/7 as one of seven rivals of a row's best.
        let row = test.against_best(&[apart(&b, &a); 7], Better::Higher);
        assert!(
            row.iter().all(|c| c.outcome == Outcome::Inconclusive),
            "{row:?}"
        );
        assert_ne!(row[0].needed, Needed::Decided);
        // Six against six reach it (2/924 = 0.0022 < 0.05/7), and print the interval it
        // was decided on: at 1 - 0.05/7 at least.
        let fast: Vec<f64> = BASE.iter().map(|x| x * 1.3).collect();
        let six = test.against_best(&[apart(&BASE, &fast); 7], Better::Higher);
        assert_eq!(six[0].outcome, Outcome::Slower, "{:?}", six[0]);
        assert!(six[0].level >= 1.0 - 0.05 / 7.0, "{:?}", six[0]);
        assert!(six[0].high < 0.95);
    }

    #[test]
    fn equivalence_is_not_corrected_and_pairs_from_six_rounds() {
        let test = Test::default();
        // A drift of up to 30% every round shares: as two samples nothing is decided; round
        // by round the rival is equivalent, even as one of eleven.
        let drift = [1.0, 1.25, 0.8, 1.15, 0.9, 1.3];
        let best: Vec<f64> = drift.iter().zip(BASE).map(|(d, x)| d * x).collect();
        let rival: Vec<f64> = best
            .iter()
            .zip([0.998, 1.003, 0.999, 1.002, 0.997, 1.001])
            .map(|(x, j)| x * j)
            .collect();
        let paired = Against {
            candidate: &rival,
            reference: &best,
            rounds: Some((&rival, &best)),
        };
        let row = test.against_best(&[paired; 11], Better::Higher);
        assert!(
            row.iter().all(|c| c.outcome == Outcome::Equivalent),
            "{row:?}"
        );
        assert!(row[0].paired);
        assert!(row[0].level < 0.95, "the 90% interval: {:?}", row[0]);
        let apart_row = test.against_best(&[apart(&rival, &best); 11], Better::Higher);
        assert_eq!(
            apart_row[0].outcome,
            Outcome::Inconclusive,
            "{:?}",
            apart_row[0]
        );
        assert!(!apart_row[0].paired);
    }

    #[test]
    fn six_rounds_cannot_show_a_difference_in_a_row_so_it_is_tested_apart() {
        let test = Test::default();
        // A 30% lead, every round: six pairs reach 2/64 at best, short of 0.05/11; two
        // samples of six reach 2/924, so the difference is shown as two samples.
        let fast: Vec<f64> = BASE.iter().map(|x| x * 1.3).collect();
        let lagging = Against {
            candidate: &BASE,
            reference: &fast,
            rounds: Some((&BASE, &fast)),
        };
        let row = test.against_best(&[lagging; 11], Better::Higher);
        assert_eq!(row[0].outcome, Outcome::Slower, "{:?}", row[0]);
        assert!(!row[0].paired);
        let raw = test.raw_paired(&BASE, &fast, &SignedRank::new(6), 11);
        assert!((raw.p_beyond - 2.0 / 64.0).abs() < 1e-12, "alone: {raw:?}");
    }
}
