//! Tokio's primitives for the drivers written once in core: `tokio::spawn`, its timer
//! wheel and `tokio::net::TcpStream`.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use shootout_core::BackendError;
use shootout_core::exchange::AsyncConnection;
use shootout_core::runtime::AsyncRuntime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The runtime the current task runs on (tokio finds it from the task's context).
#[derive(Clone, Copy, Debug, Default)]
pub struct Current;

/// A tokio stream, as the shared exchange sees it.
pub struct Stream(TcpStream);

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

/// Connects to `addr` with Nagle's algorithm off.
pub async fn connect(addr: SocketAddr) -> io::Result<Stream> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    Ok(Stream(stream))
}

impl AsyncRuntime for Current {
    type Stream = Stream;

    fn spawn<T: Send + 'static>(
        &self,
        future: impl Future<Output = T> + Send + 'static,
    ) -> impl Future<Output = Result<T, BackendError>> + Send + 'static {
        let handle = tokio::spawn(future);
        async move {
            handle
                .await
                .map_err(|err| BackendError::Task(err.to_string()))
        }
    }

    fn sleep_until(&self, deadline: Instant) -> impl Future<Output = ()> + Send {
        tokio::time::sleep_until(deadline.into())
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(duration)
    }

    async fn timeout<T>(
        &self,
        limit: Duration,
        future: impl Future<Output = T> + Send,
    ) -> Option<T> {
        tokio::time::timeout(limit, future).await.ok()
    }

    fn connect(&self, addr: SocketAddr) -> impl Future<Output = io::Result<Stream>> + Send {
        connect(addr)
    }
}
