//! The keep-alive exchange the async backends share: take an idle connection or open
//! one, write the request, read until the response is complete, and put the connection
//! back only if it can carry another request. Backends supply only their runtime's
//! stream (through [`AsyncConnection`]) and decide how tasks are spawned and limited.

use std::future::Future;
use std::io;
use std::sync::Mutex;

use crate::fetch::FetchSpec;
use crate::http::{Response, ResponseReader};
use crate::tally::Failure;

/// Bytes read per `read` call.
const READ_BUFFER: usize = 16 * 1024;

/// What an async runtime's TCP stream must do for the exchange: write all, read some.
pub trait AsyncConnection: Send {
    /// Writes every byte of `bytes`.
    fn write_all<'a>(
        &'a mut self,
        bytes: &'a [u8],
    ) -> impl Future<Output = io::Result<()>> + Send + 'a;
    /// Reads some bytes into `buffer`; 0 means the peer closed.
    fn read<'a>(
        &'a mut self,
        buffer: &'a mut [u8],
    ) -> impl Future<Output = io::Result<usize>> + Send + 'a;
}

/// A stream of a runtime built on the `futures-io` traits (smol, async-std), as the
/// exchange sees it; tokio's own traits get their own few lines in its crate.
#[derive(Debug)]
pub struct FuturesIo<S>(pub S);

impl<S> AsyncConnection for FuturesIo<S>
where
    S: futures_lite::AsyncRead + futures_lite::AsyncWrite + Unpin + Send,
{
    fn write_all<'a>(
        &'a mut self,
        bytes: &'a [u8],
    ) -> impl Future<Output = io::Result<()>> + Send + 'a {
        futures_lite::AsyncWriteExt::write_all(&mut self.0, bytes)
    }

    fn read<'a>(
        &'a mut self,
        buffer: &'a mut [u8],
    ) -> impl Future<Output = io::Result<usize>> + Send + 'a {
        futures_lite::AsyncReadExt::read(&mut self.0, buffer)
    }
}

/// A connection with its response reader and read buffer.
#[derive(Debug)]
struct Idle<C> {
    stream: C,
    reader: ResponseReader,
    buffer: Vec<u8>,
}

/// Idle keep-alive connections, shared by every request task of one run.
#[derive(Debug)]
pub struct ConnectionPool<C> {
    idle: Mutex<Vec<Idle<C>>>,
}

impl<C> Default for ConnectionPool<C> {
    fn default() -> Self {
        ConnectionPool {
            idle: Mutex::new(Vec::new()),
        }
    }
}

impl<C: AsyncConnection> ConnectionPool<C> {
    /// Sends `request` on an idle connection, or on a new one from `connect`, and reads
    /// one response.
    pub async fn exchange<F, Fut>(&self, connect: F, request: &[u8]) -> Result<Response, Failure>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = io::Result<C>>,
    {
        let idle = self.idle.lock().expect("pool lock").pop();
        let mut connection = match idle {
            Some(connection) => connection,
            None => Idle {
                stream: connect().await.map_err(|err| Failure::from_io(&err))?,
                reader: ResponseReader::new(),
                buffer: vec![0; READ_BUFFER],
            },
        };
        let io = |err: io::Error| Failure::from_io(&err);
        connection.stream.write_all(request).await.map_err(io)?;
        loop {
            let read = connection
                .stream
                .read(&mut connection.buffer)
                .await
                .map_err(io)?;
            let complete = if read == 0 {
                Some(connection.reader.finish())
            } else {
                connection
                    .reader
                    .feed(&connection.buffer[..read])
                    .transpose()
            };
            if let Some(response) = complete {
                let response = response.map_err(|err| Failure::from_http(&err))?;
                if response.keep_alive {
                    self.idle.lock().expect("pool lock").push(connection);
                }
                return Ok(response);
            }
        }
    }
}

/// Runs attempts of request `id` until one succeeds or may not be retried (see
/// [`crate::tally::retryable`]), waiting [`FetchSpec::backoff`] between attempts on the
/// runtime's own timer `sleep`. Returns the last result and the attempts made.
pub async fn with_retries<A, AF, S, SF>(
    spec: &FetchSpec,
    id: u64,
    mut attempt: A,
    sleep: S,
) -> (Result<Response, Failure>, u64)
where
    A: FnMut(u64) -> AF,
    AF: Future<Output = Result<Response, Failure>>,
    S: Fn(std::time::Duration) -> SF,
    SF: Future<Output = ()>,
{
    let mut made = 0;
    loop {
        let result = attempt(made).await;
        if made >= spec.retries || !crate::tally::retryable(&result) {
            return (result, made + 1);
        }
        sleep(spec.backoff(id, made)).await;
        made += 1;
    }
}
