//! The workloads, one module each: spec, parameters, validation, expected answer and
//! verification, prediction and fitting, conformance cases, and the shared kernels every
//! backend runs.
//!
//! This file is the workloads' registry, as the registry crate is the backends': the one
//! place that lists them. Adding a workload is a module and a line in each list below.

use serde::{Deserialize, Serialize};

use crate::kind::About;

pub mod blocking;
pub mod call;
pub mod cpu;
pub mod fetch;
pub mod files;
pub mod kernel;
pub mod mpmc;
pub mod pipeline;
pub mod sleep;
pub mod spawn;

pub use blocking::{BlockingSpec, TickOutcome};
pub use call::CallSpec;
pub use cpu::CpuSpec;
pub use fetch::{FetchSpec, Target};
pub use files::FilesSpec;
pub use pipeline::PipelineSpec;
pub use sleep::SleepSpec;
pub use spawn::SpawnSpec;

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
    /// Calls through a real blocking library, placed every way.
    Call(CallSpec),
    /// File reads through each backend's own file I/O.
    Files(FilesSpec),
}

/// Calls `$body` with `$spec` bound to the spec of whichever workload `$workload` is.
macro_rules! each {
    ($workload:expr, $spec:ident => $body:expr) => {
        match $workload {
            $crate::workloads::Workload::Sleep($spec) => $body,
            $crate::workloads::Workload::Cpu($spec) => $body,
            $crate::workloads::Workload::Spawn($spec) => $body,
            $crate::workloads::Workload::Pipeline($spec) => $body,
            $crate::workloads::Workload::Blocking($spec) => $body,
            $crate::workloads::Workload::Fetch($spec) => $body,
            $crate::workloads::Workload::Call($spec) => $body,
            $crate::workloads::Workload::Files($spec) => $body,
        }
    };
}

pub(crate) use each;

macro_rules! from_spec {
    ($($variant:ident($spec:ty)),* $(,)?) => {
        $(impl From<$spec> for Workload {
            fn from(spec: $spec) -> Workload {
                Workload::$variant(spec)
            }
        })*
    };
}

from_spec!(
    Sleep(SleepSpec),
    Cpu(CpuSpec),
    Spawn(SpawnSpec),
    Pipeline(PipelineSpec),
    Blocking(BlockingSpec),
    Fetch(FetchSpec),
    Call(CallSpec),
    Files(FilesSpec),
);

/// The workloads by name, without parameters (a fetch scenario is a kind of its own).
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
    /// The most offered load a client holds within an SLO, found by search.
    Capacity,
    /// See [`Workload::Call`].
    Call,
    /// See [`Workload::Files`].
    Files,
}

impl WorkloadKind {
    /// Every workload, in the order reports list them.
    pub const ALL: [WorkloadKind; 14] = [
        WorkloadKind::Sleep,
        WorkloadKind::Spawn,
        WorkloadKind::Fetch,
        WorkloadKind::Load,
        WorkloadKind::Capacity,
        WorkloadKind::PartialFailure,
        WorkloadKind::Timeout,
        WorkloadKind::RateLimit,
        WorkloadKind::Retry,
        WorkloadKind::Pipeline,
        WorkloadKind::Blocking,
        WorkloadKind::Call,
        WorkloadKind::Files,
        WorkloadKind::Cpu,
    ];

    /// What its module says of it: name, words, unit, parameters, how it is judged.
    pub fn about(self) -> &'static About {
        match self {
            WorkloadKind::Sleep => &sleep::ABOUT,
            WorkloadKind::Cpu => &cpu::ABOUT,
            WorkloadKind::Spawn => &spawn::ABOUT,
            WorkloadKind::Pipeline => &pipeline::ABOUT,
            WorkloadKind::Blocking => &blocking::ABOUT,
            WorkloadKind::Fetch => &fetch::about::FETCH,
            WorkloadKind::PartialFailure => &fetch::about::PARTIAL_FAILURE,
            WorkloadKind::Timeout => &fetch::about::TIMEOUT,
            WorkloadKind::RateLimit => &fetch::about::RATE_LIMIT,
            WorkloadKind::Retry => &fetch::about::RETRY,
            WorkloadKind::Load => &fetch::about::LOAD,
            WorkloadKind::Capacity => &fetch::about::CAPACITY,
            WorkloadKind::Call => &call::ABOUT,
            WorkloadKind::Files => &files::ABOUT,
        }
    }
}

/// The cell the idle timer probe runs on each backend: one ticker on the backend's own
/// timer with nothing else running ([`blocking::BlockingSpec::IDLE_TIMER`]).
pub fn idle_timer() -> Workload {
    BlockingSpec::IDLE_TIMER.into()
}

/// Every workload module's parameters, in the order `--help` lists them.
pub const TABLES: [&crate::params::Table; 8] = [
    &sleep::PARAMS,
    &spawn::PARAMS,
    &cpu::PARAMS,
    &blocking::PARAMS,
    &pipeline::PARAMS,
    &fetch::PARAMS,
    &call::PARAMS,
    &files::PARAMS,
];

/// Every conformance case of the workloads run without a server, in order (fetch's need
/// one: [`fetch::conformance`]).
pub(crate) fn cases() -> Vec<Workload> {
    [
        sleep::cases::cases(),
        cpu::cases::cases(),
        spawn::cases::cases(),
        pipeline::cases::cases(),
        blocking::cases::cases(),
    ]
    .concat()
}

/// The cases whose driver the conformance suite locates, one size of each such workload.
pub(crate) fn driver_cases() -> Vec<Workload> {
    [
        sleep::cases::driver_cases(),
        spawn::cases::driver_cases(),
        pipeline::cases::driver_cases(),
        cpu::cases::driver_cases(),
        blocking::cases::driver_cases(),
    ]
    .concat()
}
