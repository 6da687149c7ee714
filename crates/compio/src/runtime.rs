//! compio's pieces for the workloads written once in `shootout-percore`: local tasks, the
//! runtime's blocking pool, its timers and its completion-based `TcpStream` (owned
//! buffers).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use compio::io::{AsyncRead, AsyncWriteExt};
use compio::net::TcpStream;
use shootout_percore::LocalRuntime;

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
        let handle = compio::runtime::spawn_blocking(job);
        async move { handle.await.expect("a blocking job always answers") }
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
}
