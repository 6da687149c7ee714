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
//! at the [`Place`] a run gives it; [`Call`] is what a call returns when it verified: a token
//! of its id, so a run's sum is exact and a lost or repeated call cannot cancel out.
//!
//! In progress (issue 27): the spec, the libraries and their verification are here and
//! tested against real servers; the designs on each family, the registry line, the run's
//! seeded files and cluster, the profiles and the report's row come next.

use std::fmt;

pub mod caller;
pub mod http;
pub mod postgres;
pub mod spec;
pub mod sqlite;
mod threaded;

pub use caller::{Caller, Place};
pub use spec::{CallSpec, Library};
pub use threaded::on_threads;

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
