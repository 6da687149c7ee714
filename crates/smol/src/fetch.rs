//! The fetch workload on smol: one executor task per request, an `async_lock::Semaphore`
//! bounding how many are in flight, and a shared pool of keep-alive `smol::net`
//! connections. Timeouts race the exchange against an async-io `Timer`.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use shootout_core::exchange::{AsyncConnection, ConnectionPool};
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
    let tasks: Vec<_> = (0..spec.requests)
        .map(|id| {
            let (limit, pool) = (limit.clone(), pool.clone());
            let (request, addr) = (target.request(spec, id), target.addr);
            let release = spec.release_at(epoch, id);
            executor.spawn(async move {
                if let Some(at) = release {
                    Timer::at(at).await;
                }
                let _permit = limit.acquire_arc().await;
                let start = Instant::now();
                let expired = async {
                    Timer::after(timeout).await;
                    Err(Failure::Timeout)
                };
                let result =
                    smol::future::or(pool.exchange(|| connect(addr), &request), expired).await;
                (result, start.elapsed())
            })
        })
        .collect();
    let check = spec.check();
    smol::block_on(async {
        let mut tally = FetchOutcome::default();
        for task in tasks {
            let (result, latency) = task.await;
            tally.record(result, latency, &check);
        }
        tally
    })
}
