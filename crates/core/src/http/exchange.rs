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

/// Reads that do not complete a response between two yields to the runtime.
const READS_PER_YIELD: u32 = 8;

/// Yields to the runtime once every `READS_PER_YIELD` reads that did not complete a
/// response. A peer that never stops sending keeps every read ready, and a read loop that
/// never returns `Pending` starves whatever races it: smol's and async-std's `or`, which
/// poll the exchange before its timer, would never see the timeout fire (tokio's
/// cooperative budget yields on its own). A response that fits in a few reads never yields.
#[derive(Debug, Default)]
pub struct Fairness {
    reads: u32,
}

impl Fairness {
    /// One more read that left the response incomplete.
    pub async fn read_done(&mut self) {
        self.reads += 1;
        if self.reads.is_multiple_of(READS_PER_YIELD) {
            futures_lite::future::yield_now().await;
        }
    }
}

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
        let mut fairness = Fairness::default();
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
            fairness.read_done().await;
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
        if made >= spec.retries() || !crate::tally::retryable(&result) {
            return (result, made + 1);
        }
        sleep(spec.backoff(id, made)).await;
        made += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// A peer that never stops sending: every read is ready at once with more body.
    struct Firehose {
        reads: Arc<AtomicU64>,
    }

    impl AsyncConnection for Firehose {
        async fn write_all<'a>(&'a mut self, _bytes: &'a [u8]) -> io::Result<()> {
            Ok(())
        }

        fn read<'a>(
            &'a mut self,
            buffer: &'a mut [u8],
        ) -> impl Future<Output = io::Result<usize>> + Send + 'a {
            let n = self.reads.fetch_add(1, Ordering::Relaxed);
            async move {
                // Give up well after any sane race would have ended, so a starved timer
                // fails the test instead of hanging it.
                if n > 100_000 {
                    return Err(io::Error::other("read forever"));
                }
                let head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n";
                let data: &[u8] = if n == 0 { head } else { &[b'x'; 1024] };
                buffer[..data.len()].copy_from_slice(data);
                Ok(data.len())
            }
        }
    }

    #[test]
    fn a_peer_that_never_stops_sending_cannot_starve_the_timeout() {
        let reads = Arc::new(AtomicU64::new(0));
        let pool = ConnectionPool::default();
        let connect = || {
            let reads = Arc::clone(&reads);
            async move { Ok(Firehose { reads }) }
        };
        // The timeout's side of the race, as smol's and async-std's `or` poll it: second,
        // and ready as soon as it is polled once more after the first time.
        let timer = async {
            futures_lite::future::yield_now().await;
            Err(Failure::Timeout)
        };
        let result = futures_lite::future::block_on(futures_lite::future::or(
            pool.exchange(connect, b"GET"),
            timer,
        ));
        assert!(matches!(result, Err(Failure::Timeout)), "{result:?}");
        let reads = reads.load(Ordering::Relaxed);
        assert!(
            reads <= 2 * READS_PER_YIELD as u64,
            "{reads} reads before the timer ran"
        );
    }
}
