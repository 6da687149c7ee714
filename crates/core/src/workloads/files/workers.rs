//! What every family's design of `files` shares: the run's state (the file set, every read's
//! expected checksum, the next read's op, the gate the clock starts at, the latency log),
//! made before the clock.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use super::content;
use super::kernel::{self, ReadError};
use super::tally::{Tally, read};
use super::{FileSet, FilesSpec, Shape};
use crate::clock::Gate;
use crate::latencies::LatencyLog;
use crate::outcome::Outcome;

/// What a run's workers share.
#[derive(Clone)]
pub(crate) struct Shared {
    /// The cell.
    pub spec: FilesSpec,
    /// The files.
    pub set: Arc<FileSet>,
    /// Every read's checksum, by op.
    expected: Arc<[u64]>,
    /// The next read's op.
    next: Arc<AtomicU64>,
    /// Where the workers wait for each other (each with its file open) before the clock.
    pub gate: Arc<Gate>,
    /// Each read's latency.
    pub log: Arc<LatencyLog>,
    /// A write shape's block template (empty for reads).
    template: Arc<[u8]>,
    /// Writes done, so that the worker whose write is the last can sync the file.
    written: Arc<AtomicU64>,
}

impl Shared {
    /// The state of a run of `spec` on `set` whose first `gated` workers meet at the gate;
    /// its checksums computed here, before the clock.
    pub fn new(spec: &FilesSpec, set: &FileSet, gated: usize) -> Shared {
        Shared {
            spec: *spec,
            set: Arc::new(set.clone()),
            expected: spec.read_checksums().into(),
            next: Arc::new(AtomicU64::new(0)),
            gate: Arc::new(Gate::new(gated)),
            log: Arc::new(LatencyLog::new(spec.ops, false)),
            template: match spec.shape.writes() {
                true => content::template(spec.seed, spec.block_bytes).into(),
                false => Arc::from(Vec::new()),
            },
            written: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Fills `buffer` with write `op`'s bytes ([`content::fill_block`]).
    pub fn fill(&self, op: u64, buffer: &mut Vec<u8>) {
        content::fill_block(buffer, &self.template, self.spec.seed, op);
    }

    /// Whether each write is followed by its own `fdatasync` (a log).
    pub fn syncs_each(&self) -> bool {
        self.spec.shape == Shape::Log
    }

    /// Counts write `op`, done (its `fdatasync` too, a log's), and records its latency from
    /// `start`; and whether the file must now be synced, by this worker: the write shape's
    /// one `fdatasync`, after its last write.
    pub fn wrote(&self, op: u64, start: Instant) -> (Outcome, bool) {
        self.log.record(op, start.elapsed());
        let done = self.written.fetch_add(1, Ordering::AcqRel) + 1;
        let sync = self.spec.shape == Shape::Write && done == self.spec.ops;
        (read(op, 0), sync)
    }

    /// The next read's op, or `None` when every read is taken.
    pub fn next_op(&self) -> Option<u64> {
        let op = self.next.fetch_add(1, Ordering::Relaxed);
        (op < self.spec.ops).then_some(op)
    }

    /// The file read `op` reads whole (small files), or the large file.
    pub fn path(&self, op: u64) -> PathBuf {
        match self.spec.shape {
            Shape::SmallFiles => self.set.path(op),
            Shape::RandomRead | Shape::Write | Shape::Log => self.set.path(0),
        }
    }

    /// Checks `bytes`, read by `op`, and records its latency from `start`.
    pub fn checked(&self, op: u64, bytes: &[u8], start: Instant) -> Result<Outcome, ReadError> {
        let expected = self.expected[op as usize];
        kernel::check(op, bytes, expected)?;
        self.log.record(op, start.elapsed());
        Ok(read(op, expected))
    }

    /// Does operation after operation with `run` (a read, or a write) until one fails or
    /// none are left, on a thread.
    pub fn each_op(&self, mut run: impl FnMut(u64) -> Result<Outcome, ReadError>) -> Tally {
        let mut outcome = Outcome::ZERO;
        while let Some(op) = self.next_op() {
            match run(op) {
                Ok(done) => outcome += done,
                Err(err) => return Tally::ended(outcome, Some(err)),
            }
        }
        Tally::ended(outcome, None)
    }
}
