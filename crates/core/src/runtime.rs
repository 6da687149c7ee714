//! What an async runtime provides to the drivers written once in core: spawning a task,
//! its timers and its TCP connect. Each async backend implements it in a few lines with
//! its own primitives; the shared drivers (the fetch [`crate::workers`] client) do the rest.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::backend::BackendError;
use crate::exchange::AsyncConnection;

/// An async runtime's own task, timer and TCP primitives.
pub trait AsyncRuntime: Clone + Send + Sync + 'static {
    /// Its TCP stream, as the shared keep-alive exchange sees it.
    type Stream: AsyncConnection + 'static;

    /// Spawns `future` as a task on the runtime; the returned future awaits its result
    /// (a panicked or cancelled task is an error).
    fn spawn<T: Send + 'static>(
        &self,
        future: impl Future<Output = T> + Send + 'static,
    ) -> impl Future<Output = Result<T, BackendError>> + Send + 'static;

    /// Waits on the runtime's timer until `deadline`.
    fn sleep_until(&self, deadline: Instant) -> impl Future<Output = ()> + Send;

    /// Waits on the runtime's timer for `duration`.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;

    /// Runs `future` for at most `limit`; `None` when the timer fired first.
    fn timeout<T>(
        &self,
        limit: Duration,
        future: impl Future<Output = T> + Send,
    ) -> impl Future<Output = Option<T>> + Send;

    /// Opens a TCP connection to `addr` with Nagle's algorithm off.
    fn connect(&self, addr: SocketAddr) -> impl Future<Output = io::Result<Self::Stream>> + Send;
}
