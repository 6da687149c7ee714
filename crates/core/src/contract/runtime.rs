//! What an async runtime provides to the drivers written once over it: spawning a task,
//! its task-group idiom, its timers, its TCP connect and its file reads. Each async backend implements it
//! in a few lines with its own primitives; the shared drivers (the fetch
//! [`crate::workers`] client, the [`crate::mpmc`] pipeline, and every workload of the
//! `shootout-executor` crate) do the rest.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::backend::BackendError;
use crate::exchange::AsyncConnection;

/// An async runtime's own task, timer and TCP primitives.
///
/// The timers are associated functions, not methods: a task that sleeps holds no handle
/// on the runtime, so a sleeping task costs what the runtime's own timer costs.
pub trait AsyncRuntime: Clone + Send + Sync + 'static {
    /// Its TCP stream, as the shared keep-alive exchange sees it.
    type Stream: AsyncConnection + 'static;

    /// Its own way to hold and join a batch of tasks (tokio's `JoinSet`, smol's
    /// `Vec<Task>`): the task-group idiom it is measured with.
    type Group<T: Send + 'static>: TaskGroup<T>;

    /// Spawns `future` as a task on the runtime; the returned future awaits its result
    /// (a panicked or cancelled task is an error).
    fn spawn<T: Send + 'static>(
        &self,
        future: impl Future<Output = T> + Send + 'static,
    ) -> impl Future<Output = Result<T, BackendError>> + Send + 'static;

    /// Spawns `future` as a task that runs to its end unwatched.
    fn spawn_detached(&self, future: impl Future<Output = ()> + Send + 'static);

    /// Runs `job` on the runtime's blocking pool (`spawn_blocking`, `unblock`); the
    /// returned future is its output (a panicked job is an error).
    fn unblock<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, BackendError>> + Send + 'static;

    /// An empty task group with room for `capacity` tasks.
    fn group<T: Send + 'static>(&self, capacity: usize) -> Self::Group<T>;

    /// Runs `job` inside a task without moving the task off its worker (tokio's
    /// `block_in_place`). Only runtimes listing `BlockingMode::BlockInPlace` are asked.
    fn block_in_place<T>(job: impl FnOnce() -> T) -> T {
        let _ = job;
        unreachable!("block-in-place is asked only of runtimes that list it")
    }

    /// Waits on the runtime's timer until `deadline`.
    fn sleep_until(deadline: Instant) -> impl Future<Output = ()> + Send + 'static;

    /// Waits on the runtime's timer for `duration`.
    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static;

    /// Runs `future` for at most `limit`; `None` when the timer fired first.
    fn timeout<T>(
        limit: Duration,
        future: impl Future<Output = T> + Send,
    ) -> impl Future<Output = Option<T>> + Send;

    /// Opens a TCP connection to `addr` with Nagle's algorithm off.
    fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::Stream>> + Send;

    /// Its open file (`tokio::fs::File`, `async_fs::File`), read by one task at a time.
    type File: Send + 'static;

    /// Reads the file at `path` whole, the runtime's way (`tokio::fs::read`,
    /// `async_fs::read`, `async_std::fs::read`: each hands the work to its blocking pool).
    fn read_file(path: PathBuf) -> impl Future<Output = io::Result<Vec<u8>>> + Send;

    /// Opens the file at `path` to read.
    fn open_file(path: PathBuf) -> impl Future<Output = io::Result<Self::File>> + Send;

    /// Fills `buffer` from `file` at `offset`, the runtime's way (a seek and a read: its
    /// file has no positioned read).
    fn read_file_at<'a>(
        file: &'a mut Self::File,
        offset: u64,
        buffer: &'a mut [u8],
    ) -> impl Future<Output = io::Result<()>> + Send + 'a;

    /// Opens the file at `path` (which exists) to write.
    fn open_file_write(path: PathBuf) -> impl Future<Output = io::Result<Self::File>> + Send;

    /// Writes all of `bytes` to `file` at `offset`, the runtime's way (a seek, a write and a
    /// flush, so the write has reached the kernel when it returns: its file has no
    /// positioned write, and buffers a write to hand it to its pool).
    fn write_file_at<'a>(
        file: &'a mut Self::File,
        offset: u64,
        bytes: &'a [u8],
    ) -> impl Future<Output = io::Result<()>> + Send + 'a;

    /// `fdatasync`s `file`, the runtime's way: its written bytes (and its size) on the
    /// device when it returns.
    fn sync_file(file: &mut Self::File) -> impl Future<Output = io::Result<()>> + Send + '_;
}

/// A batch of tasks on one runtime, joined together: the runtime's task-group idiom.
pub trait TaskGroup<T: Send + 'static>: Send + Sized {
    /// Spawns `future` as a task of the group.
    fn spawn(&mut self, future: impl Future<Output = T> + Send + 'static);

    /// Runs `job` on the runtime's blocking pool as a task of the group.
    fn spawn_blocking(&mut self, job: impl FnOnce() -> T + Send + 'static);

    /// Awaits every task, handing each output to `each` in the order the idiom joins them
    /// (completion order for a `JoinSet`, spawn order for a `Vec` of handles). A panicked
    /// task is an error.
    fn join(
        self,
        each: impl FnMut(T) + Send,
    ) -> impl Future<Output = Result<(), BackendError>> + Send;
}
