//! Counting what happened to every request of a fetch run: outcomes by kind, bytes, and
//! the latency histogram.

use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

use crate::http::{HttpError, Response};
use crate::latencies::{Latencies, LatencyLog};

/// How a response is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// The embedded server's body: exact length and hash.
    Exact {
        /// Body length.
        len: u64,
        /// FNV-1a hash of the body.
        hash: u64,
    },
    /// An external server: any body, but every body the same length.
    SameLength,
}

/// Why one request did not end in a good 200.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The connection was closed or reset before a complete response.
    Reset(String),
    /// The per-request timeout fired.
    Timeout,
    /// Anything else: refused connection, malformed response, …
    Other(String),
}

impl Failure {
    /// Classifies an I/O error from connect, write or read.
    pub fn from_io(err: &io::Error) -> Failure {
        use io::ErrorKind::*;
        match err.kind() {
            TimedOut | WouldBlock => Failure::Timeout,
            ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof => {
                Failure::Reset(err.to_string())
            }
            _ => Failure::Other(err.to_string()),
        }
    }

    /// Classifies a framing error: a truncated response is a reset connection.
    pub fn from_http(err: &HttpError) -> Failure {
        match err {
            HttpError::Truncated(_) => Failure::Reset(err.to_string()),
            HttpError::Malformed(_) => Failure::Other(err.to_string()),
        }
    }
}

/// Failed requests by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureCounts {
    /// Complete responses with a status other than 200.
    pub status: u64,
    /// Connections closed or reset before a complete response.
    pub reset: u64,
    /// Requests past their timeout.
    pub timeout: u64,
    /// Everything else.
    pub other: u64,
}

/// Whether a request's result deserves another attempt: a 5xx, a reset or a timeout.
pub fn retryable(result: &Result<Response, Failure>) -> bool {
    match result {
        Ok(response) => response.status >= 500,
        Err(Failure::Reset(_) | Failure::Timeout) => true,
        Err(Failure::Other(_)) => false,
    }
}

impl FailureCounts {
    /// All failures.
    pub fn total(&self) -> u64 {
        self.status + self.reset + self.timeout + self.other
    }
}

/// Everything a fetch run returns.
#[derive(Clone, Debug)]
pub struct FetchOutcome {
    /// Requests answered 200 with a correct body.
    pub ok: u64,
    /// Requests that failed, by kind.
    pub failed: FailureCounts,
    /// 200 responses whose body was not the promised one.
    pub bad_body: u64,
    /// Body bytes received in good responses.
    pub bytes: u64,
    /// Body length of the first good response (the reference for [`Check::SameLength`]).
    pub first_len: Option<u64>,
    /// Per-request latencies: into the run's log by request id ([`LatencyLog`]), or kept
    /// here; read them after the clock with [`FetchOutcome::latencies`].
    recording: Recording,
    /// The first failure's description, to explain a failed cell.
    pub first_failure: Option<String>,
    /// Attempts made, retries included.
    pub attempts: u64,
    /// The server's applied delay summed over good responses that reported it, µs.
    pub delay_us_sum: u64,
    /// Good responses that reported their applied delay.
    pub delays: u64,
}

impl std::iter::Sum for FetchOutcome {
    /// Every outcome merged into one ([`FetchOutcome::merge`]).
    fn sum<I: Iterator<Item = FetchOutcome>>(outcomes: I) -> FetchOutcome {
        outcomes.fold(FetchOutcome::default(), |mut total, outcome| {
            total.merge(outcome);
            total
        })
    }
}

/// Where a tally's latencies go.
#[derive(Clone, Debug, Default)]
enum Recording {
    /// Nothing recorded yet, and no log: the first latency makes histograms of its own.
    #[default]
    Nothing,
    /// Into the run's log, prepared before the clock.
    Log(Arc<LatencyLog>),
    /// Histograms of its own (a tally made without a log, or several merged).
    Own(Box<Latencies>),
}

impl Default for FetchOutcome {
    fn default() -> Self {
        FetchOutcome {
            ok: 0,
            failed: FailureCounts::default(),
            bad_body: 0,
            bytes: 0,
            first_len: None,
            recording: Recording::Nothing,
            first_failure: None,
            attempts: 0,
            delay_us_sum: 0,
            delays: 0,
        }
    }
}

impl FetchOutcome {
    /// An empty tally whose latencies go into `log`, the run's (no histogram of its own:
    /// a worker's tally costs a few counters, whatever the concurrency).
    pub fn logging(log: Arc<LatencyLog>) -> FetchOutcome {
        FetchOutcome {
            recording: Recording::Log(log),
            ..FetchOutcome::default()
        }
    }

    /// This tally with `latencies` as its own (a worker process's share, merged in).
    pub fn with_latencies(mut self, latencies: Latencies) -> FetchOutcome {
        self.recording = Recording::Own(Box::new(latencies));
        self
    }

    /// The latency histograms of every request recorded: built from the run's log, so
    /// call it after the clock.
    pub fn latencies(&self) -> Latencies {
        match &self.recording {
            Recording::Nothing => Latencies::default(),
            Recording::Log(log) => log.histograms(),
            Recording::Own(own) => (**own).clone(),
        }
    }

    /// Its own histograms, made on the first latency recorded without a log.
    fn own(&mut self) -> &mut Latencies {
        if !matches!(self.recording, Recording::Own(_)) {
            self.recording = Recording::Own(Box::new(self.latencies()));
        }
        match &mut self.recording {
            Recording::Own(own) => own,
            _ => unreachable!("made above"),
        }
    }

    /// The server's mean applied delay over the good responses that reported it, seconds.
    pub fn mean_delay_s(&self) -> Option<f64> {
        (self.delays > 0).then(|| self.delay_us_sum as f64 / self.delays as f64 / 1e6)
    }

    /// Records request `id`'s final result after `attempts` attempts, and its latency from
    /// the first attempt.
    pub fn record_final(
        &mut self,
        id: u64,
        result: Result<Response, Failure>,
        latency: Duration,
        attempts: u64,
        check: &Check,
    ) {
        self.attempts += attempts;
        match &self.recording {
            Recording::Log(log) => log.record(id, latency),
            _ => self.own().latency_us.saturating_record(micros(latency)),
        }
        self.record_result(result, check);
    }

    /// Records, for paced request `id`, `due`, sent at `sent` and ended at `done`, its
    /// latency from when it was due and how late it was sent. Call it with
    /// [`FetchOutcome::record_final`] for every paced request.
    pub fn record_due(&mut self, id: u64, due: Instant, sent: Instant, done: Instant) {
        if let Recording::Log(log) = &self.recording {
            return log.record_due(id, due, sent, done);
        }
        let own = self.own();
        own.from_due_us
            .get_or_insert_with(|| Box::new(histogram()))
            .saturating_record(micros(done.saturating_duration_since(due)));
        own.send_late_us
            .get_or_insert_with(|| Box::new(histogram()))
            .saturating_record(micros(sent.saturating_duration_since(due)));
    }

    /// Records one request's result and latency (one attempt), without a log.
    pub fn record(&mut self, result: Result<Response, Failure>, latency: Duration, check: &Check) {
        self.record_final(0, result, latency, 1, check);
    }

    fn record_result(&mut self, result: Result<Response, Failure>, check: &Check) {
        match result {
            Ok(response) if response.status == 200 => {
                let good = match *check {
                    Check::Exact { len, hash } => {
                        response.body_len == len && response.body_hash == hash
                    }
                    Check::SameLength => {
                        *self.first_len.get_or_insert(response.body_len) == response.body_len
                    }
                };
                if good {
                    self.ok += 1;
                    self.bytes += response.body_len;
                    if let Some(delay) = response.delay_us {
                        self.delay_us_sum += delay;
                        self.delays += 1;
                    }
                } else {
                    self.bad_body += 1;
                    self.failed.other += 1;
                    self.note(format!(
                        "body of {} bytes differs from the expected one",
                        response.body_len
                    ));
                }
            }
            Ok(response) => {
                self.failed.status += 1;
                self.note(format!("status {}", response.status));
            }
            Err(Failure::Reset(detail)) => {
                self.failed.reset += 1;
                self.note(format!("reset: {detail}"));
            }
            Err(Failure::Timeout) => {
                self.failed.timeout += 1;
                self.note("timeout".into());
            }
            Err(Failure::Other(detail)) => {
                self.failed.other += 1;
                self.note(detail);
            }
        }
    }

    /// Adds another partial outcome (from another task, thread or split) into this one.
    pub fn merge(&mut self, other: FetchOutcome) {
        self.ok += other.ok;
        self.failed.status += other.failed.status;
        self.failed.reset += other.failed.reset;
        self.failed.timeout += other.failed.timeout;
        self.failed.other += other.failed.other;
        self.bad_body += other.bad_body;
        self.bytes += other.bytes;
        self.attempts += other.attempts;
        self.delay_us_sum += other.delay_us_sum;
        self.delays += other.delays;
        if let (Some(mine), Some(theirs)) = (self.first_len, other.first_len)
            && mine != theirs
        {
            // Two partial runs saw different lengths: one of them holds a bad body.
            self.bad_body += 1;
        }
        self.first_len = self.first_len.or(other.first_len);
        self.merge_latencies(other.recording);
        self.first_failure = self.first_failure.take().or(other.first_failure);
    }

    /// Takes in another tally's latencies: the same run's log needs nothing; anything else
    /// is added to histograms of this tally's own.
    fn merge_latencies(&mut self, other: Recording) {
        let theirs = match (&self.recording, other) {
            (_, Recording::Nothing) => return,
            (Recording::Nothing, other) => {
                self.recording = other;
                return;
            }
            (Recording::Log(mine), Recording::Log(theirs)) if Arc::ptr_eq(mine, &theirs) => {
                return;
            }
            (_, Recording::Log(theirs)) => theirs.histograms(),
            (_, Recording::Own(theirs)) => *theirs,
        };
        self.own().add(&theirs);
    }

    fn note(&mut self, detail: String) {
        self.first_failure.get_or_insert(detail);
    }
}

/// An empty latency histogram: 1 µs to 1 minute at 3 significant digits; slower requests
/// saturate at a minute.
pub fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid histogram bounds")
}

/// A latency in whole microseconds, at least 1.
fn micros(latency: Duration) -> u64 {
    latency.as_micros().max(1) as u64
}

/// Latency percentiles in microseconds, as stored in results.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    /// Median.
    pub p50: u64,
    /// 90th percentile.
    pub p90: u64,
    /// 99th percentile.
    pub p99: u64,
    /// 99.9th percentile.
    pub p999: u64,
    /// Largest.
    pub max: u64,
    /// Mean.
    pub mean: f64,
    /// How many samples they were read from (absent in files that predate it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
}

impl Percentiles {
    /// Reads the percentiles from a histogram.
    pub fn of(histogram: &Histogram<u64>) -> Percentiles {
        Percentiles {
            n: Some(histogram.len()),
            p50: histogram.value_at_quantile(0.5),
            p90: histogram.value_at_quantile(0.9),
            p99: histogram.value_at_quantile(0.99),
            p999: histogram.value_at_quantile(0.999),
            max: histogram.max(),
            mean: histogram.mean(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, len: u64, hash: u64) -> Response {
        Response {
            status,
            body_len: len,
            body_hash: hash,
            keep_alive: true,
            delay_us: None,
        }
    }

    #[test]
    fn counts_each_kind_and_merges() {
        let check = Check::Exact { len: 3, hash: 9 };
        let mut a = FetchOutcome::default();
        a.record(Ok(response(200, 3, 9)), Duration::from_millis(1), &check);
        a.record(Ok(response(500, 0, 0)), Duration::from_millis(2), &check);
        a.record(Ok(response(200, 3, 8)), Duration::from_millis(1), &check);
        let mut b = FetchOutcome::default();
        b.record(
            Err(Failure::Reset("eof".into())),
            Duration::from_millis(3),
            &check,
        );
        b.record(Err(Failure::Timeout), Duration::from_millis(4), &check);
        a.merge(b);
        assert_eq!(a.ok, 1);
        assert_eq!(
            a.failed,
            FailureCounts {
                status: 1,
                reset: 1,
                timeout: 1,
                other: 1
            }
        );
        assert_eq!(a.bad_body, 1);
        assert_eq!(a.latencies().latency_us.len(), 5);
        assert_eq!(a.first_failure.as_deref(), Some("status 500"));
    }

    #[test]
    fn a_paced_request_is_timed_from_when_it_was_due() {
        let check = Check::Exact { len: 3, hash: 9 };
        let mut a = FetchOutcome::default();
        let due = Instant::now() - Duration::from_millis(50);
        let sent = due + Duration::from_millis(40);
        a.record_final(
            0,
            Ok(response(200, 3, 9)),
            Duration::from_millis(10),
            1,
            &check,
        );
        a.record_due(0, due, sent, Instant::now());
        // Merged into a tally that has none yet, as a worker's into the run's.
        let mut total = FetchOutcome::default();
        total.merge(a);
        let latencies = total.latencies();
        let from_due = latencies.from_due_us.as_ref().unwrap();
        let late = latencies.send_late_us.as_ref().unwrap();
        assert!(from_due.max() >= 50_000, "{}", from_due.max());
        assert!((39_900..=40_100).contains(&late.max()), "{}", late.max());
        assert!(latencies.latency_us.max() < 11_000);
        // A closed-loop tally has neither.
        assert!(FetchOutcome::default().latencies().from_due_us.is_none());
    }

    #[test]
    fn workers_of_one_run_record_into_its_log_and_merge_without_histograms() {
        let check = Check::Exact { len: 3, hash: 9 };
        let log = Arc::new(LatencyLog::new(3, false));
        let mut workers: Vec<FetchOutcome> =
            (0..3).map(|_| FetchOutcome::logging(log.clone())).collect();
        for (id, worker) in workers.iter_mut().enumerate() {
            let latency = Duration::from_millis(id as u64 + 1);
            worker.record_final(id as u64, Ok(response(200, 3, 9)), latency, 1, &check);
            // A worker's tally holds no histogram of its own.
            assert!(matches!(worker.recording, Recording::Log(_)));
        }
        let total: FetchOutcome = workers.into_iter().sum();
        assert!(matches!(total.recording, Recording::Log(_)));
        let latencies = total.latencies();
        assert_eq!((total.ok, latencies.latency_us.len()), (3, 3));
        assert!(latencies.latency_us.max() >= 2_990);
        // A tally from elsewhere (a worker process's share) adds to histograms of its own.
        let mut mixed = FetchOutcome::logging(log.clone());
        let mut other = FetchOutcome::default();
        other.record(Ok(response(200, 3, 9)), Duration::from_millis(7), &check);
        mixed.merge(other);
        assert_eq!(mixed.latencies().latency_us.len(), 4);
    }

    #[test]
    fn same_length_check_catches_a_different_body() {
        let mut outcome = FetchOutcome::default();
        for len in [10, 10, 11] {
            outcome.record(
                Ok(response(200, len, 0)),
                Duration::from_millis(1),
                &Check::SameLength,
            );
        }
        assert_eq!((outcome.ok, outcome.bad_body), (2, 1));
    }

    #[test]
    fn io_errors_are_classified() {
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert!(matches!(Failure::from_io(&reset), Failure::Reset(_)));
        assert_eq!(
            Failure::from_io(&io::Error::from(io::ErrorKind::TimedOut)),
            Failure::Timeout
        );
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert!(matches!(Failure::from_io(&refused), Failure::Other(_)));
    }
}
