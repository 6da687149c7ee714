//! The fetch workload on smol: one executor task per request, an `async_lock::Semaphore`
//! bounding how many are in flight, and a shared pool of keep-alive `smol::net`
//! connections. Timeouts race the exchange against an async-io `Timer`.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use shootout_core::exchange::{AsyncConnection, ConnectionPool, with_retries};
use shootout_core::{Failure, FetchOutcome, FetchSpec, Target};
use smol::io::{AsyncReadExt, AsyncWriteExt};
use smol::lock::Semaphore;
use smol::net::TcpStream;
use smol::{Executor, Timer};

/// A smol stream, as the shared exchange sees it.
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

/// Runs every request of `spec` against `target` on `executor`.
pub fn fetch(executor: &Executor<'static>, spec: &FetchSpec, target: &Target) -> FetchOutcome {
    let limit = Arc::new(Semaphore::new(spec.concurrency as usize));
    let pool = Arc::new(ConnectionPool::default());
    let timeout = spec.timeout();
    let epoch = Instant::now();
    let shared = Arc::new((spec.clone(), target.clone()));
    let tasks: Vec<_> = (0..spec.requests)
        .map(|id| {
            let (limit, pool, shared) = (limit.clone(), pool.clone(), shared.clone());
            let release = spec.release_at(epoch, id);
            executor.spawn(async move {
                if let Some(at) = release {
                    Timer::at(at).await;
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
                        let expired = async {
                            Timer::after(timeout).await;
                            Err(Failure::Timeout)
                        };
                        smol::future::or(pool.exchange(|| connect(addr), &request), expired).await
                    }
                };
                let sleep = |pause| async move {
                    Timer::after(pause).await;
                };
                let (result, attempts) = with_retries(spec, id, attempt, sleep).await;
                (result, start.elapsed(), attempts)
            })
        })
        .collect();
    let check = spec.check();
    smol::block_on(async {
        let mut tally = FetchOutcome::default();
        for task in tasks {
            let (result, latency, attempts) = task.await;
            tally.record_final(result, latency, attempts, &check);
        }
        tally
    })
}
