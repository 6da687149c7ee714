//! The `call` workload's real libraries: a call through a blocking library, as a team meets
//! it (a sync HTTP client, an embedded database), each answer checked exactly.
//!
//! - [`http`]: `ureq`, the common blocking HTTP client, against the embedded server, which
//!   answers each call with a seeded body after its delay;
//! - [`sqlite`]: SQLite through `rusqlite` (bundled, nothing to install) on a database file
//!   made from a seed: point lookups by key and, every eighth call, a small aggregate;
//! - [`postgres`]: PostgreSQL through the `postgres` crate on a table made from the same
//!   seed, the same calls, each able to wait on the server (`pg_sleep`) as a real query
//!   waits on I/O.
//!
//! A [`Caller`] is one worker's connection through whichever library a [`CallSpec`] names,
//! to the server or [`Databases`] a run's target gives it; [`Call`] is what a call returns when it verified: a token
//! of its id, so a run's sum is exact and a lost or repeated call cannot cancel out.
//!
//! Placed every way a team could place it: a thread per call in flight (threads), a pool of
//! C threads (crossbeam), W threads (rayon, the wrong tool for waiting), W processes, one at
//! a time (sequential), and on each async runtime inline on its workers (the pitfall), on
//! its blocking pool (its docs' advice), on rayon, or in place (tokio). Judged by the rule
//! "threads for blocking libraries" ([`Rule::ThreadsForBlocking`]).

use std::fmt;

use crate::backend::{BackendInfo, Family};
use crate::kind::{About, Rule};
use crate::params::{Param, Table};

pub mod caller;
pub mod cases;
pub mod conformance;
mod cores;
mod describe;
mod executor;
pub mod http;
pub mod native;
pub mod postgres;
mod processes;
mod reqwest_calls;
mod runs;
pub mod spec;
pub mod sqlite;
mod sqlx_calls;
mod store;
mod tally;
mod threaded;
pub mod ticker;
mod workers;

pub use caller::{Caller, Databases, sqlite_file, table};
pub use cores::on_cores;
pub use describe::BLOCKING_POOL_MAX;
pub use executor::on_executor;
pub use spec::{CallSpec, Library};
pub use store::{Store, check_postgres_url};
pub use tally::CallOutcome;
pub use threaded::on_threads;

/// The headline rows of the decision table, one per library.
pub const HEADLINES: [&str; 3] = [
    "call: http (ureq)",
    "call: sqlite (rusqlite)",
    "call: postgres (postgres crate)",
];

/// What the call workload says of itself: its name, words, unit and how it is judged.
pub const ABOUT: About = About::new(
    "call",
    &PARAMS,
    "calls/s",
    "Calls through a real blocking library (ureq, rusqlite, postgres), placed every way",
    "CALLS calls through LIBRARY (ureq against the embedded server, rusqlite on a seeded \
     file, the postgres crate on a seeded table), CONCURRENCY in flight, each placed where \
     the backend runs blocking work; every answer checked against the seed's value",
)
.waits()
.rule(Rule::ThreadsForBlocking)
.headlines(&HEADLINES)
.not_for(not_for);

/// Why call does not apply to a backend: none does not (every backend can make a blocking
/// call somewhere).
fn not_for(_: &BackendInfo) -> Option<&'static str> {
    None
}

/// Whether a backend is an event loop a blocking call can block (an async runtime).
pub(crate) fn has_event_loop(info: &BackendInfo) -> bool {
    matches!(info.family, Family::AsyncRuntime | Family::IoUringRuntime)
}

/// The call workload's parameters.
pub const PARAMS: Table = Table {
    name: "call",
    workload: "call",
    params: &[
        Param::choice(
            "library",
            "library",
            "the blocking library each call goes through",
            &[
                (
                    "http",
                    "ureq against the embedded server, which waits WAIT_MS",
                ),
                (
                    "sqlite",
                    "rusqlite on a seeded file in the run's scratch folder",
                ),
                (
                    "postgres",
                    "the postgres crate on a seeded table (the run's own cluster, or --postgres)",
                ),
            ],
        )
        .more(
            "No one default: the profiles run a cell of each library; a trial given no \
             --library takes the quick profile's first, http.",
        ),
        Param::count("calls", "calls", "calls in the run", 1, spec::CALLS_MAX),
        Param::count(
            "concurrency",
            "concurrency",
            "calls in flight at once (a thread each on the threads backend)",
            1,
            spec::CONCURRENCY_MAX,
        ),
        Param::count(
            "wait_ms",
            "wait-ms",
            "what each call waits on its server, milliseconds (http: the server's delay; \
             postgres: pg_sleep; sqlite: 0)",
            0,
            spec::WAIT_MS_MAX,
        ),
        Param::count(
            "body_bytes",
            "body-bytes",
            "http: bytes in each answer's body",
            0,
            spec::BODY_BYTES_MAX,
        ),
        Param::count(
            "rows",
            "rows",
            "rows in the seeded table",
            1,
            spec::ROWS_MAX,
        ),
        Param::count(
            "seed",
            "call-seed",
            "seed of the tables, bodies and keys",
            0,
            u64::MAX,
        ),
        crate::cpu::MODE.more(
            "In call, where an async runtime runs each blocking call; by default every \
             placement the backend offers.",
        ),
        Param::choice(
            "client",
            "call-client",
            "the library the calls go through",
            &[
                (
                    "blocking",
                    "the blocking library, placed by --mode (shared design)",
                ),
                (
                    "async",
                    "an async library on the runtime: the shared async HTTP client, \
                     tokio-postgres on tokio (labelled variant)",
                ),
                (
                    "reqwest",
                    "HTTP through reqwest, on tokio (labelled variant)",
                ),
                (
                    "sqlx",
                    "SQLite and PostgreSQL through sqlx, on tokio, smol and async-std \
                     (labelled variant)",
                ),
            ],
        )
        .left_out_is("blocking")
        .more(
            "By default the blocking library; the async runtimes also run the async ones as \
             labelled cells: async-library, reqwest and sqlx where they run.",
        ),
        Param::count(
            "tick_us",
            "call-tick-us",
            "a latency-sensitive task beside the calls wakes every this many microseconds; \
             its lateness is what the calls' placement costs the runtime's other tasks \
             (0: none)",
            0,
            spec::TICK_US_MAX,
        )
        .range_note("else at least 100"),
        Param::count(
            "sampled_from",
            "sampled-from",
            "make the first calls, as a sample, of a cell of this many calls (how the \
             profiles fit slow backends)",
            1,
            spec::CALLS_MAX,
        )
        .hidden(),
    ],
};

/// Rows an aggregate call sums.
pub const RANGE: u64 = 100;

/// The value the row of key `k` holds in a table made from `seed`: 48 bits, so a signed
/// 64-bit integer (SQLite's, PostgreSQL's `bigint`) holds a sum of [`RANGE`] of them.
pub fn value(seed: u64, k: u64) -> i64 {
    (crate::random::token(seed ^ crate::random::token(k)) >> 16) as i64
}

/// The key call `id` looks up, in `0..rows`.
pub fn key(seed: u64, id: u64, rows: u64) -> u64 {
    crate::random::mix(seed.wrapping_add(id)) % rows.max(1)
}

/// Whether call `id` is an aggregate rather than a point lookup.
pub fn aggregates(id: u64) -> bool {
    id % 8 == 7
}

/// The keys an aggregate from key `k` sums: [`RANGE`] of them, cut at the last row.
pub fn range(k: u64, rows: u64) -> std::ops::RangeInclusive<u64> {
    k..=(k + RANGE - 1).min(rows.saturating_sub(1))
}

/// The count and sum an aggregate over `keys` must answer.
pub fn expected_sum(seed: u64, keys: std::ops::RangeInclusive<u64>) -> (i64, i64) {
    let count = (keys.end() + 1).saturating_sub(*keys.start()) as i64;
    (count, keys.map(|k| value(seed, k)).sum())
}

/// A verified call: the token of its id ([`crate::random::token`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Call(pub u64);

impl Call {
    /// The call `id`, verified.
    pub fn of(id: u64) -> Call {
        Call(crate::random::token(id))
    }
}

/// A call that did not answer right: what the library said, or what was wrong with its
/// answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallError {
    /// The call.
    pub id: u64,
    /// What went wrong, in the library's words or ours.
    pub message: String,
}

impl CallError {
    /// Call `id` failed for `message`.
    pub fn new(id: u64, message: impl Into<String>) -> CallError {
        CallError {
            id,
            message: message.into(),
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "call {}: {}", self.id, self.message)
    }
}

impl std::error::Error for CallError {}

/// Making a seeded database failed: the library's error, in its words.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SetupError(pub String);

impl From<::postgres::Error> for SetupError {
    fn from(err: ::postgres::Error) -> SetupError {
        SetupError(format!("postgres: {err}"))
    }
}

impl From<rusqlite::Error> for SetupError {
    fn from(err: rusqlite::Error) -> SetupError {
        SetupError(format!("sqlite: {err}"))
    }
}

impl From<std::io::Error> for SetupError {
    fn from(err: std::io::Error) -> SetupError {
        SetupError(err.to_string())
    }
}
