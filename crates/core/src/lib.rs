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
//! Workload::Cpu(spec).verify(&outcome.into())?;
//! assert_eq!(outcome.checksum, 332_833_500);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod backend;
pub mod blocking;
pub mod body;
pub mod client;
pub mod conformance;
pub mod cpu;
pub mod design;
pub mod driver;
pub mod error;
pub mod exchange;
pub mod fault;
pub mod fetch;
pub mod http;
pub mod join;
pub mod kernel;
pub mod mpmc;
pub mod outcome;
pub mod params;
pub mod pipeline;
pub mod placement;
pub mod random;
pub mod results;
pub mod runtime;
pub mod sample;
pub mod schedule;
pub mod sleep;
pub mod spawn;
pub mod stats;
pub mod tally;
pub mod workers;
pub mod workload;

pub use backend::{
    Advisory, Backend, BackendError, BackendInfo, Config, Driver, Family, FetchSlots, Helper,
    Maintenance, Memory, SleepModel, Upstream,
};
pub use blocking::{BlockingMode, BlockingSpec, TickOutcome};
pub use cpu::CpuSpec;
pub use design::{Channel, Client, SpawnFrom, Variant};
pub use error::SpecError;
pub use fetch::{FetchSpec, Target};
pub use outcome::{Mismatch, Outcome, RunOutcome};
pub use pipeline::PipelineSpec;
pub use sleep::SleepSpec;
pub use spawn::SpawnSpec;
pub use tally::{Check, Failure, FetchOutcome};
pub use workload::{Workload, WorkloadKind, WorkloadSpec};
