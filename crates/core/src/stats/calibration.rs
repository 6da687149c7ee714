//! The row procedure on simulated rows, to calibrate it: how often a row of identical
//! backends reads a false "faster" or "slower", how often identical backends read
//! "equivalent", and how often a real difference is found. A row is what the report
//! compares: every backend's trials in the same rounds, the best picked by median, every
//! other compared with it ([`Test::against_best`]: as two samples, or round by round).

use super::{Against, Better, Outcome, Spread, Test};
use crate::random::SplitMix64;

/// How a simulated trial's value varies about its backend's true value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Noise {
    /// Log-normal with this coefficient of variation.
    LogNormal(f64),
    /// Log-normal with CV `cv`, and with probability `p` a trial slowed by `factor` (a
    /// neighbour's burst): heavy tails on the slow side.
    Bursts {
        /// The coefficient of variation of the ordinary trials.
        cv: f64,
        /// The chance a trial is slowed.
        p: f64,
        /// How much slower, e.g. 1.5.
        factor: f64,
    },
}

/// One simulated row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Design {
    /// Backends in the row.
    pub backends: usize,
    /// Rounds: each backend's trials, one a round.
    pub rounds: usize,
    /// Each trial's own variation.
    pub noise: Noise,
    /// A slowdown every trial of a round shares (the machine's drift), as a CV.
    pub drift: f64,
    /// Compare round by round rather than as two samples.
    pub paired: bool,
}

/// What a set of simulated rows read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rates {
    /// Rows simulated.
    pub rows: usize,
    /// Rows with any false faster or slower (every backend identical): the row's error.
    pub false_rows: f64,
    /// Comparisons of identical backends that read "equivalent".
    pub equivalent: f64,
    /// Rows where the backend made slower by the difference read "slower" against the
    /// best (0 in a row of identical backends).
    pub found: f64,
}

/// Simulates `rows` rows of `design` from `seed`; with `difference` > 0 the last backend's
/// true value is `1 − difference` of the others' (a rate, higher is better), so `found`
/// is the power to see it.
pub fn simulate(test: &Test, design: Design, difference: f64, rows: usize, seed: u64) -> Rates {
    let mut random = SplitMix64::new(seed);
    let (mut false_rows, mut equivalent, mut compared, mut found) = (0, 0, 0, 0);
    for _ in 0..rows {
        let values = row(&mut random, design, difference);
        let medians: Vec<f64> = values
            .iter()
            .map(|v| Spread::of(v.iter().copied()).map_or(f64::NAN, |s| s.median))
            .collect();
        let best = (0..design.backends)
            .max_by(|&a, &b| medians[a].total_cmp(&medians[b]))
            .unwrap_or(0);
        let others: Vec<usize> = (0..design.backends).filter(|&i| i != best).collect();
        let rivals: Vec<Against<'_>> = others
            .iter()
            .map(|&i| Against {
                candidate: &values[i],
                reference: &values[best],
                rounds: design
                    .paired
                    .then(|| (values[i].as_slice(), values[best].as_slice())),
            })
            .collect();
        let outcomes = test.against_best(&rivals, Better::Higher);
        let slowed = design.backends - 1;
        let identical = |i: usize| difference == 0.0 || (i != slowed && best != slowed);
        let mut wrong = false;
        for (&i, c) in others.iter().zip(&outcomes) {
            if identical(i) {
                compared += 1;
                equivalent += usize::from(c.outcome == Outcome::Equivalent);
                wrong |= matches!(c.outcome, Outcome::Faster | Outcome::Slower);
            } else if i == slowed && c.outcome == Outcome::Slower {
                found += 1;
            }
        }
        false_rows += usize::from(wrong);
    }
    let share = |count: usize, of: usize| count as f64 / of.max(1) as f64;
    Rates {
        rows,
        false_rows: share(false_rows, rows),
        equivalent: share(equivalent, compared),
        found: share(found, rows),
    }
}

/// Every backend's trial values of one row, a round at a time.
fn row(random: &mut SplitMix64, design: Design, difference: f64) -> Vec<Vec<f64>> {
    let mut values = vec![Vec::with_capacity(design.rounds); design.backends];
    for _ in 0..design.rounds {
        let drift = log_normal(random, design.drift);
        for (i, trials) in values.iter_mut().enumerate() {
            let truth = if i == design.backends - 1 {
                1.0 - difference
            } else {
                1.0
            };
            trials.push(100.0 * truth * drift * noise(random, design.noise));
        }
    }
    values
}

/// One trial's factor of `noise`.
fn noise(random: &mut SplitMix64, noise: Noise) -> f64 {
    match noise {
        Noise::LogNormal(cv) => log_normal(random, cv),
        Noise::Bursts { cv, p, factor } => {
            let slowed = uniform(random) < p;
            log_normal(random, cv) / if slowed { factor } else { 1.0 }
        }
    }
}

/// A log-normal factor of mean 1 and coefficient of variation `cv`.
fn log_normal(random: &mut SplitMix64, cv: f64) -> f64 {
    let sigma = (1.0 + cv * cv).ln().sqrt();
    (sigma * standard_normal(random) - sigma * sigma / 2.0).exp()
}

/// A standard normal variate (Box–Muller).
fn standard_normal(random: &mut SplitMix64) -> f64 {
    let (u, v) = (uniform(random), uniform(random));
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// Uniform in (0, 1].
fn uniform(random: &mut SplitMix64) -> f64 {
    ((random.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUIET: Design = Design {
        backends: 12,
        rounds: 6,
        noise: Noise::LogNormal(0.02),
        drift: 0.0,
        paired: true,
    };

    #[test]
    fn a_row_of_identical_backends_rarely_reads_a_difference() {
        let test = Test::default();
        for design in [
            QUIET,
            Design {
                paired: false,
                ..QUIET
            },
            Design {
                drift: 0.10,
                ..QUIET
            },
        ] {
            let rates = simulate(&test, design, 0.0, 300, 7);
            // 5% of rows at most, with room for 300 rows' own noise (sd 1.3%).
            assert!(rates.false_rows <= 0.09, "{design:?}: {rates:?}");
            assert_eq!(rates.found, 0.0);
        }
    }

    #[test]
    fn pairing_sees_through_a_drift_every_round_shares() {
        let test = Test::default();
        let drifting = Design {
            drift: 0.10,
            ..QUIET
        };
        let apart = Design {
            paired: false,
            ..drifting
        };
        // Identical backends under a 10% drift: equivalent when paired by round, rarely as
        // two samples, whose intervals the drift widens past the margin.
        let (paired_null, apart_null) = (
            simulate(&test, drifting, 0.0, 200, 11),
            simulate(&test, apart, 0.0, 200, 11),
        );
        assert!(paired_null.equivalent >= 0.9, "{paired_null:?}");
        assert!(apart_null.equivalent <= 0.5, "{apart_null:?}");
        // A quarter slower is found, given the rounds a difference from the best needs
        // paired in a row of twelve (nine; six cannot reach 0.05/11).
        let ten = Design {
            rounds: 10,
            ..drifting
        };
        assert!(simulate(&test, ten, 0.25, 200, 12).found >= 0.9);
    }

    #[test]
    fn the_noise_has_the_asked_spread() {
        let mut random = SplitMix64::new(3);
        let draws: Vec<f64> = (0..20_000).map(|_| log_normal(&mut random, 0.05)).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let sd =
            (draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / draws.len() as f64).sqrt();
        assert!((mean - 1.0).abs() < 0.002, "{mean}");
        assert!((sd / mean - 0.05).abs() < 0.002, "{sd}");
    }
}
