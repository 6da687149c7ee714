//! What a thread-per-core runtime provides to the workloads written once here: local
//! tasks, a blocking pool, its timers and its own completion-based TCP stream (owned
//! buffers). Each io_uring backend implements it in a few lines with its own primitives.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

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
}
