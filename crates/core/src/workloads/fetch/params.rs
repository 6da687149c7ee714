//! The parameters of fetch and its scenarios, as the command line and profile files set
//! them.

use super::{
    BACKOFF_MS_MAX, BODY_BYTES_MAX, CONCURRENCY_MAX, LATENCY_MS_MAX, RATE_MAX, REQUESTS_MAX,
    RETRIES_MAX, TIMEOUT_MS_MAX,
};
use crate::params::{Param, Table};

/// The parameters of fetch and its scenarios.
pub const PARAMS: Table = Table {
    name: "fetch",
    workload: "fetch and its scenarios",
    params: &[
        Param::count("requests", "requests", "total requests", 1, REQUESTS_MAX),
        Param::count(
            "concurrency",
            "concurrency",
            "requests in flight at most",
            1,
            CONCURRENCY_MAX,
        ),
        Param::count(
            "concurrency",
            "connections",
            "load: the client's keep-alive connections, each carrying one request at a time; \
             a request due while all are busy waits, and the wait counts",
            1,
            CONCURRENCY_MAX,
        )
        .more("The same setting as --concurrency.")
        .conflicts("concurrency"),
        Param::choice(
            "arrival",
            "arrival",
            "rate-limit, load and capacity: how requests arrive at --rate",
            &[
                ("fixed", "evenly spaced"),
                ("poisson", "a Poisson process drawn from the fetch seed"),
            ],
        )
        .left_out_is("fixed")
        .show_default()
        .only_in(&["rate-limit", "load", "capacity"]),
        Param::count(
            "pause_ms",
            "pause-ms",
            "load: the embedded server stops answering for this long, once, when the middle \
             request arrives (a stalled server), ms",
            0,
            LATENCY_MS_MAX,
        )
        .only_in(&["load"]),
        Param::count(
            "latency_ms",
            "latency-ms",
            "server-side delay before each answer, ms",
            0,
            LATENCY_MS_MAX,
        ),
        Param::count(
            "body_bytes",
            "body-bytes",
            "body size, bytes",
            0,
            BODY_BYTES_MAX,
        ),
        Param::count(
            "timeout_ms",
            "timeout-ms",
            "per-request timeout, ms",
            1,
            TIMEOUT_MS_MAX,
        ),
        Param::fraction(
            "fail",
            "fail",
            "partial-failure and retry: fraction of requests the server answers 500",
        )
        .only_in(&["partial-failure", "retry"]),
        Param::fraction(
            "reset",
            "reset",
            "partial-failure and retry: fraction of requests whose connection the server drops",
        )
        .only_in(&["partial-failure", "retry"]),
        Param::count(
            "seed",
            "fetch-seed",
            "seed of bodies and injected faults",
            0,
            u64::MAX,
        ),
        Param::url(
            "url",
            "url",
            "an external server to fetch instead of the embedded one \
             (http://host[:port]/path); verified by all-200 answers with bodies of equal \
             length",
        ),
        Param::fraction(
            "slow",
            "slow",
            "timeout: fraction of requests the server answers only after --slow-ms more",
        )
        .only_in(&["timeout"]),
        Param::count(
            "slow_ms",
            "slow-ms",
            "timeout: the extra delay of slow requests, ms",
            0,
            LATENCY_MS_MAX,
        )
        .only_in(&["timeout"]),
        Param::count(
            "rate",
            "rate",
            "rate-limit and load: requests per second to offer, 0 for no limit; capacity: the \
             highest rate its search tries (it starts at a 64th of it)",
            0,
            RATE_MAX as u64,
        )
        .only_in(&["rate-limit", "load", "capacity"]),
        Param::count(
            "slo_ms",
            "slo-ms",
            "capacity and load: the SLO on p99 from due: a capacity search's rate holds \
             within it; a load sweep's knees are read against it (default for a sweep: ten \
             times the best p99 at its lowest rate)",
            1,
            LATENCY_MS_MAX,
        )
        .only_in(&["capacity", "load"]),
        Param::count(
            "retries",
            "retries",
            "retry: retries per request after a 5xx, reset or timeout",
            0,
            RETRIES_MAX,
        )
        .only_in(&["retry"]),
        Param::count(
            "backoff_ms",
            "backoff-ms",
            "retry: first backoff in ms, doubled each retry, times a jitter in 0.5..1.5",
            0,
            BACKOFF_MS_MAX,
        )
        .only_in(&["retry"]),
        Param::choice(
            "client",
            "client",
            "the client's shape",
            &[
                (
                    "workers",
                    "C long-lived workers, each with its own connection",
                ),
                (
                    "task-per-request",
                    "a task per request, spawned when a semaphore permit frees",
                ),
            ],
        )
        .left_out_is("workers")
        .more(
            "By default C long-lived workers, plus task-per-request as a labelled variant on \
             the async runtimes.",
        ),
        Param::count(
            "sampled_from",
            "sampled-from",
            "run the requests as a sample, with the same mix of fates, of a cell of this many \
             requests (how the profiles fit slow backends)",
            1,
            REQUESTS_MAX,
        )
        .hidden(),
    ],
};
