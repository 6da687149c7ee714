//! `fetch` on a pool of worker processes: a part per worker in use, each its share of the
//! requests one after another on one keep-alive connection (blocking workers), its tally
//! sent back as a [`Share`] and merged in the parent.

use serde::{Deserialize, Serialize};

use super::{FetchSpec, Target};
use crate::backend::BackendError;
use crate::client::BlockingClient;
use crate::latencies::Latencies;
use crate::processes::{Pool, Run, quiet};
use crate::tally::{FailureCounts, FetchOutcome, Histogram};

/// One share per worker in use: W requests in flight at most (fewer if C is).
pub fn on_processes<P: Pool>(
    pool: &P,
    spec: &FetchSpec,
    target: &Target,
) -> Result<FetchOutcome, BackendError> {
    crate::driver::started();
    let workers = pool.size().min(spec.concurrency).min(spec.requests).max(1);
    let run = Run {
        workload: spec.clone().into(),
        parts: workers,
        target: Some(target.clone()),
    };
    let mut total = FetchOutcome::default();
    for part in pool.parts(run, quiet, quiet)? {
        let share: Share = serde_json::from_str(part.get())
            .map_err(|err| BackendError::Task(format!("a worker's fetch share: {err}")))?;
        share.merge_into(&mut total);
    }
    Ok(total)
}

/// Share `first` of `step`, in the worker: requests `first`, `first + step`, … one after
/// another on one keep-alive connection.
pub fn in_worker(
    spec: &FetchSpec,
    first: u64,
    step: u64,
    target: &Target,
) -> Result<crate::processes::Answer, String> {
    let (check, schedule) = (spec.check(), spec.schedule());
    let mut client = BlockingClient::new(target.clone(), spec.timeout());
    let mut tally = FetchOutcome::default();
    for id in (first..spec.requests).step_by(step.max(1) as usize) {
        client.fetch_into(spec, id, &schedule, &check, &mut tally);
    }
    serde_json::value::to_raw_value(&Share::of(&tally)).map_err(|err| err.to_string())
}

/// What a worker saw over its share of a fetch run, to be merged in the parent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
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

impl Share {
    /// The share of `outcome`.
    pub fn of(outcome: &FetchOutcome) -> Share {
        let latencies = outcome.latencies();
        Share {
            ok: outcome.ok,
            failed: outcome.failed,
            bad_body: outcome.bad_body,
            bytes: outcome.bytes,
            first_len: outcome.first_len,
            latency_us: pairs(&latencies.latency_us),
            from_due_us: latencies.from_due_us.as_deref().map(pairs),
            send_late_us: latencies.send_late_us.as_deref().map(pairs),
            first_failure: outcome.first_failure.clone(),
            attempts: outcome.attempts,
            delay_us_sum: outcome.delay_us_sum,
            delays: outcome.delays,
        }
    }

    /// Adds this share to `total`.
    pub fn merge_into(self, total: &mut FetchOutcome) {
        let mut part = FetchOutcome::default().with_latencies(Latencies {
            latency_us: histogram(self.latency_us),
            from_due_us: self.from_due_us.map(|p| Box::new(histogram(p))),
            send_late_us: self.send_late_us.map(|p| Box::new(histogram(p))),
        });
        part.ok = self.ok;
        part.failed = self.failed;
        part.bad_body = self.bad_body;
        part.bytes = self.bytes;
        part.first_len = self.first_len;
        part.first_failure = self.first_failure;
        part.attempts = self.attempts;
        part.delay_us_sum = self.delay_us_sum;
        part.delays = self.delays;
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
    let mut histogram = crate::tally::histogram();
    for (value, count) in pairs {
        histogram.saturating_record_n(value, count);
    }
    histogram
}
