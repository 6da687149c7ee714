//! The async runtimes that run one executor on W threads (tokio, smol, async-std), with
//! every workload written once over [`AsyncRuntime`], as `shootout-percore` does for the
//! thread-per-core io_uring runtimes. A backend supplies its runtime's primitives (an
//! [`AsyncRuntime`]), how the calling thread waits on it (an [`Executor`]), the words its
//! settings are shown with, and the idioms it is measured with on purpose: its task group,
//! its own channel, its task-per-request client. Not a backend: no backend depends on
//! another.

#![forbid(unsafe_code)]

pub mod channel;
mod place;
pub mod request;
mod words;
pub mod workloads;

use std::future::Future;

use shootout_core::runtime::AsyncRuntime;
use shootout_core::{
    BackendError, BackendInfo, BlockingMode, Driver, Family, FetchOutcome, FetchSlots, FetchSpec,
    Maintenance, Memory, Outcome, PipelineSpec, SleepModel, Target,
};
use shootout_handoff::Handoff;

pub use place::place;
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

/// A built runtime as the calling thread sees it: how to wait on it, and what it holds.
pub trait Executor: Send + Sync + 'static {
    /// The runtime's primitives, as its tasks use them.
    type Runtime: AsyncRuntime;

    /// A handle on the runtime for the driver task.
    fn runtime(&self) -> Self::Runtime;

    /// Runs `future` to its end on the calling thread (the runtime's `block_on`).
    fn block_on<T>(&self, future: impl Future<Output = T>) -> T;

    /// The rayon pool the `rayon` placement hands CPU jobs to.
    fn handoff(&self) -> &Handoff;

    /// The pipeline on the runtime's own channel (the `own-channel` variant). Asked only of
    /// a backend whose `BackendInfo::variants` lists it.
    fn own_channel(
        runtime: Self::Runtime,
        spec: PipelineSpec,
    ) -> impl Future<Output = Result<Outcome, BackendError>> + Send + 'static {
        let _ = (runtime, spec);
        async { unreachable!("own-channel is asked only of backends that list it") }
    }

    /// The fetch client with a task per request (the `task-per-request` variant): by
    /// default the shared shape of smol and async-std, [`request::detached`]. Asked only of
    /// a backend whose `BackendInfo::variants` lists it.
    fn per_request(
        runtime: Self::Runtime,
        spec: FetchSpec,
        target: Target,
    ) -> impl Future<Output = Result<FetchOutcome, BackendError>> + Send + 'static {
        request::detached(runtime, spec, target)
    }
}

/// The `Backend` workload methods of a shared-executor backend, each a call to the
/// workload written once in [`workloads`] on `self` (an [`Executor`]). Used inside
/// `impl Backend`, next to the backend's own `info` and `config`.
#[macro_export]
macro_rules! workload_methods {
    () => {
        fn sleep(
            &self,
            spec: &::shootout_core::SleepSpec,
        ) -> Result<::shootout_core::Outcome, ::shootout_core::BackendError> {
            $crate::workloads::sleep(self, spec)
        }

        fn sleep_bare(
            &self,
            spec: &::shootout_core::SleepSpec,
        ) -> Result<u64, ::shootout_core::BackendError> {
            $crate::workloads::sleep_bare(self, spec)
        }

        fn spawn(
            &self,
            spec: &::shootout_core::SpawnSpec,
        ) -> Result<::shootout_core::Outcome, ::shootout_core::BackendError> {
            $crate::workloads::spawn(self, spec)
        }

        fn cpu(
            &self,
            spec: &::shootout_core::CpuSpec,
        ) -> Result<::shootout_core::Outcome, ::shootout_core::BackendError> {
            $crate::workloads::cpu(self, spec)
        }

        fn blocking(
            &self,
            spec: &::shootout_core::BlockingSpec,
        ) -> Result<::shootout_core::TickOutcome, ::shootout_core::BackendError> {
            $crate::workloads::blocking(self, spec)
        }

        fn pipeline(
            &self,
            spec: &::shootout_core::PipelineSpec,
        ) -> Result<::shootout_core::Outcome, ::shootout_core::BackendError> {
            $crate::workloads::pipeline(self, spec)
        }

        fn fetch(
            &self,
            spec: &::shootout_core::FetchSpec,
            target: &::shootout_core::Target,
        ) -> Result<::shootout_core::FetchOutcome, ::shootout_core::BackendError> {
            $crate::workloads::fetch(self, spec, target)
        }
    };
}
