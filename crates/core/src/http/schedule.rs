//! When each request of a paced fetch is due: evenly spaced at the rate (`fixed`) or as a
//! Poisson process of that rate drawn from the seed (`poisson`).
//!
//! An open-loop client sends request `i` when it is due, whatever happened to the others,
//! and times it **from when it was due**: a client that falls behind (every connection
//! busy, a stalled thread, a late timer) pays for it in latency. That is wrk2's definition
//! (constant throughput, latency from the intended send time), and the cure for
//! coordinated omission. A closed-loop client (no rate) has no schedule.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::random::token;

/// How paced requests arrive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Arrival {
    /// Request `i` is due at `i / rate`.
    #[default]
    Fixed,
    /// Exponential gaps of mean `1 / rate`, drawn from the seed: the arrivals of many
    /// independent users.
    Poisson,
}

impl Arrival {
    /// `fixed` or `poisson`.
    pub fn name(self) -> &'static str {
        match self {
            Arrival::Fixed => "fixed",
            Arrival::Poisson => "poisson",
        }
    }

    /// Whether this is the default, left out of results files.
    pub fn is_fixed(&self) -> bool {
        *self == Arrival::Fixed
    }
}

/// The due times of one run, from the moment it started.
#[derive(Clone, Debug)]
pub struct Schedule {
    epoch: Instant,
    offsets: Offsets,
}

#[derive(Clone, Debug)]
enum Offsets {
    /// Closed loop: nothing is due, requests go as fast as slots free up.
    None,
    /// `i / rate` seconds.
    Fixed(f64),
    /// Precomputed, seconds: each a sum of the gaps before it.
    Drawn(Arc<[f64]>),
}

impl Schedule {
    /// The schedule of `requests` requests at `rate` per second (0: none), starting now.
    pub fn start(arrival: Arrival, rate: f64, requests: u64, seed: u64) -> Schedule {
        let offsets = match arrival {
            _ if rate <= 0.0 => Offsets::None,
            Arrival::Fixed => Offsets::Fixed(rate),
            Arrival::Poisson => Offsets::Drawn(poisson(rate, requests, seed).into()),
        };
        Schedule {
            epoch: Instant::now(),
            offsets,
        }
    }

    /// When the last of `requests` is due, seconds from the start: the shortest a paced
    /// run can take before its last answer. `None` without a rate.
    pub fn last_due_s(arrival: Arrival, rate: f64, requests: u64, seed: u64) -> Option<f64> {
        match arrival {
            _ if rate <= 0.0 || requests == 0 => None,
            Arrival::Fixed => Some((requests - 1) as f64 / rate),
            Arrival::Poisson => poisson(rate, requests, seed).last().copied(),
        }
    }

    /// The same schedule starting at `epoch` (when the clock started, for workers that
    /// waited at a [`crate::clock::Gate`]).
    pub fn starting(&self, epoch: Instant) -> Schedule {
        Schedule {
            epoch,
            offsets: self.offsets.clone(),
        }
    }

    /// When the run started.
    pub fn epoch(&self) -> Instant {
        self.epoch
    }

    /// When request `id` is due; `None` in a closed loop.
    pub fn due(&self, id: u64) -> Option<Instant> {
        let offset = match &self.offsets {
            Offsets::None => return None,
            Offsets::Fixed(rate) => id as f64 / rate,
            Offsets::Drawn(offsets) => *offsets.get(id as usize)?,
        };
        Some(self.epoch + Duration::from_secs_f64(offset))
    }

    /// Blocks the calling thread until request `id` is due (the thread-based backends'
    /// pacing; async backends wait on their own timers until [`Schedule::due`]).
    pub fn wait_turn(&self, id: u64) {
        if let Some(at) = self.due(id) {
            std::thread::sleep(at.saturating_duration_since(Instant::now()));
        }
    }
}

/// Offsets of a Poisson process of `rate`: the first request at 0, then exponential gaps.
fn poisson(rate: f64, requests: u64, seed: u64) -> Vec<f64> {
    let mut at = 0.0;
    (0..requests)
        .map(|id| {
            let now = at;
            // A uniform in (0, 1] from the seed, so ln never sees 0.
            let u = ((token(seed ^ 0xA11_1BA1 ^ token(id)) >> 11) + 1) as f64 / (1u64 << 53) as f64;
            at += -u.ln() / rate;
            now
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_arrivals_are_evenly_spaced_and_a_closed_loop_has_none() {
        let schedule = Schedule::start(Arrival::Fixed, 1_000.0, 10, 1);
        let at = |id| schedule.due(id).unwrap() - schedule.epoch();
        assert_eq!(at(0), Duration::ZERO);
        assert_eq!(at(5), Duration::from_millis(5));
        let closed = Schedule::start(Arrival::Poisson, 0.0, 10, 1);
        assert_eq!(closed.due(3), None);
    }

    #[test]
    fn poisson_arrivals_have_the_rate_and_the_spread_of_exponential_gaps() {
        let n = 100_000;
        let offsets = poisson(1_000.0, n, 7);
        assert_eq!(offsets.len() as u64, n);
        assert!(offsets.windows(2).all(|w| w[1] >= w[0]));
        let gaps: Vec<f64> = offsets.windows(2).map(|w| w[1] - w[0]).collect();
        let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
        let var = gaps.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / gaps.len() as f64;
        // Exponential: mean 1 ms and standard deviation equal to the mean (within 2%).
        assert!((mean - 1e-3).abs() < 2e-5, "mean gap {mean}");
        assert!(
            (var.sqrt() / mean - 1.0).abs() < 0.02,
            "cv {}",
            var.sqrt() / mean
        );
        // The same seed draws the same schedule, another seed another one.
        assert_eq!(poisson(1_000.0, 100, 7), poisson(1_000.0, 100, 7));
        assert_ne!(poisson(1_000.0, 100, 7), poisson(1_000.0, 100, 8));
        let schedule = Schedule::start(Arrival::Poisson, 1_000.0, 100, 7);
        assert_eq!(schedule.due(100), None, "past the last request");
        let last = schedule.due(99).unwrap() - schedule.epoch();
        let said = Schedule::last_due_s(Arrival::Poisson, 1_000.0, 100, 7).unwrap();
        assert!((last.as_secs_f64() - said).abs() < 1e-6);
    }
}
