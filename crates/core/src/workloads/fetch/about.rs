//! What `fetch` and each of its scenarios say of themselves: name, words, unit, and how
//! their cells are judged. Every scenario takes fetch's parameters.

use super::PARAMS;
use crate::kind::{About, Rule};

const REQ_S: &str = "req/s";

/// Plain fetch.
pub const FETCH: About = About::new(
    "fetch",
    &PARAMS,
    REQ_S,
    "HTTP requests over loopback with a concurrency limit",
    "REQUESTS HTTP/1.1 GETs over loopback to the embedded hyper server (LATENCY_MS delay \
     each), at most CONCURRENCY in flight, keep-alive; verified by exact counts and bodies",
)
.waits()
.rule(Rule::AsyncForIo)
.headlines(&["fetch (latency)", "fetch (throughput)"])
.latency_row();

/// Injected 500s and resets.
pub const PARTIAL_FAILURE: About = About::new(
    "partial-failure",
    &PARAMS,
    REQ_S,
    "Fetch with injected 500s and resets, every result collected",
    "fetch where the server answers 500 to a FAIL fraction and drops a RESET fraction of \
     requests: every result collected, failures counted by kind, exactly as the seed says",
)
.waits()
.rule(Rule::AsyncForIo);

/// Requests that outlast the per-request timeout.
pub const TIMEOUT: About = About::new(
    "timeout",
    &PARAMS,
    REQ_S,
    "Fetch where some requests outlast the timeout",
    "fetch where a SLOW fraction of requests outlasts TIMEOUT_MS: cancelled exactly, \
     counted exactly, and no connection left behind",
)
.waits()
.rule(Rule::AsyncForIo);

/// A target request rate.
pub const RATE_LIMIT: About = About::new(
    "rate-limit",
    &PARAMS,
    REQ_S,
    "Fetch that holds a target request rate",
    "fetch that starts requests at RATE per second, no faster (each backend's own timer or \
     sleep); achieved rate and its error against the target",
)
.paced();

/// Retries with backoff against a flaky endpoint.
pub const RETRY: About = About::new(
    "retry",
    &PARAMS,
    REQ_S,
    "Fetch against a flaky endpoint with retries",
    "fetch against an endpoint that fails a FAIL fraction of attempts, each request retried \
     up to RETRIES times with exponential backoff and jitter; exact successes and attempts",
)
.waits()
.rule(Rule::AsyncForIo);

/// The open loop.
pub const LOAD: About = About::new(
    "load",
    &PARAMS,
    REQ_S,
    "Open-loop fetch at an offered rate, timed from when each request was due",
    "open-loop fetch: request i is due at its place in a schedule at RATE per second \
     (ARRIVAL fixed or poisson) on CONNECTIONS keep-alive connections, and timed from \
     when it was due, so a client that falls behind pays in latency; verified by \
     exact counts and bodies",
)
.judged_by_p99()
.paced();

/// The open loop searched for its most load within an SLO.
pub const CAPACITY: About = About::new(
    "capacity",
    &PARAMS,
    REQ_S,
    "The most offered load a client holds within an SLO, found by search",
    "open-loop fetch at offered rates found by search: from a 64th of RATE the rate doubles \
     until a run fails, then bisects to 2%; a rate holds when its run verifies, keeps up \
     with its schedule and its p99 from due stays within SLO_MS; each run at least \
     REQUESTS arrivals (and 0.25 s of them) on CONNECTIONS keep-alive connections",
)
.waits()
.paced()
.rule(Rule::AsyncForIo)
.headlines(&["load: most within the SLO"]);
