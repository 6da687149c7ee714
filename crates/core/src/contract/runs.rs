//! How a workload runs on each family of backends: each workload's module implements
//! [`RunsOn`] from its designs for the families (`on_threads`, `on_executor`, `on_cores`,
//! and `on_processes` where it has one),
//! and a family's backend runs any [`Workload`] through it, naming none.

use crate::backend::{BackendError, BackendInfo};
use crate::cores::{LocalRuntime, PerCore};
use crate::executor::Executor;
use crate::fetch::Target;
use crate::outcome::RunOutcome;
use crate::processes::Pool;
use crate::threaded::Threaded;
use crate::workload::{Workload, WorkloadSpec};
use crate::workloads::each;

/// A workload's runs on each family. `target` is the server a `fetch` goes to (none: the
/// spec's own `url`); the other workloads ignore it.
pub trait RunsOn: WorkloadSpec {
    /// On a backend of OS threads.
    fn on_threads<B: Threaded>(
        &self,
        backend: &B,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError>;

    /// On a shared-executor async runtime.
    fn on_executor<E: Executor>(
        &self,
        executor: &E,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError>;

    /// On thread-per-core runtimes `R`, split over `cores`.
    fn on_cores<R: LocalRuntime, C: PerCore>(
        &self,
        cores: &C,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError>;

    /// On a pool of worker processes, in parts; none unless the workload has a design for
    /// one.
    fn on_processes<P: Pool>(
        &self,
        pool: &P,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        let _ = (pool, target);
        Err(BackendError::NotApplicable(no_design(self.kind())))
    }

    /// Part `part` of `parts` of a run on a pool of worker processes, done in the worker,
    /// as its answer to the parent ([`RunsOn::on_processes`]).
    fn in_worker(
        &self,
        part: u64,
        parts: u64,
        target: Option<&Target>,
    ) -> Result<crate::processes::Answer, String> {
        let _ = (part, parts, target);
        Err(no_design(self.kind()))
    }

    /// The harness-free version of a run on a backend of OS threads, where the workload
    /// has one: the minimal program (for `sleep`, `spawn(async move { sleep(d).await })` on
    /// the same timer), returning nothing and counting nothing but the tasks joined, to
    /// measure what the harness adds to each task's memory ([`WorkloadSpec::tasks_held`]).
    fn bare_on_threads<B: Threaded>(&self, backend: &B) -> Result<u64, BackendError> {
        let _ = backend;
        Err(no_bare(self.kind()))
    }

    /// The harness-free run on a shared-executor async runtime.
    fn bare_on_executor<E: Executor>(&self, executor: &E) -> Result<u64, BackendError> {
        let _ = executor;
        Err(no_bare(self.kind()))
    }

    /// The harness-free run on thread-per-core runtimes `R`, split over `cores`.
    fn bare_on_cores<R: LocalRuntime, C: PerCore>(&self, cores: &C) -> Result<u64, BackendError> {
        let _ = cores;
        Err(no_bare(self.kind()))
    }
}

/// Why a workload has no harness-free run.
fn no_bare(kind: crate::WorkloadKind) -> BackendError {
    BackendError::NotApplicable(format!("{kind} has no harness-free version"))
}

/// Why a workload does not run on a pool of processes.
fn no_design(kind: crate::WorkloadKind) -> String {
    format!("{kind} has no design for a pool of worker processes")
}

impl Workload {
    /// Whether a backend described by `info` runs this cell ([`WorkloadSpec::admits`]).
    pub fn admits(&self, info: &BackendInfo) -> Result<(), String> {
        each!(self, spec => spec.admits(info))
    }

    /// Runs it on a backend of OS threads ([`RunsOn::on_threads`]).
    pub fn on_threads<B: Threaded>(
        &self,
        backend: &B,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        each!(self, spec => spec.on_threads(backend, target))
    }

    /// Runs it on a shared-executor async runtime ([`RunsOn::on_executor`]).
    pub fn on_executor<E: Executor>(
        &self,
        executor: &E,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        each!(self, spec => spec.on_executor(executor, target))
    }

    /// Runs it on a pool of worker processes ([`RunsOn::on_processes`]).
    pub fn on_processes<P: Pool>(
        &self,
        pool: &P,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        each!(self, spec => spec.on_processes(pool, target))
    }

    /// Does one part of it in a worker process ([`RunsOn::in_worker`]).
    pub fn in_worker(
        &self,
        part: u64,
        parts: u64,
        target: Option<&Target>,
    ) -> Result<crate::processes::Answer, String> {
        each!(self, spec => spec.in_worker(part, parts, target))
    }

    /// Its harness-free run on a backend of OS threads ([`RunsOn::bare_on_threads`]).
    pub fn bare_on_threads<B: Threaded>(&self, backend: &B) -> Result<u64, BackendError> {
        each!(self, spec => spec.bare_on_threads(backend))
    }

    /// Its harness-free run on a shared-executor runtime ([`RunsOn::bare_on_executor`]).
    pub fn bare_on_executor<E: Executor>(&self, executor: &E) -> Result<u64, BackendError> {
        each!(self, spec => spec.bare_on_executor(executor))
    }

    /// Its harness-free run on thread-per-core runtimes ([`RunsOn::bare_on_cores`]).
    pub fn bare_on_cores<R: LocalRuntime, C: PerCore>(
        &self,
        cores: &C,
    ) -> Result<u64, BackendError> {
        each!(self, spec => spec.bare_on_cores::<R, C>(cores))
    }

    /// Runs it on thread-per-core runtimes ([`RunsOn::on_cores`]).
    pub fn on_cores<R: LocalRuntime, C: PerCore>(
        &self,
        cores: &C,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        each!(self, spec => spec.on_cores::<R, C>(cores, target))
    }
}

/// Implements [`RunsOn`] for `$spec` from the `on_threads`, `on_executor` and `on_cores` of
/// the module it is invoked in (each taking the family and the spec), their outputs mapped
/// into a [`RunOutcome`] by `$into`; with `processes`, from its `on_processes` and
/// `in_worker` (one part: its outcome) too. Used by the workloads without a target.
macro_rules! runs_on {
    ($spec:ty, $into:expr $(, $extra:ident)*) => {
        impl $crate::runs::RunsOn for $spec {
            fn on_threads<B: $crate::threaded::Threaded>(
                &self,
                backend: &B,
                _: Option<&$crate::fetch::Target>,
            ) -> Result<$crate::outcome::RunOutcome, $crate::backend::BackendError> {
                on_threads(backend, self).map($into)
            }

            fn on_executor<E: $crate::executor::Executor>(
                &self,
                executor: &E,
                _: Option<&$crate::fetch::Target>,
            ) -> Result<$crate::outcome::RunOutcome, $crate::backend::BackendError> {
                on_executor(executor, self).map($into)
            }

            fn on_cores<R: $crate::cores::LocalRuntime, C: $crate::cores::PerCore>(
                &self,
                cores: &C,
                _: Option<&$crate::fetch::Target>,
            ) -> Result<$crate::outcome::RunOutcome, $crate::backend::BackendError> {
                on_cores::<R, C>(cores, self).map($into)
            }

            $($crate::runs::runs_on!(@$extra $into);)*
        }
    };
    (@processes $into:expr) => {
        fn on_processes<P: $crate::processes::Pool>(
            &self,
            pool: &P,
            _: Option<&$crate::fetch::Target>,
        ) -> Result<$crate::outcome::RunOutcome, $crate::backend::BackendError> {
            on_processes(pool, self).map($into)
        }

        fn in_worker(
            &self,
            part: u64,
            _: u64,
            _: Option<&$crate::fetch::Target>,
        ) -> Result<$crate::processes::Answer, String> {
            $crate::processes::answer(in_worker(self, part))
        }
    };
    (@bare $into:expr) => {
        fn bare_on_threads<B: $crate::threaded::Threaded>(
            &self,
            backend: &B,
        ) -> Result<u64, $crate::backend::BackendError> {
            bare_on_threads(backend, self)
        }

        fn bare_on_executor<E: $crate::executor::Executor>(
            &self,
            executor: &E,
        ) -> Result<u64, $crate::backend::BackendError> {
            bare_on_executor(executor, self)
        }

        fn bare_on_cores<R: $crate::cores::LocalRuntime, C: $crate::cores::PerCore>(
            &self,
            cores: &C,
        ) -> Result<u64, $crate::backend::BackendError> {
            bare_on_cores::<R, C>(cores, self)
        }
    };
}

pub(crate) use runs_on;
