//! `files` on a shared-executor runtime (tokio, smol, async-std): `concurrency` worker
//! tasks, each opening its own handle on the large file before the clock, then taking the
//! next read until none are left, through the runtime's own file API (a hand-off to its
//! blocking pool per operation: what `tokio::fs`, async-fs and async-std's fs are); or, as
//! the `std-fs-on-pool` variant, `std::fs` handed to the same pool one read at a time.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::Arc;
use std::time::Instant;

use super::kernel::{self, ReadError};
use super::tally::{FilesOutcome, Tally};
use super::workers::Shared;
use super::{FileIo, FileSet, FilesSpec, Shape};
use crate::backend::BackendError;
use crate::executor::{Executor, collect, drive};
use crate::outcome::Outcome;
use crate::runtime::{AsyncRuntime, TaskGroup};

/// Runs `spec` on `set`.
pub fn on_executor<E: Executor>(
    executor: &E,
    spec: &FilesSpec,
    set: &FileSet,
) -> Result<FilesOutcome, BackendError> {
    let slots = spec.concurrency.min(spec.ops);
    let shared = Shared::new(spec, set, slots as usize);
    let log = shared.log.clone();
    let runtime = executor.runtime();
    let tally = drive(executor, async move {
        let mut workers = runtime.group(slots as usize);
        for _ in 0..slots {
            let shared = shared.clone();
            match (shared.spec.io, shared.spec.shape.writes()) {
                (FileIo::StdOnPool, false) => workers.spawn(on_pool(shared, runtime.clone())),
                (FileIo::StdOnPool, true) => workers.spawn(write_on_pool(shared, runtime.clone())),
                (_, false) => workers.spawn(work::<E::Runtime>(shared)),
                (_, true) => workers.spawn(write::<E::Runtime>(shared)),
            }
        }
        Ok(collect(workers).await?.into_iter().sum::<Tally>())
    })?;
    tally.with_log(log)
}

/// One worker: its file open (random reads) and its buffer made, it waits for the others,
/// then reads until none are left.
async fn work<R: AsyncRuntime>(shared: Shared) -> Tally {
    let opened = match shared.spec.shape {
        Shape::RandomRead => Some(R::open_file(shared.path(0)).await),
        _ => None,
    };
    let mut block = vec![0u8; shared.spec.block_bytes as usize];
    shared.gate.arrive_async().await;
    let mut file = match opened.transpose() {
        Ok(file) => file,
        Err(source) => return Tally::ended(Outcome::ZERO, Some(ReadError::Io { op: 0, source })),
    };
    let shared = &shared;
    let mut outcome = Outcome::ZERO;
    while let Some(op) = shared.next_op() {
        let start = Instant::now();
        let read = match file.as_mut() {
            None => match R::read_file(shared.path(op)).await {
                Ok(bytes) => shared.checked(op, &bytes, start),
                Err(source) => Err(ReadError::Io { op, source }),
            },
            Some(file) => match R::read_file_at(file, shared.spec.offset(op), &mut block).await {
                Ok(()) => shared.checked(op, &block, start),
                Err(source) => Err(ReadError::Io { op, source }),
            },
        };
        match read {
            Ok(done) => outcome += done,
            Err(err) => return Tally::ended(outcome, Some(err)),
        }
    }
    Tally::ended(outcome, None)
}

/// One worker of the `std-fs-on-pool` variant: `std::fs` handed to the runtime's blocking
/// pool one read at a time (`std::fs::read`, a positioned read on its own handle, opened
/// before the clock), in place of the runtime's file API.
async fn on_pool<R: AsyncRuntime>(shared: Shared, runtime: R) -> Tally {
    let opened = match shared.spec.shape {
        Shape::RandomRead => Some(File::open(shared.path(0)).map(Arc::new)),
        _ => None,
    };
    let mut block = vec![0u8; shared.spec.block_bytes as usize];
    shared.gate.arrive_async().await;
    let file = match opened.transpose() {
        Ok(file) => file,
        Err(source) => return Tally::ended(Outcome::ZERO, Some(ReadError::Io { op: 0, source })),
    };
    let mut outcome = Outcome::ZERO;
    while let Some(op) = shared.next_op() {
        let start = Instant::now();
        let read = match &file {
            None => {
                let path = shared.path(op);
                match runtime.unblock(move || std::fs::read(path)).await {
                    Ok(Ok(bytes)) => shared.checked(op, &bytes, start),
                    Ok(Err(source)) => Err(ReadError::Io { op, source }),
                    Err(err) => Err(lost(op, err)),
                }
            }
            Some(file) => {
                let (file, offset) = (file.clone(), shared.spec.offset(op));
                let mut buffer = std::mem::take(&mut block);
                let read = runtime.unblock(move || {
                    let read = file.read_exact_at(&mut buffer, offset);
                    (read, buffer)
                });
                match read.await {
                    Ok((Ok(()), buffer)) => {
                        let checked = shared.checked(op, &buffer, start);
                        block = buffer;
                        checked
                    }
                    Ok((Err(source), _)) => Err(ReadError::Io { op, source }),
                    Err(err) => Err(lost(op, err)),
                }
            }
        };
        match read {
            Ok(done) => outcome += done,
            Err(err) => return Tally::ended(outcome, Some(err)),
        }
    }
    Tally::ended(outcome, None)
}

/// Read `op`, whose job the blocking pool lost (it panicked).
fn lost(op: u64, err: BackendError) -> ReadError {
    ReadError::Io {
        op,
        source: std::io::Error::other(err.to_string()),
    }
}

/// One worker of a write shape: its handle on the new file opened, then writes (each
/// synced, a log's) through the runtime's file API until none are left; the worker whose
/// write is the last syncs the file.
async fn write<R: AsyncRuntime>(shared: Shared) -> Tally {
    let opened = R::open_file_write(shared.path(0)).await;
    let mut block = Vec::with_capacity(shared.spec.block_bytes as usize);
    shared.gate.arrive_async().await;
    let mut file = match opened {
        Ok(file) => file,
        Err(source) => return Tally::unopened(source),
    };
    let mut outcome = Outcome::ZERO;
    while let Some(op) = shared.next_op() {
        let start = Instant::now();
        shared.fill(op, &mut block);
        if let Err(source) = R::write_file_at(&mut file, shared.spec.offset(op), &block).await {
            return Tally::ended(outcome, Some(ReadError::Write { op, source }));
        }
        if shared.syncs_each()
            && let Err(source) = R::sync_file(&mut file).await
        {
            return Tally::ended(outcome, Some(ReadError::Sync { op, source }));
        }
        let (done, last) = shared.wrote(op, start);
        if last && let Err(source) = R::sync_file(&mut file).await {
            return Tally::ended(outcome, Some(ReadError::Sync { op, source }));
        }
        outcome += done;
    }
    Tally::ended(outcome, None)
}

/// One worker of a write shape's `std-fs-on-pool` variant: `std::fs` (a positioned write,
/// and its `fdatasync` where the shape syncs each) handed to the runtime's blocking pool one
/// write at a time, on a handle opened before the clock.
async fn write_on_pool<R: AsyncRuntime>(shared: Shared, runtime: R) -> Tally {
    let opened = File::options()
        .write(true)
        .open(shared.path(0))
        .map(Arc::new);
    let mut block = Vec::with_capacity(shared.spec.block_bytes as usize);
    shared.gate.arrive_async().await;
    let file = match opened {
        Ok(file) => file,
        Err(source) => return Tally::unopened(source),
    };
    let mut outcome = Outcome::ZERO;
    while let Some(op) = shared.next_op() {
        let start = Instant::now();
        shared.fill(op, &mut block);
        let (handle, offset, each) = (file.clone(), shared.spec.offset(op), shared.syncs_each());
        let buffer = std::mem::take(&mut block);
        let written = runtime.unblock(move || {
            let written = kernel::write_at(op, &handle, offset, &buffer, each);
            (written, buffer)
        });
        match written.await {
            Ok((Ok(()), buffer)) => block = buffer,
            Ok((Err(err), _)) => return Tally::ended(outcome, Some(err)),
            Err(err) => return Tally::ended(outcome, Some(lost(op, err))),
        }
        let (done, last) = shared.wrote(op, start);
        if last {
            let handle = file.clone();
            match runtime
                .unblock(move || kernel::sync_after(op, &handle))
                .await
            {
                Ok(Ok(())) => {}
                Ok(Err(err)) => return Tally::ended(outcome, Some(err)),
                Err(err) => return Tally::ended(outcome, Some(lost(op, err))),
            }
        }
        outcome += done;
    }
    Tally::ended(outcome, None)
}
