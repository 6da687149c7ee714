//! The exact null distribution of the Mann–Whitney U statistic: how often, with no
//! difference between two samples of sizes `n` and `m`, U = #{(i, j): x_i > y_j} takes each
//! value. Small samples (a benchmark's 3 to 100 trials) need the exact law, not the normal
//! approximation.

use super::cdf::Cdf;

/// P(U ≤ u) for every u in 0..=n·m, for samples of sizes `n` and `m` without ties: a
/// [`Cdf`] (`at_most`, `at_least`, `critical`).
#[derive(Clone, Debug)]
pub struct MannWhitney(Cdf);

impl std::ops::Deref for MannWhitney {
    type Target = Cdf;

    fn deref(&self) -> &Cdf {
        &self.0
    }
}

impl MannWhitney {
    /// The distribution for sizes `n` and `m` (both at least 1).
    ///
    /// Counts arrangements with the recurrence c(n, m, u) = c(n−1, m, u−m) + c(n, m−1, u):
    /// additions only, so the f64 counts keep full relative precision in the tails.
    pub fn new(n: usize, m: usize) -> MannWhitney {
        let (n, m) = (n.max(1), m.max(1));
        // row[j] holds c(i, j, ·) for the current i, as a vector over u.
        let mut row: Vec<Vec<f64>> = (0..=m).map(|_| vec![1.0]).collect();
        for i in 1..=n {
            let mut next: Vec<Vec<f64>> = Vec::with_capacity(m + 1);
            next.push(vec![1.0]); // c(i, 0, ·): U = 0 always
            for j in 1..=m {
                let mut counts = vec![0.0; i * j + 1];
                // x_i above all j of y: U grows by j, from c(i-1, j).
                for (u, &c) in row[j].iter().enumerate() {
                    counts[u + j] += c;
                }
                // y_j above all of x: U unchanged, from c(i, j-1).
                for (u, &c) in next[j - 1].iter().enumerate() {
                    counts[u] += c;
                }
                next.push(counts);
            }
            row = next;
        }
        MannWhitney(Cdf::from_counts(&row[m]))
    }

    /// n·m, the largest value U can take.
    pub fn max_u(&self) -> usize {
        self.max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_distributions_match_hand_counts() {
        // n = m = 3: C(6, 3) = 20 arrangements, one with U = 0.
        let three = MannWhitney::new(3, 3);
        assert_eq!(three.max_u(), 9);
        assert!((three.at_most(0.0) - 1.0 / 20.0).abs() < 1e-12);
        // n = m = 5: 252 arrangements, 1 + 1 + 2 of them with U <= 2.
        let five = MannWhitney::new(5, 5);
        assert!((five.at_most(2.0) - 4.0 / 252.0).abs() < 1e-12);
        assert!((five.at_least(25.0) - 1.0 / 252.0).abs() < 1e-12);
        assert!((five.at_most(25.0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn critical_values_match_published_tables() {
        // Two-sided 5% (one tail 2.5%) critical values of U, from the standard tables.
        for (n, critical) in [(5, 2), (6, 5), (8, 13), (10, 23), (20, 127)] {
            assert_eq!(
                MannWhitney::new(n, n).critical(0.025),
                Some(critical),
                "n = {n}"
            );
        }
        assert_eq!(MannWhitney::new(4, 6).critical(0.025), Some(2));
        // 3 against 3 cannot reach 5% two-sided: the smallest tail is 1/20.
        assert_eq!(MannWhitney::new(3, 3).critical(0.025), None);
    }

    #[test]
    fn ties_round_to_the_conservative_side() {
        let five = MannWhitney::new(5, 5);
        assert_eq!(five.at_most(1.5), five.at_most(2.0));
        assert_eq!(five.at_least(23.5), five.at_least(23.0));
    }
}
