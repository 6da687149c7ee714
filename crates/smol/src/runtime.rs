//! smol's primitives for the workloads written once over them: `Executor::spawn`, a
//! `Vec<Task>` awaited in order (its task-group idiom), async-io's `Timer` and
//! `smol::net::TcpStream` and `smol::fs` (async-fs: each file operation a job on the
//! `blocking` crate's thread pool, as its docs say).

use std::future::Future;
use std::io;
use std::io::SeekFrom;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use shootout_core::BackendError;
use shootout_core::exchange::FuturesIo;
use shootout_core::runtime::{AsyncRuntime, TaskGroup};
use smol::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use smol::net::TcpStream;
use smol::{Executor, Task, Timer};

/// The shared executor the workers run.
#[derive(Clone, Debug)]
pub struct OnExecutor(pub Arc<Executor<'static>>);

/// A smol stream, as the shared exchange sees it.
pub type Stream = FuturesIo<TcpStream>;

impl AsyncRuntime for OnExecutor {
    type Stream = Stream;
    type Group<T: Send + 'static> = Group<T>;

    fn spawn<T: Send + 'static>(
        &self,
        future: impl Future<Output = T> + Send + 'static,
    ) -> impl Future<Output = Result<T, BackendError>> + Send + 'static {
        let task = self.0.spawn(future);
        async move { Ok(task.await) }
    }

    fn spawn_detached(&self, future: impl Future<Output = ()> + Send + 'static) {
        self.0.spawn(future).detach();
    }

    fn unblock<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, BackendError>> + Send + 'static {
        let task = smol::unblock(job);
        async move { Ok(task.await) }
    }

    fn group<T: Send + 'static>(&self, capacity: usize) -> Group<T> {
        Group {
            executor: self.0.clone(),
            tasks: Vec::with_capacity(capacity),
        }
    }

    fn sleep_until(deadline: Instant) -> impl Future<Output = ()> + Send + 'static {
        Fired(Timer::at(deadline))
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        Fired(Timer::after(duration))
    }

    async fn timeout<T>(limit: Duration, future: impl Future<Output = T> + Send) -> Option<T> {
        let expired = async {
            Timer::after(limit).await;
            None
        };
        smol::future::or(async { Some(future.await) }, expired).await
    }

    async fn connect(addr: SocketAddr) -> io::Result<Stream> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(FuturesIo(stream))
    }

    type File = smol::fs::File;

    fn read_file(path: PathBuf) -> impl Future<Output = io::Result<Vec<u8>>> + Send {
        smol::fs::read(path)
    }

    fn open_file(path: PathBuf) -> impl Future<Output = io::Result<smol::fs::File>> + Send {
        smol::fs::File::open(path)
    }

    async fn read_file_at(
        file: &mut smol::fs::File,
        offset: u64,
        buffer: &mut [u8],
    ) -> io::Result<()> {
        file.seek(SeekFrom::Start(offset)).await?;
        file.read_exact(buffer).await
    }

    async fn open_file_write(path: PathBuf) -> io::Result<smol::fs::File> {
        smol::fs::OpenOptions::new().write(true).open(path).await
    }

    // async-fs buffers a write to hand it to its pool; the flush waits for it.
    async fn write_file_at(file: &mut smol::fs::File, offset: u64, bytes: &[u8]) -> io::Result<()> {
        file.seek(SeekFrom::Start(offset)).await?;
        file.write_all(bytes).await?;
        file.flush().await
    }

    async fn sync_file(file: &mut smol::fs::File) -> io::Result<()> {
        file.sync_data().await
    }
}

/// A smol `Timer` awaited for its firing alone: the timer itself is the future, so a
/// sleeping task holds nothing else (an `async` wrapper would keep the duration beside it,
/// 16 bytes more per sleeping task).
struct Fired(Timer);

impl Future for Fired {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.0).poll(cx).map(drop)
    }
}

/// smol's task group: executor tasks in a `Vec`, awaited in order.
pub struct Group<T> {
    executor: Arc<Executor<'static>>,
    tasks: Vec<Task<T>>,
}

impl<T: Send + 'static> TaskGroup<T> for Group<T> {
    fn spawn(&mut self, future: impl Future<Output = T> + Send + 'static) {
        self.tasks.push(self.executor.spawn(future));
    }

    fn spawn_blocking(&mut self, job: impl FnOnce() -> T + Send + 'static) {
        self.tasks.push(smol::unblock(job));
    }

    async fn join(self, mut each: impl FnMut(T) + Send) -> Result<(), BackendError> {
        for task in self.tasks {
            each(task.await);
        }
        Ok(())
    }
}
