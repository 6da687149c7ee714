//! What goes over a worker's pipes: one JSON job per line in, one JSON reply per line out.

use serde::{Deserialize, Serialize};
use shootout_core::tally::{FailureCounts, Histogram};
use shootout_core::{FetchOutcome, FetchSpec};

/// One unit of work for a worker process.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// A worker's share of a fetch run: requests `first`, `first + step`, … of `spec`,
    /// one after another on one keep-alive connection to `addr`.
    Fetch {
        /// The run's requests.
        spec: Box<FetchSpec>,
        /// The embedded server's address (`spec.url` when fetching elsewhere).
        addr: String,
        /// This worker's first request id.
        first: u64,
        /// Ids between this worker's requests (the number of workers).
        step: u64,
    },
}

/// What a worker saw over its share of a fetch run, to be merged in the parent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchShare {
    /// Good answers.
    pub ok: u64,
    /// Failures by kind.
    pub failed: FailureCounts,
    /// 200s with a wrong body.
    pub bad_body: u64,
    /// Body bytes of good answers.
    pub bytes: u64,
    /// The first good body's length.
    pub first_len: Option<u64>,
    /// Latencies, microseconds, as (value, count) pairs of the worker's histogram.
    pub latency_us: Vec<(u64, u64)>,
    /// Paced runs: latencies from when each request was due, as (value, count) pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_due_us: Option<Vec<(u64, u64)>>,
    /// Paced runs: how late each request was sent, as (value, count) pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_late_us: Option<Vec<(u64, u64)>>,
    /// The first failure.
    pub first_failure: Option<String>,
    /// Attempts, retries included.
    pub attempts: u64,
    /// The server's applied delays, summed, and how many reported one.
    pub delay_us_sum: u64,
    /// Good answers that reported their delay.
    pub delays: u64,
}

impl FetchShare {
    /// The share of `outcome`.
    pub fn of(outcome: &FetchOutcome) -> FetchShare {
        FetchShare {
            ok: outcome.ok,
            failed: outcome.failed,
            bad_body: outcome.bad_body,
            bytes: outcome.bytes,
            first_len: outcome.first_len,
            latency_us: pairs(&outcome.latency_us),
            from_due_us: outcome.from_due_us.as_deref().map(pairs),
            send_late_us: outcome.send_late_us.as_deref().map(pairs),
            first_failure: outcome.first_failure.clone(),
            attempts: outcome.attempts,
            delay_us_sum: outcome.delay_us_sum,
            delays: outcome.delays,
        }
    }

    /// Adds this share to `total`.
    pub fn merge_into(self, total: &mut FetchOutcome) {
        let mut part = FetchOutcome {
            ok: self.ok,
            failed: self.failed,
            bad_body: self.bad_body,
            bytes: self.bytes,
            first_len: self.first_len,
            first_failure: self.first_failure,
            attempts: self.attempts,
            delay_us_sum: self.delay_us_sum,
            delays: self.delays,
            ..FetchOutcome::default()
        };
        for (value, count) in self.latency_us {
            part.latency_us.saturating_record_n(value, count);
        }
        part.from_due_us = self.from_due_us.map(|p| Box::new(histogram(p)));
        part.send_late_us = self.send_late_us.map(|p| Box::new(histogram(p)));
        total.merge(part);
    }
}

/// A histogram's recorded values as (value, count) pairs.
fn pairs(histogram: &Histogram<u64>) -> Vec<(u64, u64)> {
    histogram
        .iter_recorded()
        .map(|v| (v.value_iterated_to(), v.count_at_value()))
        .collect()
}

/// The histogram of (value, count) pairs.
fn histogram(pairs: Vec<(u64, u64)>) -> Histogram<u64> {
    let mut histogram = shootout_core::tally::histogram();
    for (value, count) in pairs {
        histogram.saturating_record_n(value, count);
    }
    histogram
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
    /// A fetch share's results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetch: Option<FetchShare>,
}
