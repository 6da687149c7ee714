//! The blocking HTTP client over `std::net` that the thread-based backends share
//! (threads, crossbeam, rayon, sequential): one keep-alive connection per client,
//! replaced when the server drops it.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::fetch::{FetchSpec, Schedule, Target};
use crate::http::{Response, ResponseReader};
use crate::tally::{Check, Failure, FetchOutcome, retryable};

/// One request's end: its final result, latency from the first attempt, attempts made,
/// and for a paced request when it was due and sent.
#[derive(Debug)]
pub struct Fetched {
    /// The request's id.
    pub id: u64,
    /// The last attempt's result.
    pub result: Result<Response, Failure>,
    /// From the first attempt to the last answer.
    pub latency: Duration,
    /// Attempts made.
    pub attempts: u64,
    /// When the first attempt was sent.
    pub sent: Instant,
    /// When it was due, for a paced request.
    pub due: Option<Instant>,
}

impl Fetched {
    /// Adds this request to `tally`: its result, its latency from the send and, paced,
    /// from when it was due. Call it when the request ends.
    pub fn record_into(self, tally: &mut FetchOutcome, check: &Check) {
        tally.record_final(self.id, self.result, self.latency, self.attempts, check);
        if let Some(due) = self.due {
            tally.record_due(self.id, due, self.sent, self.sent + self.latency);
        }
    }
}

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

    /// The client design every backend shares, on one thread: takes the next request id
    /// from `next` until none is left, each sent when `schedule` says it is due on this
    /// client's keep-alive connection; returns what this worker saw, recorded in `tally`.
    pub fn work(
        &mut self,
        spec: &FetchSpec,
        next: &AtomicU64,
        schedule: &Schedule,
        mut tally: FetchOutcome,
    ) -> FetchOutcome {
        let check = spec.check();
        loop {
            let id = next.fetch_add(1, Ordering::Relaxed);
            if id >= spec.requests {
                return tally;
            }
            self.fetch_into(spec, id, schedule, &check, &mut tally);
        }
    }

    /// Makes request `id` of `spec` when it is due and records it in `tally`.
    pub fn fetch_into(
        &mut self,
        spec: &FetchSpec,
        id: u64,
        schedule: &Schedule,
        check: &Check,
        tally: &mut FetchOutcome,
    ) {
        self.fetch_paced(spec, id, schedule)
            .record_into(tally, check);
    }

    /// Blocks until request `id` is due by `schedule`, then makes it (see
    /// [`BlockingClient::fetch`]).
    pub fn fetch_paced(&mut self, spec: &FetchSpec, id: u64, schedule: &Schedule) -> Fetched {
        schedule.wait_turn(id);
        Fetched {
            due: schedule.due(id),
            ..self.fetch(spec, id)
        }
    }

    /// Makes request `id` of `spec`, retrying as the spec says (sleeping between attempts);
    /// returns the final result, the latency from the first attempt, and the attempts made.
    pub fn fetch(&mut self, spec: &FetchSpec, id: u64) -> Fetched {
        let start = Instant::now();
        let mut attempt = 0;
        loop {
            let request = self.target.request_attempt(spec, id, attempt);
            let result = self.exchange(&request, Instant::now() + self.timeout);
            if attempt >= spec.retries() || !retryable(&result) {
                return Fetched {
                    id,
                    result,
                    latency: start.elapsed(),
                    attempts: attempt + 1,
                    sent: start,
                    due: None,
                };
            }
            std::thread::sleep(spec.backoff(id, attempt));
            attempt += 1;
        }
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
