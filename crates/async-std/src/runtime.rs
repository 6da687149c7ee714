//! async-std's primitives for the drivers written once in core: `task::spawn` on the
//! global runtime, `task::sleep`, `future::timeout` and `async_std::net::TcpStream`.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use async_std::net::TcpStream;
use async_std::task;
use shootout_core::BackendError;
use shootout_core::exchange::FuturesIo;
use shootout_core::runtime::AsyncRuntime;

/// async-std's process-global runtime.
#[derive(Clone, Copy, Debug, Default)]
pub struct Global;

/// An async-std stream, as the shared exchange sees it.
pub type Stream = FuturesIo<TcpStream>;

/// Connects to `addr` with Nagle's algorithm off.
pub async fn connect(addr: SocketAddr) -> io::Result<Stream> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    Ok(FuturesIo(stream))
}

impl AsyncRuntime for Global {
    type Stream = Stream;

    fn spawn<T: Send + 'static>(
        &self,
        future: impl Future<Output = T> + Send + 'static,
    ) -> impl Future<Output = Result<T, BackendError>> + Send + 'static {
        let handle = task::spawn(future);
        async move { Ok(handle.await) }
    }

    async fn sleep_until(&self, deadline: Instant) {
        // async-std has no sleep-until: sleep for the time left.
        task::sleep(deadline.saturating_duration_since(Instant::now())).await;
    }

    async fn sleep(&self, duration: Duration) {
        task::sleep(duration).await;
    }

    async fn timeout<T>(
        &self,
        limit: Duration,
        future: impl Future<Output = T> + Send,
    ) -> Option<T> {
        async_std::future::timeout(limit, future).await.ok()
    }

    fn connect(&self, addr: SocketAddr) -> impl Future<Output = io::Result<Stream>> + Send {
        connect(addr)
    }
}
