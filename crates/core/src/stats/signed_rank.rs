//! The exact null distribution of the Wilcoxon signed-rank statistic: with n paired
//! differences symmetric about zero, how often T⁺ (the sum of the ranks of the positive
//! ones, equivalently the number of Walsh averages above zero) takes each value. Each of the
//! 2ⁿ sign patterns is equally likely, so T⁺ has the law of the sum of a random subset of
//! {1, …, n}.

use super::cdf::Cdf;

/// P(T⁺ ≤ t) for every t in 0..=n(n+1)/2, for n pairs without ties: a [`Cdf`]
/// (`at_most`, `at_least`, `critical`).
#[derive(Clone, Debug)]
pub struct SignedRank(Cdf);

impl std::ops::Deref for SignedRank {
    type Target = Cdf;

    fn deref(&self) -> &Cdf {
        &self.0
    }
}

impl SignedRank {
    /// The distribution for `n` pairs (at least 1).
    ///
    /// Counts subsets by their sum with c(k, t) = c(k−1, t) + c(k−1, t−k): additions only,
    /// so the counts keep full relative precision in the tails.
    pub fn new(n: usize) -> SignedRank {
        let n = n.max(1);
        let mut counts = vec![1.0];
        for k in 1..=n {
            let mut next = vec![0.0; counts.len() + k];
            for (t, &c) in counts.iter().enumerate() {
                next[t] += c; // rank k negative
                next[t + k] += c; // rank k positive
            }
            counts = next;
        }
        SignedRank(Cdf::from_counts(&counts))
    }

    /// n(n+1)/2, the largest value T⁺ can take.
    pub fn max_t(&self) -> usize {
        self.max()
    }
}

/// The Walsh averages of `d`, sorted: (dᵢ + dⱼ) / 2 for every i ≤ j. Their median is the
/// Hodges–Lehmann estimate of the centre of `d`, and the number above a shift s is T⁺ of
/// the differences less s.
pub fn walsh_averages(d: &[f64]) -> Vec<f64> {
    let mut averages: Vec<f64> = (0..d.len())
        .flat_map(|i| (i..d.len()).map(move |j| (d[i] + d[j]) / 2.0))
        .collect();
    averages.sort_by(f64::total_cmp);
    averages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_distributions_match_hand_counts() {
        // n = 3: subsets of {1, 2, 3} by sum: 0:1 1:1 2:1 3:2 4:1 5:1 6:1, of 8.
        let three = SignedRank::new(3);
        assert_eq!(three.max_t(), 6);
        assert!((three.at_most(0.0) - 1.0 / 8.0).abs() < 1e-12);
        assert!((three.at_most(3.0) - 5.0 / 8.0).abs() < 1e-12);
        assert!((three.at_least(6.0) - 1.0 / 8.0).abs() < 1e-12);
        assert!((three.at_most(6.0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn critical_values_match_published_tables() {
        // Two-sided 5% (one tail 2.5%) critical values of T, from the standard tables.
        for (n, critical) in [(6, 0), (7, 2), (8, 3), (10, 8), (12, 13), (20, 52)] {
            assert_eq!(
                SignedRank::new(n).critical(0.025),
                Some(critical),
                "n = {n}"
            );
        }
        // Five pairs cannot reach 5% two-sided: the smallest tail is 1/32.
        assert_eq!(SignedRank::new(5).critical(0.025), None);
        // One-sided 5% with six pairs: T = 2 (3/64 ≤ 0.05 < 5/64).
        assert_eq!(SignedRank::new(6).critical(0.05), Some(2));
    }

    #[test]
    fn ties_round_to_the_conservative_side() {
        let six = SignedRank::new(6);
        assert_eq!(six.at_most(1.5), six.at_most(2.0));
        assert_eq!(six.at_least(19.5), six.at_least(19.0));
    }

    #[test]
    fn walsh_averages_are_every_pairs_mean() {
        assert_eq!(walsh_averages(&[3.0, 1.0]), [1.0, 2.0, 3.0]);
        let six = walsh_averages(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(six.len(), 21);
        assert_eq!(
            six[10], 3.5,
            "the median of the averages of 1..6 is its centre"
        );
    }
}
