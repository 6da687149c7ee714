//! The shootout contract: workload specs, the [`Backend`] trait every runtime implements,
//! the shared kernels and the verification that decides whether a result counts.
//!
//! Core depends on no backend. A backend differs from another only in how it schedules
//! work and waits; what is computed, and what the right answer is, lives here.
//!
//! ```
//! use shootout_core::{CpuSpec, Outcome, Workload, WorkloadSpec, cpu};
//!
//! // The exact sum of i*i for i in 0..1000, split into 7 jobs, done one job at a time.
//! let spec = CpuSpec::new(1_000, 7);
//! spec.validate()?;
//! let outcome: Outcome = spec.ranges().map(cpu::job).sum();
//! Workload::from(spec).verify(&outcome.into())?;
//! assert_eq!(outcome.checksum, 332_833_500);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod base;
pub mod contract;
pub mod http;
pub mod results;
pub mod stats;
pub mod workloads;

// The layers' modules by their short names, as every crate of the workspace uses them.
pub use base::{error, join, placement, random};
pub use contract::{
    backend, clock, conformance, cores, design, driver, executor, kind, methods, outcome, params,
    processes, runs, runtime, threaded, workload,
};
pub use http::{
    body, client, exchange, fault, latencies, request, sample, schedule, tally, workers,
};

pub use backend::{
    Advisory, Backend, BackendError, BackendInfo, Config, Driver, Family, FetchSlots, Helper,
    Maintenance, Memory, SleepModel, Upstream,
};
pub use design::{Channel, Client, JobThreads, SpawnFrom, Variant};
pub use error::SpecError;
pub use outcome::{Mismatch, Outcome, RunOutcome};
pub use placement::BlockingMode;
pub use tally::{Check, Failure, FetchOutcome};
pub use threaded::Threaded;
pub use workload::{Workload, WorkloadKind, WorkloadSpec};
// Each workload's module and spec by its short name, from the workloads' registry.
pub use workloads::*;
