//! The `capacity` scenario: each backend's most load within an SLO, as wrk2 users ask it
//! ("what rate can it sustain with its p99 within target?"), found by search rather than
//! read off a grid of rates.
//!
//! A trial runs the search ([`super::search`]): from a 64th of the highest rate it doubles
//! until a step fails, then bisects geometrically to [`RESOLUTION`]. Each step is a paced
//! open-loop run ([`FetchSpec::step`]) of its own, verified like any fetch; it holds when
//! it verifies, keeps up with its schedule and its p99 from due stays within the SLO
//! ([`Step::holds`]). The trial's figure is the highest rate that held.

use serde::{Deserialize, Serialize};

use super::search::Bounds;
use super::{FetchSpec, Scenario};
use crate::schedule::Schedule;

/// How close the rates that held and failed end, as a fraction of the one that held: finer
/// than the 5% margin the verdicts use.
pub const RESOLUTION: f64 = 0.02;

/// The search starts at this fraction of the highest rate.
pub const FIRST_STEP: f64 = 1.0 / 64.0;

/// Each step offers at least this long of arrivals, seconds (and at least the cell's
/// requests): a shorter step would let a client that falls slowly behind hold a rate it
/// cannot sustain.
pub const STEP_S: f64 = 0.25;

/// The SLO when none is given: 10 ms on p99 from due, about five times what a request takes
/// here (1 ms server delay on a 1 ms timer, plus the round trip).
pub const SLO_MS_DEFAULT: u64 = 10;

/// Keeping up: a run ends within 1% of its ideal time (its last request due, plus one
/// server delay), i.e. it achieved at least 99% of the offered rate ...
pub const KEEPS_UP: f64 = 0.99;

/// ... or, for a short run, within this many seconds of it: two 1 ms timer ticks and a
/// request (on a 0.1 s run 1% is a single tick, which says nothing about keeping up).
pub const KEEPS_UP_SLACK_S: f64 = 0.005;

/// Whether a run of `wall_s` whose ideal time was `ideal_s` kept up with its schedule.
pub fn kept_up(ideal_s: f64, wall_s: f64) -> bool {
    wall_s - ideal_s <= (ideal_s * (1.0 - KEEPS_UP)).max(KEEPS_UP_SLACK_S)
}

/// One step of a trial's search, as results.json keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The offered rate, requests per second.
    pub rate: f64,
    /// Requests it offered.
    pub requests: u64,
    /// Its wall time, seconds.
    pub wall_s: f64,
    /// Its ideal time (the last request due, plus one server delay), seconds.
    pub ideal_s: f64,
    /// Its p99 from due, microseconds (a step that did not verify failed its trial).
    pub p99_us: Option<u64>,
}

impl Step {
    /// Whether the step held the rate: kept up, and p99 from due within `slo_ms` (a step
    /// that did not verify fails its trial instead).
    pub fn holds(&self, slo_ms: u64) -> bool {
        kept_up(self.ideal_s, self.wall_s) && self.p99_us.is_some_and(|p99| p99 <= slo_ms * 1000)
    }
}

/// What one trial's search found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Searched {
    /// The SLO it searched with, milliseconds.
    pub slo_ms: u64,
    /// The first rate tried.
    pub first_rate: f64,
    /// The highest rate that held; `None` when even the first failed.
    pub rate: Option<f64>,
    /// Whether the highest rate of the search held (the client may hold more).
    pub at_ceiling: bool,
    /// Every step, in the order it ran.
    pub steps: Vec<Step>,
}

impl Searched {
    /// The figure a trial is ranked by: the rate that held, or half the first rate when
    /// none did (below the search, so the tests' log scale has a value).
    pub fn figure(&self) -> f64 {
        self.rate.unwrap_or(self.first_rate / 2.0)
    }
}

impl FetchSpec {
    /// Where a capacity search looks: from a 64th of its highest rate up to it.
    pub fn bounds(&self) -> Option<Bounds> {
        let ceiling = self.search()?.pace.rate;
        Some(Bounds {
            low: ceiling * FIRST_STEP,
            high: ceiling,
            resolution: RESOLUTION,
        })
    }

    /// The paced run a capacity search makes at `rate`: a load cell with the search's
    /// arrivals, its requests at least the cell's and [`STEP_S`] of arrivals.
    pub fn step(&self, rate: f64) -> FetchSpec {
        let pace = super::Pace {
            rate,
            ..self.pace().unwrap_or_default()
        };
        FetchSpec {
            requests: self.requests.max((rate * STEP_S).ceil() as u64),
            scenario: Scenario::Load { pace, pause_ms: 0 },
            ..self.clone()
        }
    }

    /// The seconds of arrivals a search takes at most: every doubling to the highest rate,
    /// then a bisection of [`bisections`] steps near it.
    pub fn search_s(&self) -> Option<f64> {
        let bounds = self.bounds()?;
        let arrivals_s = |rate: f64| {
            let step = self.step(rate);
            Schedule::last_due_s(step.arrival(), rate, step.requests, step.seed).unwrap_or(0.0)
        };
        let mut rate = bounds.low;
        let mut total = 0.0;
        while rate < bounds.high {
            total += arrivals_s(rate);
            rate *= 2.0;
        }
        total += arrivals_s(bounds.high);
        Some(total + bisections() as f64 * arrivals_s(bounds.high))
    }
}

/// The steps a bisection from a factor of two down to [`RESOLUTION`] takes.
pub fn bisections() -> u32 {
    (2f64.ln() / (1.0 + RESOLUTION).ln()).log2().ceil() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WorkloadSpec;
    use crate::workloads::fetch::{Arrival, Pace, Search};

    fn cell(rate: f64, requests: u64) -> FetchSpec {
        FetchSpec {
            requests,
            concurrency: 64,
            latency_ms: 1,
            body_bytes: 256,
            scenario: Scenario::Capacity(Search {
                pace: Pace {
                    rate,
                    arrival: Arrival::Poisson,
                },
                slo_ms: 10,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn a_step_is_a_load_run_of_at_least_the_cells_requests_and_a_quarter_second() {
        let spec = cell(64_000.0, 1_000);
        let low = spec.step(1_000.0);
        assert_eq!(low.kind(), crate::WorkloadKind::Load);
        assert_eq!(low.rate_per_s(), 1_000.0);
        assert_eq!(low.arrival(), Arrival::Poisson);
        assert_eq!(low.requests, 1_000);
        assert_eq!(spec.step(20_000.0).requests, 5_000);
        assert_eq!(spec.bounds().unwrap().low, 1_000.0);
    }

    #[test]
    fn a_step_holds_only_verified_kept_up_and_within_the_slo() {
        let held = Step {
            rate: 1_000.0,
            requests: 1_000,
            wall_s: 1.001,
            ideal_s: 1.0,
            p99_us: Some(9_000),
        };
        assert!(held.holds(10));
        assert!(!held.holds(8), "p99 9 ms is over an 8 ms SLO");
        let behind = Step {
            wall_s: 1.02,
            ..held
        };
        assert!(!behind.holds(10), "2% behind its schedule");
    }

    #[test]
    fn the_search_time_counts_every_doubling_and_the_bisection() {
        let spec = cell(64_000.0, 1_000);
        let seconds = spec.search_s().unwrap();
        // 1k, 2k: 1 s and 0.5 s of 1,000 arrivals; 4k to 64k: 0.25 s each; then 6 more.
        assert_eq!(bisections(), 6);
        assert!(
            (seconds - (1.0 + 0.5 + 5.0 * 0.25 + 6.0 * 0.25)).abs() < 0.2,
            "{seconds}"
        );
    }
}
