//! What a run's workers bring back: their verified calls summed as they came, and the first
//! call that failed, which fails the run naming it.

use std::iter::Sum;
use std::sync::Arc;
use std::time::Instant;

use super::CallError;
use super::ticker::Lateness;
use crate::backend::BackendError;
use crate::latencies::LatencyLog;
use crate::outcome::Outcome;

/// What a `call` run returns: its verified calls, and each call's latency (from the worker
/// placing it to its verified answer back in the worker), in a log made before the clock.
#[derive(Clone, Debug)]
pub struct CallOutcome {
    /// Every verified call once: its count and the sum of its tokens.
    pub calls: Outcome,
    /// Each call's latency by id.
    pub log: Arc<LatencyLog>,
    /// How late each tick of the ticker beside the calls fired, microseconds, where the
    /// spec asked for one.
    pub ticks: Option<Lateness>,
}

/// A log for `calls` calls, made before the clock starts.
pub(crate) fn log(calls: u64) -> Arc<LatencyLog> {
    Arc::new(LatencyLog::new(calls, false))
}

/// Records call `id`, started at `start`, as answered now.
pub(crate) fn timed(log: &LatencyLog, id: u64, start: Instant) {
    log.record(id, start.elapsed());
}

/// What one worker (or all of them) did.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// The verified calls.
    pub outcome: Outcome,
    /// The first call that failed.
    pub failed: Option<CallError>,
    /// The ticker's record, where it ran beside these calls.
    pub ticks: Option<Lateness>,
}

impl Tally {
    /// A worker that made `outcome` and stopped at `failed`, if it did.
    pub fn ended(outcome: Outcome, failed: Option<CallError>) -> Tally {
        Tally {
            outcome,
            failed,
            ticks: None,
        }
    }

    /// A worker that stopped at `err` after `outcome`.
    pub fn failed(outcome: Outcome, err: CallError) -> Tally {
        Tally {
            outcome,
            failed: Some(err),
            ticks: None,
        }
    }

    /// These calls with `ticks`, the record of the ticker beside them.
    pub fn ticked(self, ticks: Option<Lateness>) -> Tally {
        Tally {
            ticks: ticks.or(self.ticks),
            ..self
        }
    }

    /// The run's outcome, or its first failed call as the run's error.
    pub fn into_result(self) -> Result<Outcome, BackendError> {
        match self.failed {
            Some(err) => Err(BackendError::Failed(err.to_string())),
            None => Ok(self.outcome),
        }
    }

    /// The run's outcome with its latencies, or its first failed call as the run's error.
    pub fn with_log(self, log: Arc<LatencyLog>) -> Result<CallOutcome, BackendError> {
        let ticks = self.ticks.clone();
        Ok(CallOutcome {
            calls: self.into_result()?,
            log,
            ticks,
        })
    }
}

impl Sum for Tally {
    fn sum<I: Iterator<Item = Tally>>(tallies: I) -> Tally {
        tallies.fold(Tally::default(), |all, one| Tally {
            outcome: all.outcome + one.outcome,
            failed: all.failed.or(one.failed),
            ticks: all.ticks.or(one.ticks),
        })
    }
}
