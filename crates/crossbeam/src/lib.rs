//! A fixed pool of worker threads fed through a crossbeam channel: the thread-pool
//! executor pattern, with the pool size as its one knob.

#![forbid(unsafe_code)]

mod pool;

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use shootout_core::client::BlockingClient;
use shootout_core::pipeline::{consume_value, message};
use shootout_core::{
    Backend, BackendError, BackendInfo, Config, CpuSpec, Driver, Family, FetchOutcome, FetchSlots,
    FetchSpec, Maintenance, Memory, Outcome, PipelineSpec, SleepModel, SleepSpec, SpawnSpec,
    Target, Upstream, Workload, WorkloadKind, cpu, driver, sleep, spawn,
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
    not_applicable: &[(
        WorkloadKind::Blocking,
        "a pool has no event loop to block: a ticker would be a job sleeping on one of the \
         pool's workers for the whole run, so tickers and CPU jobs just queue for W threads",
    )],
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

thread_local! {
    /// Each worker's keep-alive connection, kept between the jobs of one fetch run like a
    /// connection pool, with the run it belongs to.
    static CLIENT: RefCell<Option<(u64, BlockingClient)>> = const { RefCell::new(None) };
}

/// Numbers fetch runs, so no run reuses a connection an earlier one (its warm-up) opened:
/// every backend starts the timed run with no connection.
static RUN: AtomicU64 = AtomicU64::new(0);

/// The pool size for `workload` with `threads` workers: the thread-pool-for-I/O pattern
/// sizes the pool to the fetch concurrency, and a pipeline needs a worker per producer and
/// consumer at once (blocked producers would otherwise starve the consumers).
pub fn pool_size(threads: u64, workload: &Workload) -> usize {
    match workload {
        Workload::Fetch(spec) => spec.concurrency as usize,
        Workload::Pipeline(spec) => (spec.producers + spec.consumers) as usize,
        _ => threads as usize,
    }
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

    fn sleep(&self, spec: &SleepSpec) -> Result<Outcome, BackendError> {
        driver::started();
        let duration = spec.duration();
        self.pool.run_all((0..spec.tasks).map(|id| {
            move || {
                sleep::waiting();
                thread::sleep(duration);
                sleep::woke(id).into()
            }
        }))
    }

    fn fetch(&self, spec: &FetchSpec, target: &Target) -> Result<FetchOutcome, BackendError> {
        driver::started();
        let run = RUN.fetch_add(1, Ordering::Relaxed);
        let check = spec.check();
        let shared = Arc::new((spec.clone(), target.clone()));
        let schedule = spec.schedule();
        let jobs = (0..spec.requests).map(|id| {
            let (shared, schedule) = (shared.clone(), schedule.clone());
            move || {
                let (spec, target) = &*shared;
                CLIENT.with(|cell| {
                    let mut slot = cell.borrow_mut();
                    if slot.as_ref().is_none_or(|(of, _)| *of != run) {
                        *slot = Some((run, BlockingClient::new(target.clone(), spec.timeout())));
                    }
                    let (_, client) = slot.as_mut().expect("client set above");
                    client.fetch_paced(spec, id, &schedule)
                })
            }
        });
        // The pool bounds nothing by itself unless its size is the concurrency: a window
        // of `concurrency` jobs keeps the limit whatever size it was built with.
        let window = spec.concurrency as usize;
        self.pool
            .run_window(jobs, window, FetchOutcome::default(), |tally, fetched| {
                fetched.record_into(tally, &check)
            })
    }

    fn spawn(&self, spec: &SpawnSpec) -> Result<Outcome, BackendError> {
        driver::started();
        self.pool
            .run_all((0..spec.tasks).map(|id| move || spawn::task(id)))
    }

    fn pipeline(&self, spec: &PipelineSpec) -> Result<Outcome, BackendError> {
        driver::started();
        let ends = spec.producers + spec.consumers;
        if (self.pool.size() as u64) < ends {
            return Err(BackendError::Config(format!(
                "a pool of {} workers cannot run {} producers and {} consumers at once: \
                 producers blocked on a full queue would starve the consumers",
                self.pool.size(),
                spec.producers,
                spec.consumers
            )));
        }
        let spec = *spec;
        let (sender, receiver) = crossbeam_channel::bounded::<u64>(spec.capacity as usize);
        let producers = (0..spec.producers).map(|producer| {
            let sender = sender.clone();
            Box::new(move || {
                for id in spec.share(producer) {
                    // Consumers run until every sender is gone, so a send cannot fail.
                    let _ = sender.send(message(id));
                }
                Outcome::ZERO
            }) as Box<dyn FnOnce() -> Outcome + Send>
        });
        let consumers = (0..spec.consumers).map(|_| {
            let receiver = receiver.clone();
            Box::new(move || receiver.iter().map(consume_value).sum())
                as Box<dyn FnOnce() -> Outcome + Send>
        });
        let jobs: Vec<_> = producers.chain(consumers).collect();
        drop((sender, receiver));
        self.pool.run_all(jobs)
    }

    fn cpu(&self, spec: &CpuSpec) -> Result<Outcome, BackendError> {
        driver::started();
        self.pool
            .run_all(spec.ranges().map(|range| move || cpu::job(range)))
    }
}
