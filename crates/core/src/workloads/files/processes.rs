//! `files` on a pool of worker processes: a part per read in flight, each reading every
//! `parts`-th read with `std::fs` in the worker that takes it (its own handle on the large
//! file). A pool of W holds W parts, so W reads, at once: the tutorials' multiprocessing,
//! for I/O.

use std::fs::File;

use super::content;
use super::kernel::{self, ReadError};
use super::tally::read;
use super::{FileSet, FilesSpec, Shape};
use crate::backend::BackendError;
use crate::clock::Gate;
use crate::fetch::Target;
use crate::outcome::Outcome;
use crate::processes::{Pool, Run, quiet, sum};

/// Sends a part per read (or write) in flight and sums the answers; a write shape's file is
/// then synced, by the parent, once every part has written.
pub fn on_processes<P: Pool>(
    pool: &P,
    spec: &FilesSpec,
    set: &FileSet,
    target: Option<&Target>,
) -> Result<Outcome, BackendError> {
    crate::driver::started();
    let run = Run {
        workload: (*spec).into(),
        parts: spec.concurrency.min(spec.ops),
        target: target.cloned(),
    };
    // The clock starts here, after the page cache was prepared, as the other designs'
    // does at their workers' gate.
    Gate::new(1).arrive();
    let outcome = sum(pool.parts(run, quiet, quiet)?)?;
    if spec.shape == Shape::Write {
        let file = File::options()
            .write(true)
            .open(set.path(0))
            .map_err(|err| BackendError::Failed(format!("opening the written file: {err}")))?;
        kernel::sync_after(spec.ops - 1, &file)
            .map_err(|err| BackendError::Failed(err.to_string()))?;
    }
    Ok(outcome)
}

/// Part `part` of `parts`, in the worker: reads `part`, `part + parts`, …, each counted
/// with its bytes' checksum, which the parent checks after the clock
/// ([`FilesSpec::expected`]): computing the expected checksums in the worker would
/// put work in its timed region that no other backend's has.
pub fn in_worker(
    spec: &FilesSpec,
    part: u64,
    parts: u64,
    set: &FileSet,
) -> Result<Outcome, ReadError> {
    if spec.shape.writes() {
        return writes_in_worker(spec, part, parts, set);
    }
    let large = match spec.shape {
        Shape::RandomRead => {
            Some(File::open(set.path(0)).map_err(|source| ReadError::Io { op: part, source })?)
        }
        _ => None,
    };
    let mut block = vec![0u8; spec.block_bytes as usize];
    let mut outcome = Outcome::ZERO;
    for op in (part..spec.ops).step_by(parts.max(1) as usize) {
        match &large {
            None => {
                let bytes =
                    std::fs::read(set.path(op)).map_err(|source| ReadError::Io { op, source })?;
                outcome += read(op, content::checksum(&bytes));
            }
            Some(file) => {
                kernel::read_at(op, file, spec.offset(op), &mut block)?;
                outcome += read(op, content::checksum(&block));
            }
        }
    }
    Ok(outcome)
}

/// Part `part` of `parts` of a write shape, in the worker: writes `part`, `part + parts`,
/// … (each synced, a log's), each counted. The block template is made here, inside the
/// clock (a part starts when the clock has): a copy of a block per part, beside its writes.
fn writes_in_worker(
    spec: &FilesSpec,
    part: u64,
    parts: u64,
    set: &FileSet,
) -> Result<Outcome, ReadError> {
    let file = File::options()
        .write(true)
        .open(set.path(0))
        .map_err(|source| ReadError::Write { op: part, source })?;
    let template = content::template(spec.seed, spec.block_bytes);
    let mut block = Vec::with_capacity(template.len());
    let mut outcome = Outcome::ZERO;
    for op in (part..spec.ops).step_by(parts.max(1) as usize) {
        content::fill_block(&mut block, &template, spec.seed, op);
        kernel::write_at(op, &file, spec.offset(op), &block, spec.shape == Shape::Log)?;
        outcome += read(op, 0);
    }
    Ok(outcome)
}
