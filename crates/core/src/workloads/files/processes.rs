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

/// Sends a part per read in flight and sums the answers.
pub fn on_processes<P: Pool>(
    pool: &P,
    spec: &FilesSpec,
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
    sum(pool.parts(run, quiet, quiet)?)
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
    let large = match spec.shape {
        Shape::RandomRead => {
            Some(File::open(set.path(0)).map_err(|source| ReadError::Io { op: part, source })?)
        }
        Shape::SmallFiles => None,
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
