//! `files` on thread-per-core runtimes (monoio, compio, glommio): the workers shared out to
//! the runtimes as local tasks, each opening its own file before the clock, then taking the
//! next read until none are left, each read submitted to its runtime's ring.

use std::time::Instant;

use super::kernel::ReadError;
use super::tally::{FilesOutcome, Tally};
use super::workers::Shared;
use super::{FileIo, FileSet, FilesSpec, Shape};
use crate::backend::BackendError;
use crate::cores::{Local, LocalRuntime, PerCore, share};
use crate::driver;
use crate::outcome::Outcome;

/// Runs `spec` on `set`.
pub fn on_cores<R: LocalRuntime, C: PerCore>(
    cores: &C,
    spec: &FilesSpec,
    set: &FileSet,
) -> Result<FilesOutcome, BackendError> {
    let (count, slots) = (cores.count(), spec.concurrency.min(spec.ops));
    let shared = Shared::new(spec, set, slots as usize);
    let log = shared.log.clone();
    let parts = cores.scatter(move |i| {
        driver::started();
        let shared = shared.clone();
        Box::pin(async move {
            let workers: Vec<_> = share(slots, i, count)
                .map(|_| R::spawn(worker::<R>(shared.clone())))
                .collect();
            let mut tally = Vec::with_capacity(workers.len());
            for worker in workers {
                tally.push(worker.await);
            }
            tally.into_iter().sum::<Tally>()
        }) as Local<Tally>
    })?;
    parts.into_iter().sum::<Tally>().with_log(log)
}

/// One worker, of the cell's shape.
async fn worker<R: LocalRuntime>(shared: Shared) -> Tally {
    match shared.spec.shape.writes() {
        true => write::<R>(shared).await,
        false => work::<R>(shared).await,
    }
}

/// One worker: its file open (random reads), it waits for the others, then reads until
/// none are left; its file closed the runtime's way.
async fn work<R: LocalRuntime>(shared: Shared) -> Tally {
    let direct = shared.spec.io == FileIo::Direct;
    let opened = match (shared.spec.shape, direct) {
        (Shape::RandomRead, false) => Some(R::open_file(shared.path(0)).await),
        (Shape::RandomRead, true) => Some(R::open_file_direct(shared.path(0)).await),
        _ => None,
    };
    let len = shared.spec.block_bytes as usize;
    let mut buffer = Vec::with_capacity(len);
    shared.gate.arrive_async().await;
    let file = match opened.transpose() {
        Ok(file) => file,
        Err(source) => return Tally::ended(Outcome::ZERO, Some(ReadError::Io { op: 0, source })),
    };
    let mut outcome = Outcome::ZERO;
    let mut failed = None;
    while let Some(op) = shared.next_op() {
        let start = Instant::now();
        let read = match &file {
            None if direct => match R::read_file_direct(shared.path(op)).await {
                Ok(bytes) => shared.checked(op, &bytes, start),
                Err(source) => Err(ReadError::Io { op, source }),
            },
            None => match R::read_file(shared.path(op)).await {
                Ok(bytes) => shared.checked(op, &bytes, start),
                Err(source) => Err(ReadError::Io { op, source }),
            },
            Some(file) => {
                let offset = shared.spec.offset(op);
                match R::read_file_at(file, offset, len, std::mem::take(&mut buffer)).await {
                    Ok(block) => {
                        let checked = shared.checked(op, &block, start);
                        buffer = R::recycle(block);
                        checked
                    }
                    Err(source) => Err(ReadError::Io { op, source }),
                }
            }
        };
        match read {
            Ok(done) => outcome += done,
            Err(err) => {
                failed = Some(err);
                break;
            }
        }
    }
    if let Some(file) = file {
        let _ = R::close_file(file).await;
    }
    Tally::ended(outcome, failed)
}

/// One worker of a write shape: its handle on the new file opened, then writes (each
/// synced, a log's) through the ring until none are left; the worker whose write is the
/// last syncs the file; its file closed the runtime's way.
async fn write<R: LocalRuntime>(shared: Shared) -> Tally {
    let opened = R::open_file_write(shared.path(0)).await;
    let mut block = Vec::with_capacity(shared.spec.block_bytes as usize);
    shared.gate.arrive_async().await;
    let file = match opened {
        Ok(file) => file,
        Err(source) => return Tally::unopened(source),
    };
    let (mut outcome, mut failed) = (Outcome::ZERO, None);
    while let Some(op) = shared.next_op() {
        let start = Instant::now();
        shared.fill(op, &mut block);
        match R::write_file_at(&file, shared.spec.offset(op), std::mem::take(&mut block)).await {
            Ok(buffer) => block = buffer,
            Err(source) => {
                failed = Some(ReadError::Write { op, source });
                break;
            }
        }
        if shared.syncs_each()
            && let Err(source) = R::sync_file(&file).await
        {
            failed = Some(ReadError::Sync { op, source });
            break;
        }
        let (done, last) = shared.wrote(op, start);
        if last && let Err(source) = R::sync_file(&file).await {
            failed = Some(ReadError::Sync { op, source });
            break;
        }
        outcome += done;
    }
    let _ = R::close_file(file).await;
    Tally::ended(outcome, failed)
}
