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

    /// W, the threads its CPU work is held to: a pool's width, and for a backend of a
    /// thread per job the `--threads` it was built with (cpu runs that many threads, each
    /// taking the next job).
    fn workers(&self) -> u64 {
        self.width().unwrap_or(1)
    }

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
