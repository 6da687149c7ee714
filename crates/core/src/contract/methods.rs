//! The `Backend` workload methods of a backend of each family, written once: every method is
//! the workload's own design for the family, in the workload's module (`on_threads`,
//! `on_executor`, `on_cores`). A backend names its family, never a workload.

/// The `Backend` workload methods of a backend of one family, used inside `impl Backend`
/// next to the backend's own `info` and `config`:
///
/// - `workload_methods!(threads)` for a [`crate::threaded::Threaded`] backend (`threads,
///   bare` adds the harness-free sleep, for a backend whose memory per task is measured);
/// - `workload_methods!(executor)` for a [`crate::executor::Executor`] (harness-free sleep
///   included);
/// - `workload_methods!(cores, Runtime, field)` for a thread-per-core backend whose
///   `field` is a [`crate::cores::PerCore`] running `Runtime` (a
///   [`crate::cores::LocalRuntime`]).
#[macro_export]
macro_rules! workload_methods {
    (threads) => {
        $crate::workload_methods!(@each on_threads, [], []);
    };
    (threads, bare) => {
        $crate::workload_methods!(@bare bare_on_threads, [], []);
        $crate::workload_methods!(@each on_threads, [], []);
    };
    (executor) => {
        $crate::workload_methods!(@bare bare_on_executor, [], []);
        $crate::workload_methods!(@each on_executor, [], []);
    };
    (cores, $runtime:ty, $field:ident) => {
        $crate::workload_methods!(@bare bare_on_cores, [::<$runtime, _>], [.$field]);
        $crate::workload_methods!(@each on_cores, [::<$runtime, _>], [.$field]);
    };
    (@bare $bare:ident, [$($turbofish:tt)*], [$($field:tt)*]) => {
        fn sleep_bare(&self, spec: &$crate::SleepSpec) -> Result<u64, $crate::BackendError> {
            $crate::sleep::$bare $($turbofish)* (&(*self) $($field)*, spec)
        }
    };
    (@each $on:ident, [$($turbofish:tt)*], [$($field:tt)*]) => {
        fn sleep(
            &self,
            spec: &$crate::SleepSpec,
        ) -> Result<$crate::Outcome, $crate::BackendError> {
            $crate::sleep::$on $($turbofish)* (&(*self) $($field)*, spec)
        }

        fn spawn(
            &self,
            spec: &$crate::SpawnSpec,
        ) -> Result<$crate::Outcome, $crate::BackendError> {
            $crate::spawn::$on $($turbofish)* (&(*self) $($field)*, spec)
        }

        fn cpu(&self, spec: &$crate::CpuSpec) -> Result<$crate::Outcome, $crate::BackendError> {
            $crate::cpu::$on $($turbofish)* (&(*self) $($field)*, spec)
        }

        fn blocking(
            &self,
            spec: &$crate::BlockingSpec,
        ) -> Result<$crate::TickOutcome, $crate::BackendError> {
            $crate::blocking::$on $($turbofish)* (&(*self) $($field)*, spec)
        }

        fn pipeline(
            &self,
            spec: &$crate::PipelineSpec,
        ) -> Result<$crate::Outcome, $crate::BackendError> {
            $crate::pipeline::$on $($turbofish)* (&(*self) $($field)*, spec)
        }

        fn fetch(
            &self,
            spec: &$crate::FetchSpec,
            target: &$crate::Target,
        ) -> Result<$crate::FetchOutcome, $crate::BackendError> {
            $crate::fetch::$on $($turbofish)* (&(*self) $($field)*, spec, target)
        }
    };
}
