//! A fixed pool of worker threads fed through a crossbeam channel: the thread-pool
//! executor pattern, with the pool size as its one knob.

#![forbid(unsafe_code)]

mod pool;

use std::iter::Sum;

use shootout_core::{
    Backend, BackendError, BackendInfo, Config, Driver, Family, FetchSlots, Maintenance, Memory,
    SleepModel, Threaded, Upstream, Workload, driver,
};

pub use pool::Pool;

/// Runs every task and job as a boxed closure on a [`Pool`] of fixed size.
#[derive(Debug)]
pub struct Crossbeam {
    pool: Pool,
}

/// What `crossbeam` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "crossbeam",
    family: Family::ThreadPool,
    crates: &["crossbeam-channel"],
    summary: "a fixed pool of worker threads fed by a crossbeam channel (pool size = --threads)",
    maintenance: Maintenance::Crate(Upstream {
        crate_name: "crossbeam-channel",
        last_release: "0.5.17",
        released: None,
        discontinued: None,
        advisories: &[],
    }),
    sleep_model: SleepModel::BlocksWorkers,
    fetch_slots: FetchSlots::Concurrency,
    not_applicable: &[],
    blocking_modes: &[],
    driver: Driver::Caller,
    variants: &[],
    available: None,
    // A job in its queue; its W threads.
    memory: Memory {
        per_worker: 256 << 10,
        per_task: 4 << 10,
    },
    helper: None,
};

/// The pool size for `workload` with `threads` workers, as the workload says
/// ([`shootout_core::WorkloadSpec::pool_workers`]): the thread-pool-for-I/O pattern sizes
/// the pool to the requests in flight, and a pipeline needs a worker per producer and
/// consumer at once (blocked producers would otherwise starve the consumers).
pub fn pool_size(threads: u64, workload: &Workload) -> usize {
    workload.pool_workers(threads) as usize
}

impl Crossbeam {
    /// Starts a pool of `size` worker threads.
    pub fn new(size: usize) -> Result<Self, BackendError> {
        Ok(Crossbeam {
            pool: Pool::new(size)?,
        })
    }
}

impl Backend for Crossbeam {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            (
                "files".into(),
                "a pool of one thread per read in flight, each with its own handle on the \
                 file: std::fs::read (a whole file) and FileExt::read_exact_at (a block, \
                 pread); writes: FileExt::write_all_at (pwrite) and File::sync_data"
                    .into(),
            ),
            (
                "driver".into(),
                "the calling thread queues every job and collects the results".into(),
            ),
            (
                "spawn".into(),
                "one boxed closure per task through the pool's queue".into(),
            ),
            (
                "pipeline".into(),
                "crossbeam_channel::bounded(capacity), producers and consumers as pool jobs (the \
                 pool is built with producers + consumers workers, or blocked producers would \
                 starve the consumers)"
                    .into(),
            ),
            (
                "fetch".into(),
                "one closure per request, at most concurrency queued or running (the pool is \
                 built with size = concurrency for fetch); each worker keeps its own keep-alive \
                 std::net connection for the run, opened inside it"
                    .into(),
            ),
            ("workers".into(), self.pool.size().to_string()),
            (
                "queue".into(),
                "crossbeam_channel::unbounded of boxed closures".into(),
            ),
            (
                "sleep".into(),
                "std::thread::sleep, blocking one worker per task".into(),
            ),
            (
                "cpu_jobs".into(),
                "one closure per job on the workers".into(),
            ),
        ])
    }

    shootout_core::workload_methods!(threads);
}

impl Threaded for Crossbeam {
    fn each<T, F>(&self, count: u64, work: F) -> Result<T, BackendError>
    where
        T: Sum + Send + 'static,
        F: Fn(u64) -> T + Send + Sync + Clone + 'static,
    {
        driver::started();
        let total = self
            .pool
            .run_fold(jobs(count, work), None, |total: &mut Option<T>, x| {
                *total = Some(match total.take() {
                    None => x,
                    Some(sum) => [sum, x].into_iter().sum(),
                });
            })?;
        Ok(total.unwrap_or_else(|| std::iter::empty().sum()))
    }

    fn width(&self) -> Option<u64> {
        Some(self.pool.size() as u64)
    }

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
        driver::started();
        Some(self.pool.run_window(jobs(count, work), window, acc, fold))
    }
}

/// A queued job per index: `work(i)` for every `i` in `0..count`.
fn jobs<T, F>(count: u64, work: F) -> impl Iterator<Item = impl FnOnce() -> T + Send + 'static>
where
    F: Fn(u64) -> T + Send + Clone + 'static,
{
    (0..count).map(move |i| {
        let work = work.clone();
        move || work(i)
    })
}
