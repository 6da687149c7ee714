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

/// The `Backend` workload methods of a shared-executor backend, each the workload's own
/// design (`on_executor` in its module) on `self` (an [`Executor`]). Used inside
/// `impl Backend`, next to the backend's own `info` and `config`.
#[macro_export]
macro_rules! workload_methods {
    () => {
        fn sleep(
            &self,
            spec: &::shootout_core::SleepSpec,
        ) -> Result<::shootout_core::Outcome, ::shootout_core::BackendError> {
            ::shootout_core::sleep::on_executor(self, spec)
        }

        fn sleep_bare(
            &self,
            spec: &::shootout_core::SleepSpec,
        ) -> Result<u64, ::shootout_core::BackendError> {
            ::shootout_core::sleep::bare_on_executor(self, spec)
        }

        fn spawn(
            &self,
            spec: &::shootout_core::SpawnSpec,
        ) -> Result<::shootout_core::Outcome, ::shootout_core::BackendError> {
            ::shootout_core::spawn::on_executor(self, spec)
        }

        fn cpu(
            &self,
            spec: &::shootout_core::CpuSpec,
        ) -> Result<::shootout_core::Outcome, ::shootout_core::BackendError> {
            ::shootout_core::cpu::on_executor(self, spec)
        }

        fn blocking(
            &self,
            spec: &::shootout_core::BlockingSpec,
        ) -> Result<::shootout_core::TickOutcome, ::shootout_core::BackendError> {
            ::shootout_core::blocking::on_executor(self, spec)
        }

        fn pipeline(
            &self,
            spec: &::shootout_core::PipelineSpec,
        ) -> Result<::shootout_core::Outcome, ::shootout_core::BackendError> {
            ::shootout_core::pipeline::on_executor(self, spec)
        }

        fn fetch(
            &self,
            spec: &::shootout_core::FetchSpec,
            target: &::shootout_core::Target,
        ) -> Result<::shootout_core::FetchOutcome, ::shootout_core::BackendError> {
            ::shootout_core::fetch::on_executor(self, spec, target)
        }
    };
}
