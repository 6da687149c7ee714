//! What a run's workers bring back: their verified calls summed as they came, and the first
//! call that failed, which fails the run naming it.

use std::iter::Sum;
use std::sync::Arc;
use std::time::Instant;

use super::CallError;
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
}

impl Tally {
    /// A worker that stopped at `err` after `outcome`.
    pub fn failed(outcome: Outcome, err: CallError) -> Tally {
        Tally {
            outcome,
            failed: Some(err),
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
        Ok(CallOutcome {
            calls: self.into_result()?,
            log,
        })
    }
}

impl Sum for Tally {
    fn sum<I: Iterator<Item = Tally>>(tallies: I) -> Tally {
        tallies.fold(Tally::default(), |all, one| Tally {
            outcome: all.outcome + one.outcome,
            failed: all.failed.or(one.failed),
        })
    }
}
