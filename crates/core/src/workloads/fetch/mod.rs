//! The `fetch` workload: many HTTP/1.1 requests over loopback, at most C in flight.

use std::net::{SocketAddr, ToSocketAddrs};

use serde::{Deserialize, Serialize};

pub mod about;
pub mod capacity;
pub mod conformance;
pub(crate) mod cores;
mod describe;
mod executor;
mod params;
mod processes;
mod runs;
mod scenario;
pub mod search;
mod threaded;
mod wire;

pub use cores::on_cores;
pub use executor::on_executor;
pub use params::PARAMS;
pub use scenario::{Faults, Pace, Retries, Scenario, Search, Slow};
pub use threaded::on_threads;

use crate::body;
use crate::design::Client;
use crate::error::SpecError;
use crate::fault;
use crate::http;
use crate::outcome::Mismatch;
pub use crate::schedule::{Arrival, Schedule};
use crate::tally::{Check, FetchOutcome};

/// The most requests one run may make.
pub const REQUESTS_MAX: u64 = 10_000_000;
/// The most requests in flight (thread-per-slot backends start this many threads).
pub const CONCURRENCY_MAX: u64 = 10_000;
/// The longest server-side delay: one minute.
pub const LATENCY_MS_MAX: u64 = 60_000;
/// The largest body: 64 MiB.
pub const BODY_BYTES_MAX: u64 = 64 << 20;
/// The most retries per request.
pub const RETRIES_MAX: u64 = 10;
/// The longest first backoff between retries, milliseconds.
pub const BACKOFF_MS_MAX: u64 = 10_000;
/// The highest target rate, requests per second.
pub const RATE_MAX: f64 = 1_000_000.0;
/// The longest per-request timeout: one hour.
pub const TIMEOUT_MS_MAX: u64 = 3_600_000;

/// Fetch `requests` bodies of `body_bytes` with at most `concurrency` in flight; the
/// embedded server waits `latency_ms` before each answer. What else the run does (faults,
/// slow answers, a rate, retries) is its [`Scenario`], which carries only its own fields.
///
/// In JSON (results, profiles, a trial's spec) the fields stay flat, as results.json has
/// always had them (`wire.rs`); a mix that belongs to no scenario is refused when read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "wire::FetchWire", into = "wire::FetchWire")]
pub struct FetchSpec {
    /// Total requests.
    pub requests: u64,
    /// Requests in flight at most.
    pub concurrency: u64,
    /// Server-side delay before each answer, milliseconds.
    pub latency_ms: u64,
    /// Body size, bytes.
    pub body_bytes: u64,
    /// Per-request timeout, milliseconds.
    pub timeout_ms: u64,
    /// Seed for bodies and faults.
    pub seed: u64,
    /// An external server to fetch instead of the embedded one.
    pub url: Option<String>,
    /// Which pattern of the tutorials this fetch measures, with its own fields.
    pub scenario: Scenario,
    /// The client's shape: long-lived workers (the default) or a task per request.
    pub client: Client,
    /// For a fitted cell: the full cell's request count `M`, of which this cell's
    /// `requests` are a sample with the same mix of fates (see [`crate::sample`]).
    pub sampled_from: Option<u64>,
}

impl Default for FetchSpec {
    fn default() -> Self {
        FetchSpec {
            requests: 1,
            concurrency: 1,
            latency_ms: 0,
            body_bytes: 0,
            timeout_ms: 10_000,
            seed: 0,
            url: None,
            scenario: Scenario::Plain,
            client: Client::Workers,
            sampled_from: None,
        }
    }
}

impl FetchSpec {
    /// The server-side id of request `index`: the index itself, or for a fitted cell its
    /// place in the sample of the full cell's ids.
    pub fn server_id(&self, index: u64) -> u64 {
        match self.sampled_from {
            Some(m) if m > self.requests => crate::sample::server_id(self, m, index),
            _ => index,
        }
    }

    /// Every request's server-side id, in order.
    pub fn server_ids(&self) -> Vec<u64> {
        match self.sampled_from {
            Some(m) if m > self.requests => crate::sample::ids(self, m, self.requests),
            _ => (0..self.requests).collect(),
        }
    }

    fn counts(&self, slow: f64) -> fault::Counts {
        let mut counts = fault::Counts::default();
        for id in self.server_ids() {
            match fault::fate_with_slow(self.seed, id, self.fail(), self.reset(), slow) {
                fault::Fate::Answer => counts.answered += 1,
                fault::Fate::Fail => counts.failed += 1,
                fault::Fate::Reset => counts.reset += 1,
                fault::Fate::Slow => counts.slow += 1,
            }
        }
        counts
    }

    /// The request counts a correct run against the embedded server ends with:
    /// (answered, failed with 500, reset).
    pub fn expected_counts(&self) -> (u64, u64, u64) {
        let counts = self.counts(0.0);
        (counts.answered, counts.failed, counts.reset)
    }

    /// Requests a correct run ends with answered 200, whatever the scenario: after retries,
    /// and without the slow ones when they time out.
    pub fn expected_ok(&self) -> u64 {
        if self.url.is_some() {
            return self.requests;
        }
        if self.retries() > 0 {
            return self.expected_with_retries().0;
        }
        let counts = self.counts(self.slow());
        if self.slow_times_out() {
            counts.answered
        } else {
            counts.answered + counts.slow
        }
    }

    /// The server-side id of attempt `attempt` of request `id`: each attempt meets its own
    /// fate, so a flaky endpoint can fail the first try and answer the second.
    pub fn attempt_id(id: u64, attempt: u64) -> u64 {
        id | (attempt << 40)
    }

    /// How long to wait after failed attempt `attempt` of request `id`: the backoff doubles
    /// each time, times a deterministic jitter in 0.5..1.5 so retries do not move in lockstep.
    pub fn backoff(&self, id: u64, attempt: u64) -> std::time::Duration {
        let id = self.server_id(id);
        let jitter = 0.5
            + (crate::random::token(self.seed ^ crate::random::token(id) ^ attempt) >> 11) as f64
                / (1u64 << 53) as f64;
        let base = self.backoff_ms() as f64 * (1u64 << attempt.min(20)) as f64;
        std::time::Duration::from_secs_f64(base * jitter / 1e3)
    }

    /// What a correct retrying run ends with: (answered, 500, reset, attempts in all).
    pub fn expected_with_retries(&self) -> (u64, u64, u64, u64) {
        let (mut ok, mut status, mut reset, mut attempts) = (0, 0, 0, 0);
        for id in self.server_ids() {
            for attempt in 0..=self.retries() {
                attempts += 1;
                let fate = fault::fate(
                    self.seed,
                    Self::attempt_id(id, attempt),
                    self.fail(),
                    self.reset(),
                );
                match (fate, attempt == self.retries()) {
                    (fault::Fate::Answer | fault::Fate::Slow, _) => {
                        ok += 1;
                        break;
                    }
                    (fault::Fate::Fail, true) => status += 1,
                    (fault::Fate::Reset, true) => reset += 1,
                    _ => {}
                }
            }
        }
        (ok, status, reset, attempts)
    }

    /// When each request is due, from now: at `rate` per second by `arrival`, or never
    /// (closed loop) without a rate. Start it where the run starts.
    pub fn schedule(&self) -> Schedule {
        Schedule::start(self.arrival(), self.rate_per_s(), self.requests, self.seed)
    }

    /// The request (by index) on whose arrival the server pauses, if it does.
    pub fn pause_index(&self) -> Option<u64> {
        (self.pause_ms() > 0).then_some(self.requests / 2)
    }

    /// Whether the slow requests outlast the timeout (validation makes this unambiguous).
    pub fn slow_times_out(&self) -> bool {
        self.slow() > 0.0 && self.latency_ms + self.slow_ms() >= 2 * self.timeout_ms
    }

    /// The per-request timeout.
    pub fn timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.timeout_ms)
    }

    /// How each response is checked.
    pub fn check(&self) -> Check {
        match self.url {
            Some(_) => Check::SameLength,
            None => Check::Exact {
                len: self.body_bytes,
                hash: body::expected_hash(self.body_bytes, self.seed),
            },
        }
    }

    /// The path of request `id` on the embedded server.
    pub fn path(&self, id: u64) -> String {
        let mut path = format!(
            "/bytes/{}?delay_ms={}&seed={}&id={id}",
            self.body_bytes, self.latency_ms, self.seed
        );
        if self.fail() > 0.0 {
            path += &format!("&fail={}", self.fail());
        }
        if self.reset() > 0.0 {
            path += &format!("&reset={}", self.reset());
        }
        if self.pause_index().map(|index| self.server_id(index)) == Some(id) {
            path += &format!("&pause_ms={}", self.pause_ms());
        }
        if self.slow() > 0.0 {
            path += &format!("&slow={}&slow_ms={}", self.slow(), self.slow_ms());
        }
        path
    }

    /// [`crate::WorkloadSpec::ideal_s`] with each request's server delay `delay_s` (the delay the
    /// server reports it applied, rather than the one asked for).
    pub fn ideal_s_with(&self, delay_s: f64) -> Option<f64> {
        // A capacity search is many runs, each with its own ideal.
        if self.search().is_some() {
            return None;
        }
        let rounds = (self.latency_ms > 0 && self.url.is_none())
            .then(|| self.requests.div_ceil(self.concurrency) as f64 * delay_s);
        // At a rate, the last request starts when it is due and takes one latency.
        let paced =
            Schedule::last_due_s(self.arrival(), self.rate_per_s(), self.requests, self.seed)
                .map(|last| last + delay_s);
        match (rounds, paced) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// Accepts `got` only if every request is accounted for and matches what the server
    /// promised: exact fault counts and bodies for the embedded server, all-200 and equal
    /// lengths for an external one.
    pub fn verify(&self, got: &FetchOutcome) -> Result<(), Mismatch> {
        let done = got.ok + got.failed.total();
        let mut problems = Vec::new();
        if done != self.requests {
            problems.push(format!(
                "{done} of {} requests accounted for",
                self.requests
            ));
        }
        if got.bad_body > 0 {
            problems.push(format!(
                "{} bodies differ from what the server promised",
                got.bad_body
            ));
        }
        match &self.url {
            Some(url) => {
                if got.ok != self.requests {
                    let f = &got.failed;
                    problems.push(format!(
                        "{} of {} requests to {url} answered 200 with a body of the first \
                         one's length (failed: {} non-200, {} reset, {} timed out, {} other)",
                        got.ok, self.requests, f.status, f.reset, f.timeout, f.other
                    ));
                }
            }
            None if self.retries() > 0 => {
                let (ok, status, reset, attempts) = self.expected_with_retries();
                let f = &got.failed;
                let seen = (got.ok, f.status, f.reset, f.timeout, f.other, got.attempts);
                if seen != (ok, status, reset, 0, 0, attempts) {
                    problems.push(format!(
                        "expected ok/500/reset/timeout/other/attempts = {ok}/{status}/{reset}/0/0/{attempts}, \
                         got {}/{}/{}/{}/{}/{}",
                        seen.0, seen.1, seen.2, seen.3, seen.4, seen.5
                    ));
                }
            }
            None => {
                let counts = self.counts(self.slow());
                let (answered, failed, reset, timeout) = if self.slow_times_out() {
                    (counts.answered, counts.failed, counts.reset, counts.slow)
                } else {
                    (
                        counts.answered + counts.slow,
                        counts.failed,
                        counts.reset,
                        0,
                    )
                };
                let expected = (answered, failed, reset, timeout, 0);
                let seen = (
                    got.ok,
                    got.failed.status,
                    got.failed.reset,
                    got.failed.timeout,
                    got.failed.other,
                );
                if seen != expected {
                    problems.push(format!(
                        "expected ok/500/reset/timeout/other = {answered}/{failed}/{reset}/{timeout}/0, got {}/{}/{}/{}/{}",
                        seen.0, seen.1, seen.2, seen.3, seen.4
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            let first = got
                .first_failure
                .as_deref()
                .map(|f| format!(" (first failure: {f})"))
                .unwrap_or_default();
            Err(Mismatch::new(format!("{}{first}", problems.join("; "))))
        }
    }
}

/// Where fetch requests go: the embedded server, or the `--url` server; and where a `call`
/// finds the databases the run made ([`crate::call::Databases`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The socket to connect to.
    pub addr: SocketAddr,
    /// The `Host` header.
    pub host: String,
    /// For an external server, the one path every request asks for.
    pub fixed_path: Option<String>,
    /// The run's seeded databases, where it made any.
    #[serde(default)]
    pub databases: crate::call::Databases,
}

impl Target {
    /// The embedded server listening on `addr`.
    pub fn embedded(addr: SocketAddr) -> Target {
        Target {
            addr,
            host: addr.to_string(),
            fixed_path: None,
            databases: crate::call::Databases::default(),
        }
    }

    /// No server: where a workload that reads only the run's databases or file sets finds
    /// them (its address, port 0 on loopback, is never dialled).
    pub fn no_server(databases: crate::call::Databases) -> Target {
        Target::embedded(([127, 0, 0, 1], 0).into()).with_databases(databases)
    }

    /// An external server from an `http://host[:port]/path` URL (resolved now).
    pub fn from_url(url: &str) -> Result<Target, SpecError> {
        let (host, port, path) = parse_url(url)?;
        let addr = (host.as_str(), port)
            .to_socket_addrs()
            .ok()
            .and_then(|mut addrs| addrs.next())
            .ok_or_else(|| {
                SpecError::new("url", format!("cannot resolve host '{host}' in {url}"))
            })?;
        Ok(Target {
            addr,
            host: if port == 80 {
                host
            } else {
                format!("{host}:{port}")
            },
            fixed_path: Some(path),
            databases: crate::call::Databases::default(),
        })
    }

    /// This target with the run's seeded `databases`.
    pub fn with_databases(self, databases: crate::call::Databases) -> Target {
        Target { databases, ..self }
    }

    /// The request bytes for request `id` of `spec`.
    pub fn request(&self, spec: &FetchSpec, id: u64) -> Vec<u8> {
        self.request_attempt(spec, id, 0)
    }

    /// The request bytes for attempt `attempt` of request `id`.
    pub fn request_attempt(&self, spec: &FetchSpec, id: u64, attempt: u64) -> Vec<u8> {
        match &self.fixed_path {
            Some(path) => http::request(&self.host, path),
            None => http::request(
                &self.host,
                &spec.path(FetchSpec::attempt_id(spec.server_id(id), attempt)),
            ),
        }
    }
}

/// Checks that `url` has the form `http://host[:port]/path`, without resolving it.
pub fn check_url(url: &str) -> Result<(), SpecError> {
    parse_url(url).map(|_| ())
}

/// Splits `http://host[:port][/path]` into its parts.
fn parse_url(url: &str) -> Result<(String, u16, String), SpecError> {
    let bad = |why: &str| {
        SpecError::new(
            "url",
            format!("--url '{url}' {why}; expected http://host[:port]/path"),
        )
    };
    // A space, CR, LF or other control character would end the request line early and
    // let the rest of the URL add header lines of its own.
    if let Some(c) = url.chars().find(|c| c.is_control() || c.is_whitespace()) {
        return Err(bad(&format!(
            "holds {} (a control character or space, which would let it inject header lines; \
             percent-encode it)",
            c.escape_debug()
        )));
    }
    let rest = if let Some(rest) = url.strip_prefix("http://") {
        rest
    } else if url.starts_with("https://") {
        return Err(bad("uses https, which the fetch workload does not speak"));
    } else {
        return Err(bad("is not an http:// URL"));
    };
    let (authority, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || host.starts_with('[') => (
            host,
            port.parse::<u16>().map_err(|_| bad("has a bad port"))?,
        ),
        _ => (authority, 80),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() || host.contains(['@', ' ']) {
        return Err(bad("has no usable host"));
    }
    Ok((host.to_string(), port, path.to_string()))
}

#[cfg(test)]
mod tests;
