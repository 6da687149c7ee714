//! The workloads by name, without parameters: what each kind is called, what it does, its
//! parameters, its unit, and how its cells are judged.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::SpecError;
use crate::params::Table;
use crate::workload::Workload;

/// The workloads by name, without parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkloadKind {
    /// See [`Workload::Sleep`].
    Sleep,
    /// See [`Workload::Cpu`].
    Cpu,
    /// See [`Workload::Spawn`].
    Spawn,
    /// See [`Workload::Pipeline`].
    Pipeline,
    /// See [`Workload::Blocking`].
    Blocking,
    /// See [`Workload::Fetch`].
    Fetch,
    /// A fetch where the server fails and resets a fraction of requests.
    PartialFailure,
    /// A fetch where a fraction of requests outlasts the per-request timeout.
    Timeout,
    /// A fetch that holds a target request rate.
    RateLimit,
    /// A fetch against a flaky endpoint, retried with backoff.
    Retry,
    /// An open-loop fetch at an offered rate, timed from when each request was due.
    Load,
}

impl WorkloadKind {
    /// The parameters of this workload's module (every fetch scenario takes fetch's).
    pub fn params(self) -> &'static Table {
        match self {
            WorkloadKind::Sleep => &crate::sleep::PARAMS,
            WorkloadKind::Spawn => &crate::spawn::PARAMS,
            WorkloadKind::Cpu => &crate::cpu::PARAMS,
            WorkloadKind::Blocking => &crate::blocking::PARAMS,
            WorkloadKind::Pipeline => &crate::pipeline::PARAMS,
            WorkloadKind::Fetch
            | WorkloadKind::PartialFailure
            | WorkloadKind::Timeout
            | WorkloadKind::RateLimit
            | WorkloadKind::Retry
            | WorkloadKind::Load => &crate::fetch::PARAMS,
        }
    }

    /// A workload of this kind from its fields by name, as a profile file gives them
    /// (fields left out take the spec's defaults; a fetch scenario's own field is implied).
    /// Each field must be one of the kind's parameters and hold one of its values.
    pub fn build(
        self,
        mut fields: serde_json::Map<String, serde_json::Value>,
    ) -> Result<Workload, SpecError> {
        let table = self.params();
        for (field, value) in &fields {
            let Some(param) = table.params.iter().find(|p| p.field == field) else {
                return Err(SpecError::new(
                    "workload",
                    format!("{self} has no parameter `{field}`"),
                ));
            };
            param.check(value)?;
        }
        if table.name != self.name() {
            fields.insert("scenario".into(), self.name().into());
        }
        let json = serde_json::json!({ "workload": table.name, "params": fields });
        serde_json::from_value(json)
            .map_err(|err| SpecError::new("workload", format!("{self}: {err}")))
    }

    /// Every workload, in the order reports list them.
    pub const ALL: [WorkloadKind; 11] = [
        WorkloadKind::Sleep,
        WorkloadKind::Spawn,
        WorkloadKind::Fetch,
        WorkloadKind::Load,
        WorkloadKind::PartialFailure,
        WorkloadKind::Timeout,
        WorkloadKind::RateLimit,
        WorkloadKind::Retry,
        WorkloadKind::Pipeline,
        WorkloadKind::Blocking,
        WorkloadKind::Cpu,
    ];

    /// The name used on the command line and in results.
    pub fn name(self) -> &'static str {
        match self {
            WorkloadKind::Sleep => "sleep",
            WorkloadKind::Cpu => "cpu",
            WorkloadKind::Spawn => "spawn",
            WorkloadKind::Pipeline => "pipeline",
            WorkloadKind::Blocking => "blocking",
            WorkloadKind::PartialFailure => "partial-failure",
            WorkloadKind::Timeout => "timeout",
            WorkloadKind::RateLimit => "rate-limit",
            WorkloadKind::Retry => "retry",
            WorkloadKind::Load => "load",
            WorkloadKind::Fetch => "fetch",
        }
    }

    /// Whether its cells are judged by a p99, lower is better (tick lateness, latency from
    /// when each request was due), rather than by their rate.
    pub fn judged_by_p99(self) -> bool {
        matches!(self, WorkloadKind::Blocking | WorkloadKind::Load)
    }

    /// Whether a run is held to a rate on purpose, so it takes as long as its schedule
    /// however fast the backend: a speedup says nothing of it.
    pub fn paced(self) -> bool {
        matches!(self, WorkloadKind::RateLimit | WorkloadKind::Load)
    }

    /// Whether its time is waiting (timers, a server) rather than computing.
    pub fn waits(self) -> bool {
        matches!(
            self,
            WorkloadKind::Sleep
                | WorkloadKind::Fetch
                | WorkloadKind::PartialFailure
                | WorkloadKind::Timeout
                | WorkloadKind::Retry
        )
    }

    /// Whether it measures the cost of concurrency itself (a task group, a queue), which
    /// the sequential baseline does not pay at all: its rate is the floor of the costs,
    /// shown beside them, never the best of them.
    pub fn costs_concurrency(self) -> bool {
        matches!(self, WorkloadKind::Spawn | WorkloadKind::Pipeline)
    }

    /// What it is in a few words, for a list of workloads (`--help`).
    pub fn summary(self) -> &'static str {
        match self {
            WorkloadKind::Sleep => "Many tasks each waiting on a timer",
            WorkloadKind::Cpu => "Exact sum of squares split into jobs",
            WorkloadKind::Fetch => "HTTP requests over loopback with a concurrency limit",
            WorkloadKind::Spawn => "Many tiny tasks spawned and joined",
            WorkloadKind::Pipeline => "A bounded producer-consumer queue",
            WorkloadKind::PartialFailure => {
                "Fetch with injected 500s and resets, every result collected"
            }
            WorkloadKind::Timeout => "Fetch where some requests outlast the timeout",
            WorkloadKind::RateLimit => "Fetch that holds a target request rate",
            WorkloadKind::Load => {
                "Open-loop fetch at an offered rate, timed from when each request was due"
            }
            WorkloadKind::Retry => "Fetch against a flaky endpoint with retries",
            WorkloadKind::Blocking => {
                "Tickers next to CPU jobs: the blocked event loop, and offloading"
            }
        }
    }

    /// One line on what the workload does and how it is verified.
    pub fn description(self) -> &'static str {
        match self {
            WorkloadKind::Sleep => {
                "TASKS tasks each wait SLEEP_MS on the backend's timer, all started together; \
                 verified by completion count and a checksum of task ids"
            }
            WorkloadKind::Cpu => {
                "exact u128 sum of i*i for i in 0..N split into JOBS contiguous jobs; \
                 verified against n(n-1)(2n-1)/6"
            }
            WorkloadKind::PartialFailure => {
                "fetch where the server answers 500 to a FAIL fraction and drops a RESET fraction of \
                 requests: every result collected, failures counted by kind, exactly as the seed says"
            }
            WorkloadKind::Timeout => {
                "fetch where a SLOW fraction of requests outlasts TIMEOUT_MS: cancelled exactly, \
                 counted exactly, and no connection left behind"
            }
            WorkloadKind::Retry => {
                "fetch against an endpoint that fails a FAIL fraction of attempts, each request retried \
                 up to RETRIES times with exponential backoff and jitter; exact successes and attempts"
            }
            WorkloadKind::RateLimit => {
                "fetch that starts requests at RATE per second, no faster (each backend's own timer or \
                 sleep); achieved rate and its error against the target"
            }
            WorkloadKind::Load => {
                "open-loop fetch: request i is due at its place in a schedule at RATE per second \
                 (ARRIVAL fixed or poisson) on CONNECTIONS keep-alive connections, and timed from \
                 when it was due, so a client that falls behind pays in latency; verified by \
                 exact counts and bodies"
            }
            WorkloadKind::Spawn => {
                "TASKS tiny tasks spawned and joined through the backend's task-group idiom \
                 (JoinSet, Vec of handles, scope); verified by count and a checksum of task ids"
            }
            WorkloadKind::Pipeline => {
                "PRODUCERS send MESSAGES in all through a bounded queue of CAPACITY on the backend's \
                 own channel to CONSUMERS; verified by count and the sum of all messages"
            }
            WorkloadKind::Blocking => {
                "TICKERS tasks wake every TICK_US for TICKS ticks while JOBS jobs sum squares over \
                 0..N, inline on the async workers (the pitfall) or offloaded; tick lateness \
                 p50/p99/max; verified by exact tick counts and the exact sum"
            }
            WorkloadKind::Fetch => {
                "REQUESTS HTTP/1.1 GETs over loopback to the embedded hyper server (LATENCY_MS delay \
                 each), at most CONCURRENCY in flight, keep-alive; verified by exact counts and bodies"
            }
        }
    }

    /// The unit of [`Workload::rate`].
    pub fn rate_unit(self) -> &'static str {
        match self {
            WorkloadKind::Sleep => "tasks/s",
            WorkloadKind::Cpu | WorkloadKind::Blocking => "Gelem/s",
            WorkloadKind::Fetch
            | WorkloadKind::PartialFailure
            | WorkloadKind::Timeout
            | WorkloadKind::RateLimit
            | WorkloadKind::Load
            | WorkloadKind::Retry => "req/s",
            WorkloadKind::Spawn => "tasks/s",
            WorkloadKind::Pipeline => "msg/s",
        }
    }
}

impl fmt::Display for WorkloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
