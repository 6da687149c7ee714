//! What a backend hands back: enough to check that it did the work.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign};

use crate::blocking::TickOutcome;
use crate::call::CallOutcome;
use crate::tally::FetchOutcome;

/// The verifiable result of running a workload: a count and a checksum.
///
/// Tasks and jobs each produce a partial outcome; a backend adds them up in whatever
/// order they finish. Addition is commutative, so scheduling order cannot change the
/// answer, only a missing, duplicated or wrong piece of work can.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Completed operations: finished tasks, or elements summed.
    pub ops: u64,
    /// Workload-defined checksum (wrapping sum of task tokens, or the exact sum).
    pub checksum: u128,
}

impl Outcome {
    /// The outcome of doing nothing.
    pub const ZERO: Outcome = Outcome {
        ops: 0,
        checksum: 0,
    };
}

impl Add for Outcome {
    type Output = Outcome;
    fn add(self, other: Outcome) -> Outcome {
        Outcome {
            ops: self.ops + other.ops,
            checksum: self.checksum.wrapping_add(other.checksum),
        }
    }
}

impl AddAssign for Outcome {
    fn add_assign(&mut self, other: Outcome) {
        *self = *self + other;
    }
}

impl Sum for Outcome {
    fn sum<I: Iterator<Item = Outcome>>(iter: I) -> Outcome {
        iter.fold(Outcome::ZERO, Add::add)
    }
}

/// What running any workload returns.
#[derive(Clone, Debug)]
pub enum RunOutcome {
    /// `sleep` and `cpu`: a count and a checksum.
    Counted(Outcome),
    /// `fetch`: counts by kind, bytes and latencies.
    Fetched(FetchOutcome),
    /// `blocking`: ticks with their lateness, and the CPU jobs' sum.
    Ticked(TickOutcome),
    /// `call`: the verified calls, with each call's latency.
    Called(CallOutcome),
    /// `files`: the verified reads, with each read's latency.
    Read(crate::files::FilesOutcome),
}

impl RunOutcome {
    /// Operations done: tasks, elements, or requests (answered or failed).
    pub fn ops(&self) -> u64 {
        match self {
            RunOutcome::Counted(outcome) => outcome.ops,
            RunOutcome::Fetched(outcome) => outcome.ok + outcome.failed.total(),
            RunOutcome::Ticked(outcome) => outcome.ticks.ops,
            RunOutcome::Called(outcome) => outcome.calls.ops,
            RunOutcome::Read(outcome) => outcome.reads.ops,
        }
    }

    /// The checksum as stored in results: the counted checksum, or the requests answered
    /// 200 with the right body.
    pub fn checksum(&self) -> String {
        match self {
            RunOutcome::Counted(outcome) => outcome.checksum.to_string(),
            RunOutcome::Fetched(outcome) => outcome.ok.to_string(),
            RunOutcome::Ticked(outcome) => outcome.cpu.checksum.to_string(),
            RunOutcome::Called(outcome) => outcome.calls.checksum.to_string(),
            RunOutcome::Read(outcome) => outcome.reads.checksum.to_string(),
        }
    }
}

impl RunOutcome {
    /// Accepts a counted outcome equal to `expected` (a `kind` run's answer).
    pub fn expect_counted(
        &self,
        kind: impl fmt::Display,
        expected: &Outcome,
    ) -> Result<(), Mismatch> {
        match self.counted(kind)? {
            got if got == expected => Ok(()),
            got => Err(Mismatch::counted(expected, got)),
        }
    }

    /// The counted outcome, or why a `kind` run should not have returned another.
    pub fn counted(&self, kind: impl fmt::Display) -> Result<&Outcome, Mismatch> {
        match self {
            RunOutcome::Counted(outcome) => Ok(outcome),
            _ => Err(Mismatch::wrong_kind(kind)),
        }
    }

    /// The fetch outcome, or why a `kind` run should not have returned another.
    pub fn fetched(&self, kind: impl fmt::Display) -> Result<&FetchOutcome, Mismatch> {
        match self {
            RunOutcome::Fetched(outcome) => Ok(outcome),
            _ => Err(Mismatch::wrong_kind(kind)),
        }
    }

    /// The ticks outcome, or why a `kind` run should not have returned another.
    pub fn ticked(&self, kind: impl fmt::Display) -> Result<&TickOutcome, Mismatch> {
        match self {
            RunOutcome::Ticked(outcome) => Ok(outcome),
            _ => Err(Mismatch::wrong_kind(kind)),
        }
    }
}

impl From<Outcome> for RunOutcome {
    fn from(outcome: Outcome) -> Self {
        RunOutcome::Counted(outcome)
    }
}

impl From<crate::files::FilesOutcome> for RunOutcome {
    fn from(outcome: crate::files::FilesOutcome) -> RunOutcome {
        RunOutcome::Read(outcome)
    }
}

impl From<CallOutcome> for RunOutcome {
    fn from(outcome: CallOutcome) -> Self {
        RunOutcome::Called(outcome)
    }
}

impl From<TickOutcome> for RunOutcome {
    fn from(outcome: TickOutcome) -> Self {
        RunOutcome::Ticked(outcome)
    }
}

impl From<FetchOutcome> for RunOutcome {
    fn from(outcome: FetchOutcome) -> Self {
        RunOutcome::Fetched(outcome)
    }
}

/// A backend's outcome differs from the one core expects.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("wrong answer: {message}")]
pub struct Mismatch {
    /// What differs.
    pub message: String,
}

impl Mismatch {
    /// A mismatch described by `message`.
    pub fn new(message: String) -> Self {
        Mismatch { message }
    }

    /// A run returned another kind of outcome than its workload's.
    pub fn wrong_kind(kind: impl fmt::Display) -> Self {
        Mismatch::new(format!("a {kind} run returned the wrong kind of outcome"))
    }

    /// `Ok` when `got` is `expected`, else their mismatch.
    pub fn unless_equal(expected: &Outcome, got: &Outcome) -> Result<(), Mismatch> {
        if got == expected {
            Ok(())
        } else {
            Err(Mismatch::counted(expected, got))
        }
    }

    /// The mismatch between two counted outcomes.
    pub fn counted(expected: &Outcome, got: &Outcome) -> Self {
        Mismatch::new(format!(
            "expected {} ops with checksum {}, got {} ops with checksum {}",
            expected.ops, expected.checksum, got.ops, got.checksum
        ))
    }
}
