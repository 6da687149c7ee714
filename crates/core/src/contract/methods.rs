//! The `Backend` workload methods of a backend of each family, written once: a backend runs
//! every workload through the workload's own design for its family, in the workload's
//! module (`on_threads`, `on_executor`, `on_cores`, `on_processes`). A backend names its
//! family, never a workload.

/// The `Backend` workload methods of a backend of one family, used inside `impl Backend`
/// next to the backend's own `info` and `config`:
///
/// - `workload_methods!(threads)` for a [`crate::threaded::Threaded`] backend (`threads,
///   bare` adds the harness-free run, for a backend whose memory per task is measured);
/// - `workload_methods!(executor)` for a [`crate::executor::Executor`] (harness-free run
///   included);
/// - `workload_methods!(cores, Runtime, field)` for a thread-per-core backend whose
///   `field` is a [`crate::cores::PerCore`] running `Runtime` (a
///   [`crate::cores::LocalRuntime`]);
/// - `workload_methods!(processes, field)` for a backend whose `field` is a
///   [`crate::processes::Pool`] of worker processes.
#[macro_export]
macro_rules! workload_methods {
    (threads) => {
        $crate::workload_methods!(@run on_threads, [], []);
    };
    (threads, bare) => {
        $crate::workload_methods!(@bare bare_on_threads, [], []);
        $crate::workload_methods!(@run on_threads, [], []);
    };
    (executor) => {
        $crate::workload_methods!(@bare bare_on_executor, [], []);
        $crate::workload_methods!(@run on_executor, [], []);
    };
    (processes, $field:ident) => {
        $crate::workload_methods!(@run on_processes, [], [.$field]);
    };
    (cores, $runtime:ty, $field:ident) => {
        $crate::workload_methods!(@bare bare_on_cores, [::<$runtime, _>], [.$field]);
        $crate::workload_methods!(@run on_cores, [::<$runtime, _>], [.$field]);
    };
    (@bare $bare:ident, [$($turbofish:tt)*], [$($field:tt)*]) => {
        fn run_bare(&self, workload: &$crate::Workload) -> Result<u64, $crate::BackendError> {
            workload.$bare $($turbofish)* (&(*self) $($field)*)
        }
    };
    (@run $on:ident, [$($turbofish:tt)*], [$($field:tt)*]) => {
        fn run_admitted(
            &self,
            workload: &$crate::Workload,
            target: Option<&$crate::Target>,
        ) -> Result<$crate::RunOutcome, $crate::BackendError> {
            workload.$on $($turbofish)* (&(*self) $($field)*, target)
        }
    };
}
