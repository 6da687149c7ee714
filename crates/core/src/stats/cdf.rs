//! An exact null law as its cumulative distribution over the values 0..=max of a rank
//! statistic symmetric about max/2 (the Mann–Whitney U, the signed-rank T⁺), built from
//! how many arrangements give each value.

/// P(statistic ≤ s) for every s in 0..=max.
#[derive(Clone, Debug)]
pub struct Cdf {
    cdf: Vec<f64>,
}

impl Cdf {
    /// The law whose value s has `counts[s]` arrangements.
    pub(super) fn from_counts(counts: &[f64]) -> Cdf {
        let total: f64 = counts.iter().sum();
        let mut running = 0.0;
        let cdf = counts
            .iter()
            .map(|c| {
                running += c;
                (running / total).min(1.0)
            })
            .collect();
        Cdf { cdf }
    }

    /// The largest value the statistic can take.
    pub fn max(&self) -> usize {
        self.cdf.len() - 1
    }

    /// P(statistic ≤ s). A half-integer s (from ties) is rounded up: the conservative side.
    pub fn at_most(&self, s: f64) -> f64 {
        if s < 0.0 {
            return 0.0;
        }
        let s = (s - 1e-9).ceil().max(0.0) as usize;
        self.cdf.get(s).copied().unwrap_or(1.0)
    }

    /// P(statistic ≥ s), by the law's symmetry around max/2.
    pub fn at_least(&self, s: f64) -> f64 {
        self.at_most(self.max() as f64 - s)
    }

    /// The largest c with P(statistic ≤ c) ≤ `alpha`, or `None` when even the smallest
    /// value is more likely than that (too few trials for this level).
    pub fn critical(&self, alpha: f64) -> Option<usize> {
        self.cdf.iter().rposition(|&p| p <= alpha)
    }
}
