//! What a thread-per-core runtime (monoio, compio, glommio: W threads, each its own
//! runtime, io_uring underneath) provides to the workloads written once over it: local
//! tasks, a blocking pool, its timers, its own completion-based TCP stream (owned
//! buffers) and its file reads submitted to the ring, and how a backend splits a workload into one share per runtime. Each
//! workload's design on it is in the workload's own module (`on_cores`).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::ops::Range;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

use crate::backend::BackendError;
use crate::driver;
use crate::outcome::Outcome;
use crate::placement::BlockingMode;

/// A local (`!Send`) future: a share of a workload, run on one runtime's thread.
pub type Local<T> = Pin<Box<dyn Future<Output = T>>>;

/// A backend of W runtimes, one per thread, that takes a workload one share per runtime.
pub trait PerCore: Sync {
    /// How many runtimes (W).
    fn count(&self) -> usize;

    /// Runs `share(i)` as a local task on runtime `i`, for every runtime at once, and
    /// returns their outputs in runtime order.
    fn scatter<T, F>(&self, share: F) -> Result<Vec<T>, BackendError>
    where
        T: Send + 'static,
        F: Fn(usize) -> Local<T> + Send + Sync + Clone + 'static;
}

/// The part of `0..total` that runtime `i` of `count` takes: contiguous, the first
/// `total % count` runtimes one more.
pub fn share(total: u64, i: usize, count: usize) -> Range<u64> {
    let (count, i) = (count as u64, i as u64);
    let (base, extra) = (total / count, total % count);
    let start = i * base + i.min(extra);
    let len = base + u64::from(i < extra);
    start..start + len
}

/// Runs `make(range)` on every runtime, for its share of `0..total`, and sums.
pub fn split<C, F>(cores: &C, total: u64, make: F) -> Result<Outcome, BackendError>
where
    C: PerCore,
    F: Fn(Range<u64>) -> Local<Outcome> + Send + Sync + Clone + 'static,
{
    let count = cores.count();
    let parts = cores.scatter(move |i| {
        driver::started();
        make(share(total, i, count))
    })?;
    Ok(parts.into_iter().sum())
}

/// Runs `job` where `mode` says, on the current runtime: `inline` as a local task (it
/// holds this runtime's thread until done), `offload` on the runtime's blocking pool.
pub fn place<R: LocalRuntime, T: Send + 'static>(
    mode: BlockingMode,
    job: impl FnOnce() -> T + Send + 'static,
) -> Local<T> {
    match mode {
        BlockingMode::Offload => Box::pin(R::spawn_blocking(job)),
        _ => Box::pin(R::spawn(async move { job() })),
    }
}

/// Awaits every local task of a share, summing.
pub async fn join<T: Into<Outcome>>(handles: Vec<impl Future<Output = T>>) -> Outcome {
    let mut total = Outcome::ZERO;
    for handle in handles {
        total += handle.await.into();
    }
    total
}

/// A thread-per-core runtime's own task, timer and TCP primitives, on the current thread.
pub trait LocalRuntime: 'static {
    /// Its TCP stream.
    type Stream: 'static;

    /// Spawns `future` as a local task on this thread's runtime; the returned future is
    /// its output (a task that panicked panics the awaiting task, as a lost task must not
    /// pass for a finished one).
    fn spawn<T: 'static>(
        future: impl Future<Output = T> + 'static,
    ) -> impl Future<Output = T> + 'static;

    /// Runs `job` on the runtime's blocking pool; the returned future is its output.
    fn spawn_blocking<T: Send + 'static>(
        job: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = T> + 'static;

    /// Waits on the runtime's timer.
    fn sleep(duration: Duration) -> impl Future<Output = ()>;

    /// Runs `future` for at most `limit`; `None` when the timer fired first.
    fn timeout<T>(
        limit: Duration,
        future: impl Future<Output = T>,
    ) -> impl Future<Output = Option<T>>;

    /// Opens a TCP connection to `addr` with Nagle's algorithm off.
    fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::Stream>>;

    /// Writes every byte of `bytes`.
    fn write_all(stream: &mut Self::Stream, bytes: Vec<u8>)
    -> impl Future<Output = io::Result<()>>;

    /// Reads into `buffer` and gives it back; the bytes read are `buffer[..n]`, and what the
    /// rest holds is the runtime's business: an owned-buffer runtime clears it and lets the
    /// kernel fill its capacity, a slice-reading one keeps it at full length (zeroed once)
    /// so no read pays to re-initialize it.
    fn read(
        stream: &mut Self::Stream,
        buffer: Vec<u8>,
    ) -> impl Future<Output = (io::Result<usize>, Vec<u8>)>;

    /// Its open file (`monoio::fs::File`, `compio::fs::File`, glommio's `BufferedFile` or
    /// `DmaFile`).
    type File: 'static;

    /// What a positioned read gives back: the caller's buffer, filled (monoio, compio), or
    /// the runtime's own (glommio's `ReadResult`).
    type Block: std::ops::Deref<Target = [u8]>;

    /// Reads the file at `path` whole, the runtime's way, through its ring.
    fn read_file(path: PathBuf) -> impl Future<Output = io::Result<Vec<u8>>>;

    /// Opens the file at `path` to read.
    fn open_file(path: PathBuf) -> impl Future<Output = io::Result<Self::File>>;

    /// Reads the file at `path` whole with direct I/O (`O_DIRECT`, the page cache
    /// bypassed), where the runtime's file API offers it (it then lists
    /// [`crate::design::Variant::DirectIo`]); else an error saying it does not.
    fn read_file_direct(path: PathBuf) -> impl Future<Output = io::Result<Vec<u8>>> {
        let _ = path;
        std::future::ready(Err(no_direct_io()))
    }

    /// Opens the file at `path` to read with direct I/O, where the runtime offers it.
    fn open_file_direct(path: PathBuf) -> impl Future<Output = io::Result<Self::File>> {
        let _ = path;
        std::future::ready(Err(no_direct_io()))
    }

    /// Reads `len` bytes of `file` at `offset` into `buffer` (a runtime with buffers of
    /// its own ignores it); a read that comes back short is not an error here, its check
    /// sees it.
    fn read_file_at(
        file: &Self::File,
        offset: u64,
        len: usize,
        buffer: Vec<u8>,
    ) -> impl Future<Output = io::Result<Self::Block>>;

    /// The buffer of a block read, for the next read (empty where the runtime keeps its
    /// own).
    fn recycle(block: Self::Block) -> Vec<u8>;

    /// Closes `file`, the runtime's way (glommio prefers an explicit close to a drop).
    fn close_file(file: Self::File) -> impl Future<Output = io::Result<()>>;

    /// Opens the file at `path` (which exists) to write, through the page cache.
    fn open_file_write(path: PathBuf) -> impl Future<Output = io::Result<Self::File>>;

    /// Writes all of `bytes` to `file` at `offset` through the ring, and gives the buffer
    /// back for the next write (empty where the runtime keeps it: glommio's
    /// `BufferedFile::write_at` takes it).
    fn write_file_at(
        file: &Self::File,
        offset: u64,
        bytes: Vec<u8>,
    ) -> impl Future<Output = io::Result<Vec<u8>>>;

    /// `fdatasync`s `file` through the ring: its written bytes (and its size) on the device
    /// when it returns.
    fn sync_file(file: &Self::File) -> impl Future<Output = io::Result<()>>;
}

/// Why a runtime without direct I/O cannot open a file so.
fn no_direct_io() -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        "this runtime's file API has no direct I/O here",
    )
}
