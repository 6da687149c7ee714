//! The workloads, as plain data: what to run, how big, and what the answer must be.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::blocking::BlockingSpec;
use crate::cpu::CpuSpec;
use crate::design::{Channel, Client, SpawnFrom, Variant};
use crate::error::SpecError;
use crate::fetch::FetchSpec;
use crate::outcome::{Mismatch, RunOutcome};
use crate::pipeline::PipelineSpec;
use crate::sleep::SleepSpec;
use crate::spawn::SpawnSpec;

/// One workload with its parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "workload", content = "params", rename_all = "lowercase")]
pub enum Workload {
    /// Many tasks each waiting on a timer.
    Sleep(SleepSpec),
    /// An exact sum of squares split into jobs.
    Cpu(CpuSpec),
    /// Many tiny tasks spawned and joined.
    Spawn(SpawnSpec),
    /// A bounded producer-consumer queue.
    Pipeline(PipelineSpec),
    /// Tickers that must wake on time while CPU jobs run.
    Blocking(BlockingSpec),
    /// HTTP requests over loopback with a concurrency limit.
    Fetch(FetchSpec),
}

impl Workload {
    /// Which workload this is.
    pub fn kind(&self) -> WorkloadKind {
        match self {
            Workload::Sleep(_) => WorkloadKind::Sleep,
            Workload::Cpu(_) => WorkloadKind::Cpu,
            Workload::Spawn(_) => WorkloadKind::Spawn,
            Workload::Pipeline(_) => WorkloadKind::Pipeline,
            Workload::Blocking(_) => WorkloadKind::Blocking,
            Workload::Fetch(spec) => match spec.scenario {
                crate::fetch::Scenario::Plain => WorkloadKind::Fetch,
                crate::fetch::Scenario::PartialFailure => WorkloadKind::PartialFailure,
                crate::fetch::Scenario::Timeout => WorkloadKind::Timeout,
                crate::fetch::Scenario::RateLimit => WorkloadKind::RateLimit,
                crate::fetch::Scenario::Retry => WorkloadKind::Retry,
                crate::fetch::Scenario::Load => WorkloadKind::Load,
            },
        }
    }

    /// Checks every parameter against its valid range.
    pub fn validate(&self) -> Result<(), SpecError> {
        match self {
            Workload::Sleep(spec) => spec.validate(),
            Workload::Cpu(spec) => spec.validate(),
            Workload::Spawn(spec) => spec.validate(),
            Workload::Pipeline(spec) => spec.validate(),
            Workload::Blocking(spec) => spec.validate(),
            Workload::Fetch(spec) => spec.validate(),
        }
    }

    /// The checksum a correct run reports (see [`RunOutcome::checksum`]).
    pub fn expected_checksum(&self) -> String {
        match self {
            Workload::Sleep(spec) => spec.expected().checksum.to_string(),
            Workload::Cpu(spec) => spec.expected().checksum.to_string(),
            Workload::Spawn(spec) => spec.expected().checksum.to_string(),
            Workload::Pipeline(spec) => spec.expected().checksum.to_string(),
            Workload::Blocking(spec) => spec.cpu().expected().checksum.to_string(),
            Workload::Fetch(spec) => spec.expected_ok().to_string(),
        }
    }

    /// Accepts `got` only if it is exactly what a correct backend returns.
    pub fn verify(&self, got: &RunOutcome) -> Result<(), Mismatch> {
        let expected = match (self, got) {
            (Workload::Sleep(spec), RunOutcome::Counted(_)) => spec.expected(),
            (Workload::Cpu(spec), RunOutcome::Counted(_)) => spec.expected(),
            (Workload::Fetch(spec), RunOutcome::Fetched(outcome)) => return spec.verify(outcome),
            (Workload::Spawn(spec), RunOutcome::Counted(outcome)) => return spec.verify(outcome),
            (Workload::Pipeline(spec), RunOutcome::Counted(outcome)) => {
                return spec.verify(outcome);
            }
            (Workload::Blocking(spec), RunOutcome::Ticked(outcome)) => {
                return spec.verify(outcome);
            }
            _ => {
                return Err(Mismatch::new(format!(
                    "a {} run returned the wrong kind of outcome",
                    self.kind()
                )));
            }
        };
        match got {
            RunOutcome::Counted(got) if *got == expected => Ok(()),
            RunOutcome::Counted(got) => Err(Mismatch::counted(&expected, got)),
            RunOutcome::Fetched(_) | RunOutcome::Ticked(_) => unreachable!("matched above"),
        }
    }

    /// A small version of the same workload, to warm up a backend before timing.
    pub fn warmup(&self) -> Workload {
        match self.clone() {
            Workload::Sleep(spec) => Workload::Sleep(SleepSpec {
                tasks: spec.tasks.min(64),
                sleep_ms: spec.sleep_ms.min(1),
            }),
            Workload::Spawn(spec) => Workload::Spawn(SpawnSpec {
                tasks: spec.tasks.min(1_000),
                ..spec
            }),
            Workload::Pipeline(spec) => Workload::Pipeline(PipelineSpec {
                messages: spec.messages.min(1_000),
                ..spec
            }),
            Workload::Cpu(spec) => Workload::Cpu(CpuSpec {
                n: spec.n.min(1_000_000),
                ..spec
            }),
            Workload::Blocking(spec) => Workload::Blocking(BlockingSpec {
                ticks: spec.ticks.min(10),
                n: spec.n.min(1_000_000),
                ..spec
            }),
            // A few requests at the same concurrency, without delay or faults.
            // Warms connections and the runtime, not the scenario: no pacing, no slow
            // requests waiting out a timeout, no retries (each cost a trial 0.1 s or more).
            Workload::Fetch(spec) => Workload::Fetch(FetchSpec {
                requests: spec.requests.min(spec.concurrency.min(64) * 2),
                latency_ms: 0,
                fail: 0.0,
                reset: 0.0,
                slow: 0.0,
                rate: 0.0,
                retries: 0,
                ..spec
            }),
        }
    }

    /// The work rate for a run of `wall_s` seconds, in [`WorkloadKind::rate_unit`].
    pub fn rate(&self, wall_s: f64) -> f64 {
        match self {
            Workload::Sleep(spec) => spec.tasks as f64 / wall_s,
            Workload::Cpu(spec) => spec.n as f64 / wall_s / 1e9,
            Workload::Spawn(spec) => spec.tasks as f64 / wall_s,
            Workload::Pipeline(spec) => spec.messages as f64 / wall_s,
            Workload::Blocking(spec) => spec.n as f64 / wall_s / 1e9,
            Workload::Fetch(spec) => spec.requests as f64 / wall_s,
        }
    }

    /// The best possible wall time, where one exists (a sleep cannot end before its timer).
    pub fn ideal_s(&self) -> Option<f64> {
        match self {
            Workload::Sleep(spec) => Some(spec.sleep_ms as f64 / 1e3),
            Workload::Cpu(_)
            | Workload::Spawn(_)
            | Workload::Pipeline(_)
            | Workload::Blocking(_) => None,
            Workload::Fetch(spec) => spec.ideal_s(),
        }
    }

    /// The part of a cell's identity that makes it comparable with other backends' cells
    /// on `threads` workers: the sizes, without what a plan fits per backend (a fetch
    /// latency cell's request count) or what is compared inside one group (the placement
    /// of CPU jobs). The runner interleaves such cells; the report compares them.
    pub fn comparable(&self, threads: u64) -> String {
        match self {
            Workload::Sleep(spec) => format!("tasks={} sleep_ms={}", spec.tasks, spec.sleep_ms),
            Workload::Cpu(spec) => format!("n={} jobs={} threads={}", spec.n, spec.jobs, threads),
            Workload::Spawn(spec) => format!("tasks={}", spec.tasks),
            Workload::Pipeline(spec) => pipeline_sizes(spec),
            // Modes side by side: the group holds every placement of the same work.
            Workload::Blocking(spec) => format!(
                "tickers={} ticks={} tick_us={} n={} jobs={} threads={}",
                spec.tickers, spec.ticks, spec.tick_us, spec.n, spec.jobs, threads
            ),
            Workload::Fetch(spec) => {
                let mut title = format!(
                    "concurrency={} latency_ms={} body_bytes={}",
                    spec.concurrency, spec.latency_ms, spec.body_bytes
                );
                if spec.latency_ms == 0 {
                    title += &format!(" requests={}", spec.requests);
                }
                if spec.fail > 0.0 || spec.reset > 0.0 {
                    title += &format!(" fail={} reset={}", spec.fail, spec.reset);
                }
                if spec.rate > 0.0 {
                    title += &format!(" rate={}", spec.rate);
                }
                title += &paced_label(spec);
                if spec.retries > 0 {
                    title += &format!(" retries={} backoff_ms={}", spec.retries, spec.backoff_ms);
                }
                if spec.slow > 0.0 {
                    title += &format!(
                        " slow={} slow_ms={} timeout_ms={}",
                        spec.slow, spec.slow_ms, spec.timeout_ms
                    );
                }
                if let Some(url) = &spec.url {
                    title += &format!(" url={url}");
                }
                title
            }
        }
    }

    /// Parameters in a short human form, e.g. `tasks=10000 sleep_ms=100`.
    pub fn params_label(&self) -> String {
        match self {
            Workload::Sleep(spec) => format!("tasks={} sleep_ms={}", spec.tasks, spec.sleep_ms),
            Workload::Cpu(spec) => match spec.mode {
                Some(mode) => format!("n={} jobs={} mode={mode}", spec.n, spec.jobs),
                None => format!("n={} jobs={}", spec.n, spec.jobs),
            },
            Workload::Spawn(spec) => match self.variant() {
                Some(variant) => format!("tasks={} spawn={variant}", spec.tasks),
                None => format!("tasks={}", spec.tasks),
            },
            Workload::Pipeline(spec) => match self.variant() {
                Some(variant) => format!("{} channel={variant}", pipeline_sizes(spec)),
                None => pipeline_sizes(spec),
            },
            Workload::Blocking(spec) => format!(
                "tickers={} ticks={} tick_us={} n={} jobs={} mode={}",
                spec.tickers, spec.ticks, spec.tick_us, spec.n, spec.jobs, spec.mode
            ),
            Workload::Fetch(spec) => {
                let mut label = format!(
                    "requests={} concurrency={} latency_ms={} body_bytes={}",
                    spec.requests, spec.concurrency, spec.latency_ms, spec.body_bytes
                );
                if let Some(m) = spec.sampled_from {
                    label += &format!(" sampled_from={m}");
                }
                if spec.fail > 0.0 || spec.reset > 0.0 {
                    label += &format!(" fail={} reset={}", spec.fail, spec.reset);
                }
                if spec.slow > 0.0 {
                    label += &format!(
                        " slow={} slow_ms={} timeout_ms={}",
                        spec.slow, spec.slow_ms, spec.timeout_ms
                    );
                }
                if spec.rate > 0.0 {
                    label += &format!(" rate={}", spec.rate);
                }
                label += &paced_label(spec);
                if spec.retries > 0 {
                    label += &format!(" retries={} backoff_ms={}", spec.retries, spec.backoff_ms);
                }
                if let Some(url) = &spec.url {
                    label += &format!(" url={url}");
                }
                if let Some(variant) = self.variant() {
                    label += &format!(" client={variant}");
                }
                label
            }
        }
    }

    /// The label of a variant, where this cell runs one: the placement of CPU jobs, or a
    /// backend's own idiom in place of the shared design (see [`crate::design`]).
    /// `None` for the shared design, which headline comparisons use.
    pub fn variant(&self) -> Option<&'static str> {
        match self {
            Workload::Cpu(spec) => spec.mode.map(|mode| mode.name()),
            Workload::Blocking(spec) => Some(spec.mode.name()),
            Workload::Spawn(spec) => {
                (spec.from == SpawnFrom::Outside).then_some(Variant::SpawnFromOutside.name())
            }
            Workload::Pipeline(spec) => {
                (spec.channel == Channel::Own).then_some(Variant::OwnChannel.name())
            }
            Workload::Fetch(spec) => {
                (spec.client == Client::TaskPerRequest).then_some(Variant::TaskPerRequest.name())
            }
            Workload::Sleep(_) => None,
        }
    }

    /// `K of M requests` for a fitted fetch cell, which runs a sample of the full cell.
    pub fn fitted(&self) -> Option<String> {
        match self {
            Workload::Fetch(spec) => spec
                .sampled_from
                .filter(|&m| m > spec.requests)
                .map(|m| format!("{} of {m} requests", spec.requests)),
            _ => None,
        }
    }

    /// The backend idiom this cell runs in place of the shared design, if any: the cells
    /// that verdicts between runtimes leave out (placements of CPU jobs are not idioms but
    /// what the cpu and blocking verdicts compare, so they are not listed here).
    pub fn design_variant(&self) -> Option<Variant> {
        let name = match self {
            Workload::Spawn(_) | Workload::Pipeline(_) | Workload::Fetch(_) => self.variant()?,
            _ => return None,
        };
        Variant::ALL.into_iter().find(|v| v.name() == name)
    }

    /// The key of the backend's [`crate::Config`] entry that describes how it runs this
    /// cell, e.g. `pipeline` for the shared channel and `pipeline.own-channel` for its own.
    pub fn design_key(&self) -> String {
        let kind = match self.kind() {
            WorkloadKind::Sleep
            | WorkloadKind::Cpu
            | WorkloadKind::Spawn
            | WorkloadKind::Pipeline
            | WorkloadKind::Blocking => self.kind().name(),
            _ => WorkloadKind::Fetch.name(),
        };
        match self {
            Workload::Spawn(_) | Workload::Pipeline(_) | Workload::Fetch(_) => {
                match self.variant() {
                    Some(variant) => format!("{kind}.{variant}"),
                    None => kind.to_string(),
                }
            }
            _ => kind.to_string(),
        }
    }
}

/// How a paced fetch's requests arrive and whether the server stalls, where not the
/// defaults: ` arrival=poisson pause_ms=200`.
fn paced_label(spec: &FetchSpec) -> String {
    let mut label = String::new();
    if !spec.arrival.is_fixed() {
        label += &format!(" arrival={}", spec.arrival.name());
    }
    if spec.pause_ms > 0 {
        label += &format!(" pause_ms={}", spec.pause_ms);
    }
    label
}

fn pipeline_sizes(spec: &PipelineSpec) -> String {
    format!(
        "producers={} consumers={} capacity={} messages={}",
        spec.producers, spec.consumers, spec.capacity, spec.messages
    )
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_workload_and_params() {
        let workload = Workload::Cpu(CpuSpec::new(10, 2));
        let json = serde_json::to_value(&workload).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"workload": "cpu", "params": {"n": 10, "jobs": 2}})
        );
        assert_eq!(serde_json::from_value::<Workload>(json).unwrap(), workload);
    }

    #[test]
    fn verify_rejects_a_wrong_sum() {
        let workload = Workload::Cpu(CpuSpec::new(10, 2));
        let Workload::Cpu(spec) = &workload else {
            unreachable!()
        };
        let mut got = spec.expected();
        assert!(workload.verify(&got.into()).is_ok());
        got.checksum += 1;
        assert!(workload.verify(&got.into()).is_err());
    }
}
