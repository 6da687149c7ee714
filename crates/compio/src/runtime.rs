//! compio's pieces for the workloads written once in `shootout-percore`: local tasks, the
//! runtime's blocking pool, its timers, its completion-based `TcpStream` (owned
//! buffers) and `compio::fs` (reads submitted to the ring).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_lock::Semaphore;
use compio::buf::{BufResult, IntoInner, IoBuf};
use compio::io::{AsyncRead, AsyncReadAtExt, AsyncWriteAtExt, AsyncWriteExt};
use compio::net::TcpStream;
use shootout_percore::LocalRuntime;

/// Offloaded jobs one runtime keeps on its blocking pool at once: one by default, so W
/// runtimes run W jobs, as every other backend's pool does; a share of the calls in flight
/// for blocking calls that wait ([`crate::Compio::with_blocking`]). A trial builds one
/// backend, so it is set once per process, before the runtimes start.
static OFFLOADED: AtomicUsize = AtomicUsize::new(1);

/// Sets the offloaded jobs each runtime keeps at once.
pub(crate) fn set_offloaded(jobs: usize) {
    OFFLOADED.store(jobs.max(1), Ordering::Relaxed);
}

/// Offloaded jobs one runtime keeps on its blocking pool at once.
pub fn offloaded() -> usize {
    OFFLOADED.load(Ordering::Relaxed)
}

/// Threads in each runtime's blocking pool: one per offloaded job, one spare so an
/// operation compio itself sends to its pool never waits behind a CPU job.
pub fn pool_threads() -> usize {
    offloaded() + 1
}

thread_local! {
    /// This runtime's turns on its blocking pool. compio's driver waits for a free pool
    /// thread by spinning its event loop (`yield_now` in `push_blocking`), which would stall
    /// every task on this runtime; a job waits for its turn here instead, as a task.
    static TURNS: Rc<Semaphore> = Rc::new(Semaphore::new(offloaded()));
}

/// The compio runtime of the current thread.
#[derive(Clone, Copy, Debug)]
pub struct Current;

impl LocalRuntime for Current {
    type Stream = TcpStream;

    fn spawn<T: 'static>(
        future: impl Future<Output = T> + 'static,
    ) -> impl Future<Output = T> + 'static {
        let handle = compio::runtime::spawn(future);
        async move { handle.await.expect("a local task always finishes") }
    }

    fn spawn_blocking<T: Send + 'static>(
        job: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = T> + 'static {
        let turns = TURNS.with(Rc::clone);
        // A task, so the job is queued now, as `spawn_blocking` queues it on other runtimes.
        Self::spawn(async move {
            let _turn = turns.acquire().await;
            compio::runtime::spawn_blocking(job)
                .await
                .expect("a blocking job always answers")
        })
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> {
        compio::time::sleep(duration)
    }

    async fn timeout<T>(limit: Duration, future: impl Future<Output = T>) -> Option<T> {
        compio::time::timeout(limit, future).await.ok()
    }

    async fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    async fn write_all(stream: &mut TcpStream, bytes: Vec<u8>) -> io::Result<()> {
        stream.write_all(bytes).await.0
    }

    async fn read(stream: &mut TcpStream, mut buffer: Vec<u8>) -> (io::Result<usize>, Vec<u8>) {
        buffer.clear();
        let compio::BufResult(read, buffer) = stream.read(buffer).await;
        (read, buffer)
    }

    type File = compio::fs::File;
    type Block = Vec<u8>;

    async fn read_file(path: PathBuf) -> io::Result<Vec<u8>> {
        compio::fs::read(path).await
    }

    async fn open_file(path: PathBuf) -> io::Result<compio::fs::File> {
        compio::fs::File::open(path).await
    }

    async fn read_file_at(
        file: &compio::fs::File,
        offset: u64,
        len: usize,
        mut buffer: Vec<u8>,
    ) -> io::Result<Vec<u8>> {
        buffer.clear();
        buffer.reserve(len);
        // A slice of exactly `len`: compio reads until the buffer's capacity is full.
        let BufResult(read, filled) = file.read_exact_at(buffer.slice(0..len), offset).await;
        read.map(|()| filled.into_inner())
    }

    fn recycle(block: Vec<u8>) -> Vec<u8> {
        block
    }

    async fn close_file(file: compio::fs::File) -> io::Result<()> {
        file.close().await
    }

    async fn open_file_write(path: PathBuf) -> io::Result<compio::fs::File> {
        compio::fs::OpenOptions::new().write(true).open(path).await
    }

    async fn write_file_at(
        file: &compio::fs::File,
        offset: u64,
        bytes: Vec<u8>,
    ) -> io::Result<Vec<u8>> {
        let mut file = file;
        let BufResult(written, bytes) = file.write_all_at(bytes, offset).await;
        written.map(|()| bytes)
    }

    async fn sync_file(file: &compio::fs::File) -> io::Result<()> {
        file.sync_data().await
    }
}
