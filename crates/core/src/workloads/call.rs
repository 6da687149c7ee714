//! The `call` workload's real libraries: a call through a blocking library, as a team meets
//! it (a sync HTTP client, an embedded database), each answer checked exactly.
//!
//! - [`http`]: `ureq`, the common blocking HTTP client, against the embedded server, which
//!   answers each call with a seeded body after its delay;
//! - [`sqlite`]: SQLite through `rusqlite` (bundled, nothing to install) on a database file
//!   made from a seed: point lookups by key and, every eighth call, a small aggregate.
//!
//! A caller is one worker's connection; [`Call`] is what a call returns when it verified: a
//! token of its id, so a run's sum is exact and a lost or repeated call cannot cancel out.

use std::fmt;

pub mod http;
pub mod sqlite;

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
