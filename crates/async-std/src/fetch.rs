//! The fetch workload on async-std: one spawned task per request, an
//! `async_lock::Semaphore` bounding how many are in flight, and a shared pool of
//! keep-alive `async_std::net` connections; `async_std::future::timeout` per request.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use async_lock::Semaphore;
use async_std::net::TcpStream;
use async_std::prelude::*;
use async_std::task;
use shootout_core::exchange::{AsyncConnection, ConnectionPool, with_retries};
use shootout_core::{Failure, FetchOutcome, FetchSpec, Target};

/// An async-std stream, as the shared exchange sees it.
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

/// Runs every request of `spec` against `target` on the global runtime.
pub fn fetch(spec: &FetchSpec, target: &Target) -> FetchOutcome {
    let limit = Arc::new(Semaphore::new(spec.concurrency as usize));
    let pool = Arc::new(ConnectionPool::default());
    let timeout = spec.timeout();
    let epoch = Instant::now();
    let shared = Arc::new((spec.clone(), target.clone()));
    let handles: Vec<_> = (0..spec.requests)
        .map(|id| {
            let (limit, pool, shared) = (limit.clone(), pool.clone(), shared.clone());
            let release = spec.release_at(epoch, id);
            task::spawn(async move {
                if let Some(at) = release {
                    task::sleep(at.saturating_duration_since(Instant::now())).await;
                }
                let _permit = limit.acquire_arc().await;
                let (spec, target) = &*shared;
                let start = Instant::now();
                let attempt = |attempt| {
                    let (request, addr, pool) = (
                        target.request_attempt(spec, id, attempt),
                        target.addr,
                        pool.clone(),
                    );
                    async move {
                        async_std::future::timeout(
                            timeout,
                            pool.exchange(|| connect(addr), &request),
                        )
                        .await
                        .unwrap_or(Err(Failure::Timeout))
                    }
                };
                let (result, attempts) = with_retries(spec, id, attempt, task::sleep).await;
                (result, start.elapsed(), attempts)
            })
        })
        .collect();
    let check = spec.check();
    task::block_on(async {
        let mut tally = FetchOutcome::default();
        for handle in handles {
            let (result, latency, attempts) = handle.await;
            tally.record_final(result, latency, attempts, &check);
        }
        tally
    })
}
