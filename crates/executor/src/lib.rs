//! The async runtimes that run one executor on W threads (tokio, smol, async-std): what
//! they share besides the workloads, which are written once over
//! [`shootout_core::executor::Executor`] in each workload's own module. A backend supplies
//! its runtime's primitives, how the calling thread waits on it, the words its settings are
//! shown with, and the idioms it is measured with on purpose (its task group, its own
//! channel, its task-per-request client). Not a backend: no backend depends on another.

#![forbid(unsafe_code)]

mod words;

use shootout_core::{
    BackendInfo, BlockingMode, Driver, Family, FetchSlots, Maintenance, Memory, SleepModel,
};

pub use shootout_core::executor::{Executor, Offload, OwnChannel, Unoffered};
pub use words::Words;

/// What every shared-executor runtime is, for a backend's `BackendInfo` to start from
/// (`BackendInfo { name, crates, summary, maintenance, driver, variants, ..ASYNC_RUNTIME }`):
/// an async runtime whose tasks all sleep at once, that keeps `concurrency` requests in
/// flight, runs every workload and places CPU jobs inline, offloaded or on rayon. Its name,
/// crates, summary, maintenance, driver and variants are placeholders every backend gives.
pub const ASYNC_RUNTIME: BackendInfo = BackendInfo {
    name: "",
    family: Family::AsyncRuntime,
    crates: &[],
    summary: "",
    maintenance: Maintenance::Std,
    sleep_model: SleepModel::Async,
    fetch_slots: FetchSlots::Concurrency,
    not_applicable: &[],
    blocking_modes: &BlockingMode::POOLED,
    driver: Driver::EventLoop,
    variants: &[],
    available: None,
    // Measured: 273 to 456 B per sleeping task at 1M, by runtime.
    memory: Memory {
        per_worker: 256 << 10,
        per_task: 640,
    },
    helper: None,
};
