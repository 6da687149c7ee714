//! What a backend that runs plain closures on OS threads provides to the workloads written
//! once over it: a thread per job (`threads`), a queue-fed pool (`crossbeam`), a rayon
//! pool, or the calling thread (`sequential`). Each workload's design for these backends
//! lives in its own module (`on_threads`); a backend supplies only how it runs a batch of
//! jobs, its idiom.

use std::iter::Sum;

use crate::backend::BackendError;
use crate::outcome::Outcome;

/// A backend whose jobs are closures on OS threads.
pub trait Threaded: Sync {
    /// Runs `work(i)` for every `i` in `0..count` the backend's way (a thread each, a job
    /// each on its pool, a parallel iterator, a loop on the caller) and sums the outputs.
    /// Marks the driver started ([`crate::driver::started`]) on the thread that drives.
    fn each<T, F>(&self, count: u64, work: F) -> Result<T, BackendError>
    where
        T: Sum + Send + 'static,
        F: Fn(u64) -> T + Send + Sync + Clone + 'static;

    /// The task-group idiom the `spawn` workload measures: by default [`Threaded::each`]
    /// (rayon's is a scope).
    fn group<F>(&self, count: u64, work: F) -> Result<Outcome, BackendError>
    where
        F: Fn(u64) -> Outcome + Send + Sync + Clone + 'static,
    {
        self.each(count, work)
    }

    /// How many jobs run at once: `None` when each job is its own thread, `Some(1)` on the
    /// calling thread alone.
    fn width(&self) -> Option<u64>;

    /// A queue-fed pool's idiom for many small jobs: `work(i)` for every `i` in
    /// `0..count` as one queued job each, at most `window` queued or running, each output
    /// folded into `acc` on the calling thread as it comes back. `None` for a backend
    /// without a queue: the workload keeps `window` long-lived jobs instead.
    fn windowed<T, A, F>(
        &self,
        count: u64,
        window: usize,
        work: F,
        acc: A,
        fold: impl FnMut(&mut A, T),
    ) -> Option<Result<A, BackendError>>
    where
        T: Send + 'static,
        F: Fn(u64) -> T + Send + Sync + Clone + 'static,
    {
        let _ = (count, window, work, acc, fold);
        None
    }
}

/// The `Backend` workload methods of a [`Threaded`] backend, each the workload's own
/// design (`on_threads` in its module) on `self`. Used inside `impl Backend`, next to the
/// backend's own `info` and `config`; `threaded_methods!(bare)` adds the harness-free sleep
/// (for a backend whose memory per task is measured).
#[macro_export]
macro_rules! threaded_methods {
    (bare) => {
        fn sleep_bare(&self, spec: &$crate::SleepSpec) -> Result<u64, $crate::BackendError> {
            $crate::sleep::bare_on_threads(self, spec)
        }

        $crate::threaded_methods!();
    };
    () => {
        fn sleep(&self, spec: &$crate::SleepSpec) -> Result<$crate::Outcome, $crate::BackendError> {
            $crate::sleep::on_threads(self, spec)
        }

        fn spawn(&self, spec: &$crate::SpawnSpec) -> Result<$crate::Outcome, $crate::BackendError> {
            $crate::spawn::on_threads(self, spec)
        }

        fn cpu(&self, spec: &$crate::CpuSpec) -> Result<$crate::Outcome, $crate::BackendError> {
            $crate::cpu::on_threads(self, spec)
        }

        fn blocking(
            &self,
            spec: &$crate::BlockingSpec,
        ) -> Result<$crate::TickOutcome, $crate::BackendError> {
            $crate::blocking::on_threads(self, spec)
        }

        fn pipeline(
            &self,
            spec: &$crate::PipelineSpec,
        ) -> Result<$crate::Outcome, $crate::BackendError> {
            $crate::pipeline::on_threads(self, spec)
        }

        fn fetch(
            &self,
            spec: &$crate::FetchSpec,
            target: &$crate::Target,
        ) -> Result<$crate::FetchOutcome, $crate::BackendError> {
            $crate::fetch::on_threads(self, spec, target)
        }
    };
}
