//! The fetch workload on tokio: one task per request, a `Semaphore` bounding how many are
//! in flight (the semaphore-bounded gather), and a shared pool of keep-alive
//! `tokio::net::TcpStream`s.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use shootout_core::exchange::{AsyncConnection, ConnectionPool, with_retries};
use shootout_core::{BackendError, Failure, FetchOutcome, FetchSpec, Target};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// A tokio stream, as the shared exchange sees it.
struct Stream(TcpStream);

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

async fn connect(addr: SocketAddr) -> io::Result<Stream> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    Ok(Stream(stream))
}

/// Runs every request of `spec` against `target`; must be called inside the runtime.
pub async fn fetch(spec: &FetchSpec, target: &Target) -> Result<FetchOutcome, BackendError> {
    let limit = Arc::new(Semaphore::new(spec.concurrency as usize));
    let pool = Arc::new(ConnectionPool::default());
    let timeout = spec.timeout();
    let epoch = Instant::now();
    let shared = Arc::new((spec.clone(), target.clone()));
    let mut set = JoinSet::new();
    for id in 0..spec.requests {
        let (limit, pool, shared) = (limit.clone(), pool.clone(), shared.clone());
        let release = spec.release_at(epoch, id);
        set.spawn(async move {
            if let Some(at) = release {
                tokio::time::sleep_until(at.into()).await;
            }
            let _permit = limit
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            let (spec, target) = &*shared;
            let start = Instant::now();
            let attempt = |attempt| {
                let (request, addr, pool) = (
                    target.request_attempt(spec, id, attempt),
                    target.addr,
                    pool.clone(),
                );
                async move {
                    tokio::time::timeout(timeout, pool.exchange(|| connect(addr), &request))
                        .await
                        .unwrap_or(Err(Failure::Timeout))
                }
            };
            let (result, attempts) = with_retries(spec, id, attempt, tokio::time::sleep).await;
            (result, start.elapsed(), attempts)
        });
    }
    let check = spec.check();
    let mut tally = FetchOutcome::default();
    while let Some(joined) = set.join_next().await {
        let (result, latency, attempts) =
            joined.map_err(|err| BackendError::Task(err.to_string()))?;
        tally.record_final(result, latency, attempts, &check);
    }
    Ok(tally)
}
