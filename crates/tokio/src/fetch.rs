//! The fetch workload on tokio: one task per request, a `Semaphore` bounding how many are
//! in flight (the semaphore-bounded gather), and a shared pool of keep-alive
//! `tokio::net::TcpStream`s.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use shootout_core::http::{Response, ResponseReader};
use shootout_core::{BackendError, Failure, FetchOutcome, FetchSpec, Target};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// A keep-alive connection with its reader state and read buffer.
struct Connection {
    stream: TcpStream,
    reader: ResponseReader,
    buffer: Vec<u8>,
}

/// Idle keep-alive connections, shared by every request task.
type Pool = Arc<Mutex<Vec<Connection>>>;

/// Runs every request of `spec` against `target`; must be called inside the runtime.
pub async fn fetch(spec: &FetchSpec, target: &Target) -> Result<FetchOutcome, BackendError> {
    let limit = Arc::new(Semaphore::new(spec.concurrency as usize));
    let pool: Pool = Arc::default();
    let timeout = spec.timeout();
    let mut set = JoinSet::new();
    for id in 0..spec.requests {
        let (limit, pool) = (limit.clone(), pool.clone());
        let (request, addr) = (target.request(spec, id), target.addr);
        set.spawn(async move {
            let _permit = limit
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            let start = Instant::now();
            let result = tokio::time::timeout(timeout, exchange(&pool, addr, &request))
                .await
                .unwrap_or(Err(Failure::Timeout));
            (result, start.elapsed())
        });
    }
    let check = spec.check();
    let mut tally = FetchOutcome::default();
    while let Some(joined) = set.join_next().await {
        let (result, latency): (Result<Response, Failure>, Duration) =
            joined.map_err(|err| BackendError::Task(err.to_string()))?;
        tally.record(result, latency, &check);
    }
    Ok(tally)
}

/// One request on a pooled (or new) connection; the connection goes back to the pool
/// only after a complete keep-alive response.
async fn exchange(
    pool: &Pool,
    addr: std::net::SocketAddr,
    request: &[u8],
) -> Result<Response, Failure> {
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
