//! The fetch workload on async-std: one spawned task per request, an
//! `async_lock::Semaphore` bounding how many are in flight, and a shared pool of
//! keep-alive `async_std::net` connections; `async_std::future::timeout` per request.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_lock::Semaphore;
use async_std::net::TcpStream;
use async_std::prelude::*;
use async_std::task;
use shootout_core::http::{Response, ResponseReader};
use shootout_core::{Failure, FetchOutcome, FetchSpec, Target};

/// A keep-alive connection with its reader state and read buffer.
struct Connection {
    stream: TcpStream,
    reader: ResponseReader,
    buffer: Vec<u8>,
}

/// Idle keep-alive connections, shared by every request task.
type Pool = Arc<Mutex<Vec<Connection>>>;

/// Runs every request of `spec` against `target` on the global runtime.
pub fn fetch(spec: &FetchSpec, target: &Target) -> FetchOutcome {
    let limit = Arc::new(Semaphore::new(spec.concurrency as usize));
    let pool: Pool = Arc::default();
    let timeout = spec.timeout();
    let handles: Vec<_> = (0..spec.requests)
        .map(|id| {
            let (limit, pool) = (limit.clone(), pool.clone());
            let (request, addr) = (target.request(spec, id), target.addr);
            task::spawn(async move {
                let _permit = limit.acquire_arc().await;
                let start = Instant::now();
                let result = async_std::future::timeout(timeout, exchange(&pool, addr, &request))
                    .await
                    .unwrap_or(Err(Failure::Timeout));
                (result, start.elapsed())
            })
        })
        .collect();
    let check = spec.check();
    task::block_on(async {
        let mut tally = FetchOutcome::default();
        for handle in handles {
            let (result, latency) = handle.await;
            tally.record(result, latency, &check);
        }
        tally
    })
}

/// One request on a pooled (or new) connection; the connection goes back to the pool
/// only after a complete keep-alive response.
async fn exchange(pool: &Pool, addr: SocketAddr, request: &[u8]) -> Result<Response, Failure> {
    let idle = pool.lock().expect("pool lock").pop();
    let mut connection = match idle {
        Some(connection) => connection,
        None => {
            let stream = TcpStream::connect(addr)
                .await
                .map_err(|err| Failure::from_io(&err))?;
            stream
                .set_nodelay(true)
                .map_err(|err| Failure::from_io(&err))?;
            Connection {
                stream,
                reader: ResponseReader::new(),
                buffer: vec![0; 16 * 1024],
            }
        }
    };
    let io = |err: std::io::Error| Failure::from_io(&err);
    connection.stream.write_all(request).await.map_err(io)?;
    loop {
        let read = connection
            .stream
            .read(&mut connection.buffer)
            .await
            .map_err(io)?;
        let response = if read == 0 {
            Some(connection.reader.finish())
        } else {
            connection
                .reader
                .feed(&connection.buffer[..read])
                .transpose()
        };
        if let Some(response) = response {
            let response = response.map_err(|err| Failure::from_http(&err))?;
            if response.keep_alive {
                pool.lock().expect("pool lock").push(connection);
            }
            return Ok(response);
        }
    }
}
