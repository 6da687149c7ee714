//! `files` on a backend of OS threads (`std::fs`): `concurrency` long-lived workers (a
//! thread each on the threads backend, as many at once as a pool's W allow, one loop on
//! sequential), each with its own handle on the large file and its own buffer, taking the
//! next read until none are left. A small file is read with `std::fs::read`, the standard
//! library's read-whole, as each runtime's design uses its own; a write is a positioned
//! write (`pwrite`), and `File::sync_data` its `fdatasync`.

use std::fs::File;
use std::time::Instant;

use super::kernel::{self, ReadError};
use super::tally::{FilesOutcome, Tally};
use super::workers::Shared;
use super::{FileSet, FilesSpec, Shape};
use crate::backend::BackendError;
use crate::outcome::Outcome;
use crate::threaded::Threaded;

/// Runs `spec` on `set`.
pub fn on_threads<B: Threaded>(
    backend: &B,
    spec: &FilesSpec,
    set: &FileSet,
) -> Result<FilesOutcome, BackendError> {
    let slots = match backend.width() {
        Some(1) => 1,
        _ => spec.concurrency.min(spec.ops),
    };
    // Where every worker runs at once (a thread each) each opens its file before the clock
    // starts; a pool of W opens them as its W allow, the clock starting with the first (a
    // gate of none would never open, and its clock never start).
    let all_at_once = backend.width().is_none_or(|width| slots <= width);
    let shared = Shared::new(spec, set, if all_at_once { slots as usize } else { 1 });
    let log = shared.log.clone();
    let tally: Tally = backend.each(slots, move |_| match shared.spec.shape.writes() {
        true => writes(&shared),
        false => reads(&shared),
    })?;
    tally.with_log(log)
}

/// One worker of a read shape: its handle on the large file, then reads until none are left.
fn reads(shared: &Shared) -> Tally {
    let opened = match shared.spec.shape {
        Shape::RandomRead => Some(File::open(shared.path(0))),
        _ => None,
    };
    let mut block = vec![0u8; shared.spec.block_bytes as usize];
    shared.gate.arrive();
    let file = match opened.transpose() {
        Ok(file) => file,
        Err(source) => return Tally::ended(Outcome::ZERO, Some(ReadError::Io { op: 0, source })),
    };
    shared.each_op(|op| {
        let start = Instant::now();
        match &file {
            None => {
                let bytes = std::fs::read(shared.path(op))
                    .map_err(|source| ReadError::Io { op, source })?;
                shared.checked(op, &bytes, start)
            }
            Some(file) => {
                kernel::read_at(op, file, shared.spec.offset(op), &mut block)?;
                shared.checked(op, &block, start)
            }
        }
    })
}

/// One worker of a write shape: its handle on the new file, then writes (each synced, a
/// log's) until none are left; the worker whose write is the last syncs the file.
fn writes(shared: &Shared) -> Tally {
    let opened = File::options().write(true).open(shared.path(0));
    let mut block = Vec::with_capacity(shared.spec.block_bytes as usize);
    shared.gate.arrive();
    let file = match opened {
        Ok(file) => file,
        Err(source) => return Tally::unopened(source),
    };
    shared.each_op(|op| {
        let start = Instant::now();
        shared.fill(op, &mut block);
        let offset = shared.spec.offset(op);
        kernel::write_at(op, &file, offset, &block, shared.syncs_each())?;
        let (done, sync) = shared.wrote(op, start);
        if sync {
            kernel::sync_after(op, &file)?;
        }
        Ok(done)
    })
}
