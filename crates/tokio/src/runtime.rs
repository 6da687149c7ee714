//! Tokio's primitives for the workloads written once over them: `tokio::spawn`, `JoinSet`
//! (its task-group idiom), its timer wheel, `tokio::net::TcpStream` and `tokio::fs` (each
//! file operation a job on its blocking pool, as its docs say).

use std::future::Future;
use std::io;
use std::io::SeekFrom;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use shootout_core::BackendError;
use shootout_core::exchange::AsyncConnection;
use shootout_core::executor::OwnChannel;
use shootout_core::runtime::{AsyncRuntime, TaskGroup};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{Mutex, mpsc};
use tokio::task::{JoinError, JoinSet};

/// The runtime the current task runs on (tokio finds it from the task's context).
#[derive(Clone, Copy, Debug, Default)]
pub struct Current;

/// A tokio stream, as the shared exchange sees it.
pub struct Stream(TcpStream);

/// A panicked or cancelled task, as the run's error.
pub fn task_error(err: JoinError) -> BackendError {
    BackendError::Task(err.to_string())
}

impl AsyncConnection for Stream {
    fn write_all<'a>(
        &'a mut self,
        bytes: &'a [u8],
    ) -> impl Future<Output = io::Result<()>> + Send + 'a {
        self.0.write_all(bytes)
    }

    fn read<'a>(
        &'a mut self,
        buffer: &'a mut [u8],
    ) -> impl Future<Output = io::Result<usize>> + Send + 'a {
        self.0.read(buffer)
    }
}

impl AsyncRuntime for Current {
    type Stream = Stream;
    type Group<T: Send + 'static> = Group<T>;

    fn spawn<T: Send + 'static>(
        &self,
        future: impl Future<Output = T> + Send + 'static,
    ) -> impl Future<Output = Result<T, BackendError>> + Send + 'static {
        let handle = tokio::spawn(future);
        async move { handle.await.map_err(task_error) }
    }

    fn spawn_detached(&self, future: impl Future<Output = ()> + Send + 'static) {
        drop(tokio::spawn(future));
    }

    fn unblock<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, BackendError>> + Send + 'static {
        let handle = tokio::task::spawn_blocking(job);
        async move { handle.await.map_err(task_error) }
    }

    fn group<T: Send + 'static>(&self, _capacity: usize) -> Group<T> {
        Group(JoinSet::new())
    }

    fn block_in_place<T>(job: impl FnOnce() -> T) -> T {
        tokio::task::block_in_place(job)
    }

    fn sleep_until(deadline: Instant) -> impl Future<Output = ()> + Send + 'static {
        tokio::time::sleep_until(deadline.into())
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        tokio::time::sleep(duration)
    }

    async fn timeout<T>(limit: Duration, future: impl Future<Output = T> + Send) -> Option<T> {
        tokio::time::timeout(limit, future).await.ok()
    }

    async fn connect(addr: SocketAddr) -> io::Result<Stream> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Stream(stream))
    }

    type File = tokio::fs::File;

    fn read_file(path: PathBuf) -> impl Future<Output = io::Result<Vec<u8>>> + Send {
        tokio::fs::read(path)
    }

    fn open_file(path: PathBuf) -> impl Future<Output = io::Result<tokio::fs::File>> + Send {
        tokio::fs::File::open(path)
    }

    async fn read_file_at(
        file: &mut tokio::fs::File,
        offset: u64,
        buffer: &mut [u8],
    ) -> io::Result<()> {
        file.seek(SeekFrom::Start(offset)).await?;
        file.read_exact(buffer).await.map(drop)
    }

    async fn open_file_write(path: PathBuf) -> io::Result<tokio::fs::File> {
        tokio::fs::OpenOptions::new().write(true).open(path).await
    }

    // tokio's file hands a write to its pool and returns at once; the flush waits for it.
    async fn write_file_at(
        file: &mut tokio::fs::File,
        offset: u64,
        bytes: &[u8],
    ) -> io::Result<()> {
        file.seek(SeekFrom::Start(offset)).await?;
        file.write_all(bytes).await?;
        file.flush().await
    }

    async fn sync_file(file: &mut tokio::fs::File) -> io::Result<()> {
        file.sync_data().await
    }
}

/// Tokio's task group: a `JoinSet`, joined with `join_next` until empty.
pub struct Group<T>(pub JoinSet<T>);

impl<T: Send + 'static> TaskGroup<T> for Group<T> {
    fn spawn(&mut self, future: impl Future<Output = T> + Send + 'static) {
        self.0.spawn(future);
    }

    fn spawn_blocking(&mut self, job: impl FnOnce() -> T + Send + 'static) {
        self.0.spawn_blocking(job);
    }

    async fn join(mut self, mut each: impl FnMut(T) + Send) -> Result<(), BackendError> {
        while let Some(joined) = self.0.join_next().await {
            each(joined.map_err(task_error)?);
        }
        Ok(())
    }
}

/// Tokio's own channel: `mpsc` has one receiver, so the consumers share it behind a
/// `tokio::sync::Mutex` held across `recv().await` (one receives at a time).
pub struct Mpsc;

impl OwnChannel for Mpsc {
    type Sender = mpsc::Sender<u64>;
    type Receiver = Arc<Mutex<mpsc::Receiver<u64>>>;

    fn bounded(capacity: usize) -> (Self::Sender, Self::Receiver) {
        let (sender, receiver) = mpsc::channel(capacity);
        (sender, Arc::new(Mutex::new(receiver)))
    }

    async fn send(sender: &Self::Sender, value: u64) {
        let _ = sender.send(value).await;
    }

    async fn recv(receiver: &Self::Receiver) -> Option<u64> {
        receiver.lock().await.recv().await
    }
}
