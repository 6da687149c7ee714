//! What a trial saw beyond its counts, per kind of workload, summarized after the clock:
//! ticks (blocking), calls (call) and requests (fetch).

use serde::{Deserialize, Serialize};

use crate::blocking::TickOutcome;
use crate::tally::{FailureCounts, FetchOutcome, Percentiles};

/// What a blocking trial saw: how late the ticks fired and when the CPU work ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TickReport {
    /// Ticks recorded.
    pub ticks: u64,
    /// Tick lateness percentiles, microseconds.
    pub lateness_us: Percentiles,
    /// When the last CPU job finished, seconds from the start.
    pub cpu_done_s: f64,
    /// When the last tick fired, seconds from the start.
    pub ticks_done_s: f64,
}

impl TickReport {
    /// Summarizes a blocking outcome.
    pub fn of(outcome: &TickOutcome) -> TickReport {
        TickReport {
            ticks: outcome.ticks.ops,
            lateness_us: Percentiles::of(&outcome.lateness_us),
            cpu_done_s: outcome.cpu_done.as_secs_f64(),
            ticks_done_s: outcome.ticks_done.as_secs_f64(),
        }
    }
}

/// What a call trial saw: its calls and how long each took, from the worker placing it to
/// its verified answer back in the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallReport {
    /// Calls verified.
    pub calls: u64,
    /// Per-call latency percentiles, microseconds.
    pub latency_us: Percentiles,
    /// The ticker beside the calls, where one ran: its ticks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticks: Option<u64>,
    /// How late its ticks fired, percentiles, microseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tick_late_us: Option<Percentiles>,
}

impl CallReport {
    /// Summarizes a call outcome: after the clock, for the histogram is built from the
    /// run's log here.
    pub fn of(outcome: &crate::call::CallOutcome) -> CallReport {
        CallReport {
            calls: outcome.calls.ops,
            latency_us: Percentiles::of(&outcome.log.histograms().latency_us),
            ticks: outcome.ticks.as_ref().map(|ticks| ticks.len() as u64),
            tick_late_us: outcome
                .ticks
                .as_deref()
                .filter(|ticks| !ticks.is_empty())
                .map(|ticks| Percentiles::of(&crate::call::ticker::histogram(ticks))),
        }
    }
}

/// What a files trial saw: its reads and how long each took, from the worker starting it to
/// its checked bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilesReport {
    /// Reads verified.
    pub reads: u64,
    /// Per-read latency percentiles, microseconds.
    pub latency_us: Percentiles,
}

impl FilesReport {
    /// Summarizes a files outcome, after the clock: `None` where its operations were not
    /// timed one by one (the process pool's).
    pub fn of(outcome: &crate::files::FilesOutcome) -> Option<FilesReport> {
        let log = outcome.log.as_ref()?;
        Some(FilesReport {
            reads: outcome.reads.ops,
            latency_us: Percentiles::of(&log.histograms().latency_us),
        })
    }
}

/// What a fetch trial saw, request by request, summarized.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FetchReport {
    /// Requests answered 200 with the right body.
    pub ok: u64,
    /// Failed requests by kind.
    pub failed: FailureCounts,
    /// 200 responses with a wrong body.
    pub bad_body: u64,
    /// Body bytes received.
    pub bytes: u64,
    /// Per-request latency percentiles from the send, microseconds.
    pub latency_us: Percentiles,
    /// Paced runs: latency percentiles from when each request was due, microseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_due_us: Option<Percentiles>,
    /// Paced runs: how late each request was sent, percentiles, microseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_late_us: Option<Percentiles>,
    /// The first failure seen, if any.
    pub first_failure: Option<String>,
    /// Attempts made, retries included.
    #[serde(default)]
    pub attempts: u64,
    /// The embedded server's mean applied delay, seconds: the latency it asked its timer
    /// for plus that timer's lateness. The efficiency's ideal uses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_delay_s: Option<f64>,
}

impl FetchReport {
    /// Summarizes a fetch outcome: after the clock, for its latency histograms are built
    /// from the run's log here.
    pub fn of(outcome: &FetchOutcome) -> FetchReport {
        let latencies = outcome.latencies();
        FetchReport {
            ok: outcome.ok,
            failed: outcome.failed,
            bad_body: outcome.bad_body,
            bytes: outcome.bytes,
            latency_us: Percentiles::of(&latencies.latency_us),
            from_due_us: latencies.from_due_us.as_deref().map(Percentiles::of),
            send_late_us: latencies.send_late_us.as_deref().map(Percentiles::of),
            first_failure: outcome.first_failure.clone(),
            attempts: outcome.attempts,
            server_delay_s: outcome.mean_delay_s(),
        }
    }

    /// Every request the run accounted for: good answers, failures of every kind and bad
    /// bodies.
    pub fn requests(&self) -> u64 {
        self.ok + self.failed.total() + self.bad_body
    }

    /// The client's CPU time per request, seconds, of a trial that took `cpu_s`.
    pub fn cpu_per_request_s(&self, cpu_s: f64) -> Option<f64> {
        let requests = self.requests();
        (requests > 0).then(|| cpu_s / requests as f64)
    }
}
