//! The row procedure on simulated rows, to calibrate it: how often a row of identical
//! backends reads a false "faster" or "slower", how often identical backends read
//! "equivalent", and how often a real difference is found. A row is what the report
//! compares: every backend's trials in the same rounds, the best picked by median, every
//! other compared with it ([`Test::against_best`]: as two samples, or round by round).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Against, Better, Outcome, Spread, Test};
use crate::WorkloadKind;
use crate::random::SplitMix64;
use crate::results::{CellStatus, RunResults};

/// How a simulated trial's value varies about its backend's true value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Noise<'a> {
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
    /// A recorded group's own rounds: each simulated backend one of its cells, each
    /// simulated round one of its rounds, so the noise of each cell and the drift a round
    /// shared are as the machine made them.
    Recorded(&'a Recorded),
}

/// A group of a recorded run as noise: for every round all its cells completed, each
/// cell's log deviation from its own median rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// The group: its workload and sizes.
    pub what: String,
    /// Rounds, each a deviation per cell (the same cells in the same order).
    pub rounds: Vec<Vec<f64>>,
}

impl Recorded {
    /// How many cells each round holds.
    pub fn cells(&self) -> usize {
        self.rounds.first().map_or(0, Vec::len)
    }

    /// Every group of `run` with at least `cells` verified cells that all completed at
    /// least `rounds` of the same rounds, as noise.
    pub fn of(run: &RunResults, cells: usize, rounds: usize) -> Vec<Recorded> {
        let mut groups: BTreeMap<(WorkloadKind, String), Vec<BTreeMap<u32, f64>>> = BTreeMap::new();
        for cell in run.cells.iter().filter(|c| c.status == CellStatus::Ok) {
            let by_round: BTreeMap<u32, f64> = cell
                .trials
                .iter()
                .filter(|t| t.ok)
                .filter_map(|t| Some((t.index, cell.workload.rate_of(t.record.as_ref()?))))
                .filter(|(_, rate)| *rate > 0.0)
                .collect();
            let key = (cell.workload.kind(), cell.workload.comparable(cell.threads));
            groups.entry(key).or_default().push(by_round);
        }
        groups
            .into_iter()
            .filter_map(|((kind, title), members)| {
                let shared: Vec<u32> = members
                    .first()?
                    .keys()
                    .copied()
                    .filter(|round| members.iter().all(|m| m.contains_key(round)))
                    .collect();
                (members.len() >= cells && shared.len() >= rounds).then(|| Recorded {
                    what: format!("{kind} {title}"),
                    rounds: deviations(&members, &shared),
                })
            })
            .collect()
    }
}

/// The noise of one recorded run, as a calibration fixture keeps it: which run, when, and
/// its groups ([`Recorded::of`] with 6 cells and 6 rounds).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedRun {
    /// The run: its profile and the commit it was built from.
    pub source: String,
    /// When it started, seconds since 1970: runs hours apart meet different neighbours.
    pub started_unix_s: u64,
    /// Its groups of 6 or more cells sharing 6 or more rounds.
    pub groups: Vec<Recorded>,
}

impl RecordedRun {
    /// The groups of `run` with 6 or more cells sharing 6 or more rounds.
    pub fn of(run: &RunResults) -> RecordedRun {
        let commit = run
            .machine
            .git_commit
            .as_deref()
            .unwrap_or("an unknown commit");
        let dirty = if run.machine.git_dirty == Some(true) {
            " (with changes)"
        } else {
            ""
        };
        RecordedRun {
            source: format!(
                "{} profile at {}{dirty}",
                run.settings.profile,
                &commit[..commit.len().min(7)]
            ),
            started_unix_s: run.started_unix_s,
            groups: Recorded::of(run, 6, 6),
        }
    }
}

/// Each of `rounds`' log deviation of each member's value from the member's median.
fn deviations(members: &[BTreeMap<u32, f64>], rounds: &[u32]) -> Vec<Vec<f64>> {
    let medians: Vec<f64> = members
        .iter()
        .map(|m| Spread::of(rounds.iter().map(|r| m[r].ln())).map_or(0.0, |s| s.median))
        .collect();
    rounds
        .iter()
        .map(|r| {
            members
                .iter()
                .zip(&medians)
                .map(|(m, median)| m[r].ln() - median)
                .collect()
        })
        .collect()
}

/// One simulated row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Design<'a> {
    /// Backends in the row.
    pub backends: usize,
    /// Rounds: each backend's trials, one a round.
    pub rounds: usize,
    /// Each trial's own variation.
    pub noise: Noise<'a>,
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
/// is the power to see it. A recorded noise holds at most as many backends and rounds as
/// its group has cells and rounds.
pub fn simulate(test: &Test, design: Design<'_>, difference: f64, rows: usize, seed: u64) -> Rates {
    let design = match design.noise {
        Noise::Recorded(recorded) => Design {
            backends: design.backends.min(recorded.cells()),
            rounds: design.rounds.min(recorded.rounds.len()),
            ..design
        },
        _ => design,
    };
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
fn row(random: &mut SplitMix64, design: Design<'_>, difference: f64) -> Vec<Vec<f64>> {
    // A recorded group: distinct cells for the backends, distinct rounds for the rounds.
    let (cells, rounds) = match design.noise {
        Noise::Recorded(recorded) => {
            let mut cells: Vec<usize> = (0..recorded.cells()).collect();
            let mut rounds: Vec<usize> = (0..recorded.rounds.len()).collect();
            random.shuffle(&mut cells);
            random.shuffle(&mut rounds);
            (cells, rounds)
        }
        _ => (Vec::new(), Vec::new()),
    };
    let mut values = vec![Vec::with_capacity(design.rounds); design.backends];
    for round in (0..design.rounds).map(|k| rounds.get(k).copied()) {
        let drift = log_normal(random, design.drift);
        for (i, trials) in values.iter_mut().enumerate() {
            let truth = if i == design.backends - 1 {
                1.0 - difference
            } else {
                1.0
            };
            let noise = match design.noise {
                Noise::Recorded(recorded) => recorded.rounds[round.unwrap_or(0)][cells[i]].exp(),
                other => noise(random, other),
            };
            trials.push(100.0 * truth * drift * noise);
        }
    }
    values
}

/// One trial's factor of a parametric `noise`.
fn noise(random: &mut SplitMix64, noise: Noise<'_>) -> f64 {
    match noise {
        Noise::LogNormal(cv) => log_normal(random, cv),
        Noise::Bursts { cv, p, factor } => {
            let slowed = uniform(random) < p;
            log_normal(random, cv) / if slowed { factor } else { 1.0 }
        }
        Noise::Recorded(_) => 1.0,
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

    const QUIET: Design<'static> = Design {
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
