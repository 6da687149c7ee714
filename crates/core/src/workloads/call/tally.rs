//! What a run's workers bring back: their verified calls summed as they came, and the first
//! call that failed, which fails the run naming it.

use std::iter::Sum;

use super::CallError;
use crate::backend::BackendError;
use crate::outcome::Outcome;

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
}

impl Sum for Tally {
    fn sum<I: Iterator<Item = Tally>>(tallies: I) -> Tally {
        tallies.fold(Tally::default(), |all, one| Tally {
            outcome: all.outcome + one.outcome,
            failed: all.failed.or(one.failed),
        })
    }
}
