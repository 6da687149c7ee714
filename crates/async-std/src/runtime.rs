//! async-std's primitives for the workloads written once over them: `task::spawn` on the
//! global runtime, a `Vec<JoinHandle>` awaited in order (its task-group idiom),
//! `task::sleep`, `future::timeout`, `async_std::net::TcpStream` and `async_std::fs` (each
//! file operation a job on its blocking pool, as its docs say).

use std::future::Future;
use std::io;
use std::io::SeekFrom;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use async_std::io::prelude::{ReadExt, SeekExt, WriteExt};
use async_std::net::TcpStream;
use async_std::task::{self, JoinHandle};
use shootout_core::BackendError;
use shootout_core::exchange::FuturesIo;
use shootout_core::executor::OwnChannel;
use shootout_core::runtime::{AsyncRuntime, TaskGroup};

/// async-std's process-global runtime.
#[derive(Clone, Copy, Debug, Default)]
pub struct Global;

/// An async-std stream, as the shared exchange sees it.
pub type Stream = FuturesIo<TcpStream>;

impl AsyncRuntime for Global {
    type Stream = Stream;
    type Group<T: Send + 'static> = Group<T>;

    fn spawn<T: Send + 'static>(
        &self,
        future: impl Future<Output = T> + Send + 'static,
    ) -> impl Future<Output = Result<T, BackendError>> + Send + 'static {
        let handle = task::spawn(future);
        async move { Ok(handle.await) }
    }

    fn spawn_detached(&self, future: impl Future<Output = ()> + Send + 'static) {
        // Dropping the handle detaches the task.
        drop(task::spawn(future));
    }

    fn unblock<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, BackendError>> + Send + 'static {
        let handle = task::spawn_blocking(job);
        async move { Ok(handle.await) }
    }

    fn group<T: Send + 'static>(&self, capacity: usize) -> Group<T> {
        Group(Vec::with_capacity(capacity))
    }

    async fn sleep_until(deadline: Instant) {
        // async-std has no sleep-until: sleep for the time left.
        task::sleep(deadline.saturating_duration_since(Instant::now())).await;
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        task::sleep(duration)
    }

    async fn timeout<T>(limit: Duration, future: impl Future<Output = T> + Send) -> Option<T> {
        async_std::future::timeout(limit, future).await.ok()
    }

    async fn connect(addr: SocketAddr) -> io::Result<Stream> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(FuturesIo(stream))
    }

    type File = async_std::fs::File;

    async fn read_file(path: PathBuf) -> io::Result<Vec<u8>> {
        async_std::fs::read(path).await
    }

    async fn open_file(path: PathBuf) -> io::Result<async_std::fs::File> {
        async_std::fs::File::open(path).await
    }

    async fn read_file_at(
        file: &mut async_std::fs::File,
        offset: u64,
        buffer: &mut [u8],
    ) -> io::Result<()> {
        file.seek(SeekFrom::Start(offset)).await?;
        file.read_exact(buffer).await
    }

    async fn open_file_write(path: PathBuf) -> io::Result<async_std::fs::File> {
        async_std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .await
    }

    // async-std's file buffers a write to hand it to its pool; the flush waits for it.
    async fn write_file_at(
        file: &mut async_std::fs::File,
        offset: u64,
        bytes: &[u8],
    ) -> io::Result<()> {
        file.seek(SeekFrom::Start(offset)).await?;
        file.write_all(bytes).await?;
        file.flush().await
    }

    async fn sync_file(file: &mut async_std::fs::File) -> io::Result<()> {
        file.sync_data().await
    }
}

/// async-std's task group: handles in a `Vec`, awaited in order.
pub struct Group<T>(Vec<JoinHandle<T>>);

impl<T: Send + 'static> TaskGroup<T> for Group<T> {
    fn spawn(&mut self, future: impl Future<Output = T> + Send + 'static) {
        self.0.push(task::spawn(future));
    }

    fn spawn_blocking(&mut self, job: impl FnOnce() -> T + Send + 'static) {
        self.0.push(task::spawn_blocking(job));
    }

    async fn join(self, mut each: impl FnMut(T) + Send) -> Result<(), BackendError> {
        for handle in self.0 {
            each(handle.await);
        }
        Ok(())
    }
}

/// async-std's own channel, `async_std::channel::bounded`: the async-channel 1.x that
/// async-std re-exports (the shared design uses 2.x).
pub struct Channel;

impl OwnChannel for Channel {
    type Sender = async_std::channel::Sender<u64>;
    type Receiver = async_std::channel::Receiver<u64>;

    fn bounded(capacity: usize) -> (Self::Sender, Self::Receiver) {
        async_std::channel::bounded(capacity)
    }

    async fn send(sender: &Self::Sender, value: u64) {
        let _ = sender.send(value).await;
    }

    async fn recv(receiver: &Self::Receiver) -> Option<u64> {
        receiver.recv().await.ok()
    }
}
