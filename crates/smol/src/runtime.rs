//! smol's primitives for the drivers written once in core: `Executor::spawn`, async-io's
//! `Timer` and `smol::net::TcpStream`.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use shootout_core::BackendError;
use shootout_core::exchange::FuturesIo;
use shootout_core::runtime::AsyncRuntime;
use smol::net::TcpStream;
use smol::{Executor, Timer};

/// The shared executor the workers run.
#[derive(Clone, Debug)]
pub struct OnExecutor(pub Arc<Executor<'static>>);

/// A smol stream, as the shared exchange sees it.
pub type Stream = FuturesIo<TcpStream>;

/// Connects to `addr` with Nagle's algorithm off.
pub async fn connect(addr: SocketAddr) -> io::Result<Stream> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    Ok(FuturesIo(stream))
}

impl AsyncRuntime for OnExecutor {
    type Stream = Stream;

    fn spawn<T: Send + 'static>(
        &self,
        future: impl Future<Output = T> + Send + 'static,
    ) -> impl Future<Output = Result<T, BackendError>> + Send + 'static {
        let task = self.0.spawn(future);
        async move { Ok(task.await) }
    }

    async fn sleep_until(&self, deadline: Instant) {
        Timer::at(deadline).await;
    }

    async fn sleep(&self, duration: Duration) {
        Timer::after(duration).await;
    }

    async fn timeout<T>(
        &self,
        limit: Duration,
        future: impl Future<Output = T> + Send,
    ) -> Option<T> {
        let expired = async {
            Timer::after(limit).await;
            None
        };
        smol::future::or(async { Some(future.await) }, expired).await
    }

    fn connect(&self, addr: SocketAddr) -> impl Future<Output = io::Result<Stream>> + Send {
        connect(addr)
    }
}
