//! What a run's workers bring back: their verified reads summed as they came, and the first
//! read that failed, which fails the run naming it.

use std::iter::Sum;
use std::path::PathBuf;
use std::sync::Arc;

use super::kernel::ReadError;
use crate::backend::BackendError;
use crate::latencies::LatencyLog;
use crate::outcome::Outcome;
use crate::random::token;

/// What a `files` run returns: its verified reads (or its writes), each one's latency (from
/// the worker starting it to its checked bytes, or its write done), in a log made before
/// the clock, and a write shape's file, to be read back after the clock.
#[derive(Clone, Debug)]
pub struct FilesOutcome {
    /// Every verified read (or write) once: its count and the sum of its tokens.
    pub reads: Outcome,
    /// Each operation's latency by op (none from the process pool's parts, which count
    /// their operations without timing them).
    pub log: Option<Arc<LatencyLog>>,
    /// The file a write shape wrote, read back by [`crate::files::FilesSpec::verify_run`]
    /// after the clock, then deleted.
    pub written: Option<PathBuf>,
}

/// Read `op`, whose bytes have `checksum`: one op, its token plus its checksum, so a lost or
/// repeated read cannot cancel out, and a run whose reads are summed without being checked
/// one by one (the process pool's parts) still answers wrong when a read's bytes differ.
pub fn read(op: u64, checksum: u64) -> Outcome {
    Outcome {
        ops: 1,
        checksum: u128::from(token(op)) + u128::from(checksum),
    }
}

/// What one worker (or all of them) did.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// The verified reads.
    pub outcome: Outcome,
    /// The first read that failed.
    pub failed: Option<ReadError>,
}

impl Tally {
    /// A worker that read `outcome` and stopped at `failed`, if it did.
    pub fn ended(outcome: Outcome, failed: Option<ReadError>) -> Tally {
        Tally { outcome, failed }
    }

    /// A write worker that could not open its file (before its first write).
    pub fn unopened(source: std::io::Error) -> Tally {
        Tally::ended(Outcome::ZERO, Some(ReadError::Write { op: 0, source }))
    }

    /// The run's outcome with its log, or its first failed read as the run's error.
    pub fn with_log(self, log: Arc<LatencyLog>) -> Result<FilesOutcome, BackendError> {
        match self.failed {
            Some(err) => Err(BackendError::Failed(err.to_string())),
            None => Ok(FilesOutcome {
                reads: self.outcome,
                log: Some(log),
                written: None,
            }),
        }
    }
}

impl Sum for Tally {
    /// The workers' reads summed; the first failure kept.
    fn sum<I: Iterator<Item = Tally>>(tallies: I) -> Tally {
        tallies.fold(Tally::default(), |sum, tally| Tally {
            outcome: sum.outcome + tally.outcome,
            failed: sum.failed.or(tally.failed),
        })
    }
}
