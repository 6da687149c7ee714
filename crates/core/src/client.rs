//! The blocking HTTP client over `std::net` that the thread-based backends share
//! (threads, crossbeam, rayon, sequential): one keep-alive connection per client,
//! replaced when the server drops it.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::fetch::{FetchSpec, Target};
use crate::http::{Response, ResponseReader};
use crate::tally::{Check, Failure, FetchOutcome};

/// Bytes read per `read` call.
const READ_BUFFER: usize = 16 * 1024;

/// One keep-alive connection at a time to one target, with a per-request deadline.
#[derive(Debug)]
pub struct BlockingClient {
    target: Target,
    timeout: Duration,
    connection: Option<TcpStream>,
    reader: ResponseReader,
    buffer: Vec<u8>,
}

impl BlockingClient {
    /// A client that connects on its first request.
    pub fn new(target: Target, timeout: Duration) -> Self {
        BlockingClient {
            target,
            timeout,
            connection: None,
            reader: ResponseReader::new(),
            buffer: vec![0; READ_BUFFER],
        }
    }

    /// Whether this client talks to `target` with `timeout`, so it can be reused.
    pub fn is_for(&self, target: &Target, timeout: Duration) -> bool {
        self.target == *target && self.timeout == timeout
    }

    /// Makes request `id` of `spec` and records its result and latency in `tally`.
    pub fn fetch_into(
        &mut self,
        spec: &FetchSpec,
        id: u64,
        check: &Check,
        tally: &mut FetchOutcome,
    ) {
        let (result, latency) = self.fetch(spec, id);
        tally.record(result, latency, check);
    }

    /// Makes request `id` of `spec`; returns its result and latency.
    pub fn fetch(&mut self, spec: &FetchSpec, id: u64) -> (Result<Response, Failure>, Duration) {
        let request = self.target.request(spec, id);
        let start = Instant::now();
        let result = self.exchange(&request, start + self.timeout);
        (result, start.elapsed())
    }

    /// Sends `request` and reads one response, reconnecting first if needed.
    pub fn exchange(&mut self, request: &[u8], deadline: Instant) -> Result<Response, Failure> {
        let result = self.try_exchange(request, deadline);
        if !matches!(result, Ok(response) if response.keep_alive) {
            // Failed, timed out or closing: the connection cannot carry another request.
            self.connection = None;
            self.reader = ResponseReader::new();
        }
        result
    }

    fn try_exchange(&mut self, request: &[u8], deadline: Instant) -> Result<Response, Failure> {
        let remaining = |deadline: Instant| {
            deadline
                .checked_duration_since(Instant::now())
                .filter(|left| !left.is_zero())
                .ok_or(Failure::Timeout)
        };
        if self.connection.is_none() {
            let stream = TcpStream::connect_timeout(&self.target.addr, remaining(deadline)?)
                .map_err(|err| Failure::from_io(&err))?;
            stream
                .set_nodelay(true)
                .map_err(|err| Failure::from_io(&err))?;
            self.connection = Some(stream);
        }
        let stream = self.connection.as_mut().expect("connected above");
        let io = |err: io::Error| Failure::from_io(&err);
        stream
            .set_write_timeout(Some(remaining(deadline)?))
            .map_err(io)?;
        stream.write_all(request).map_err(io)?;
        loop {
            stream
                .set_read_timeout(Some(remaining(deadline)?))
                .map_err(io)?;
            let read = stream.read(&mut self.buffer).map_err(io)?;
            if read == 0 {
                return self.reader.finish().map_err(|err| Failure::from_http(&err));
            }
            if let Some(response) = self
                .reader
                .feed(&self.buffer[..read])
                .map_err(|err| Failure::from_http(&err))?
            {
                return Ok(response);
            }
        }
    }
}
