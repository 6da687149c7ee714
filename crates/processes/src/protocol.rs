//! What goes over a worker's pipes: one JSON job per line in, one JSON reply per line out.

use serde::{Deserialize, Serialize};

/// One unit of work for a worker process.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "lowercase")]
pub enum Job {
    /// Sum the squares over `start..end` (core's cpu kernel).
    Cpu {
        /// First element.
        start: u64,
        /// One past the last element.
        end: u64,
    },
    /// The spawn workload's task `id`: one round trip.
    Spawn {
        /// Task id.
        id: u64,
    },
    /// A sleep task: block the worker for `sleep_ms`, then return task `id`'s token.
    Sleep {
        /// Task id.
        id: u64,
        /// How long, milliseconds.
        sleep_ms: u64,
    },
}

/// A worker's answer to one job: the outcome (the checksum as a decimal string, since it
/// is a u128), or why it could not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// Operations done.
    pub ops: u64,
    /// The checksum, in decimal.
    pub checksum: String,
    /// Set when the job could not be done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}
