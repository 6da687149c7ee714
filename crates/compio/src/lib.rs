//! compio: a completion-based, thread-per-core runtime (io_uring on Linux, IOCP on
//! Windows). Configured as its docs recommend: W threads, each running its own runtime,
//! nothing shared between them; a workload is split into W shares, one per runtime, and each
//! share runs as local (`!Send`) tasks on its own core. Blocking work goes to the runtime's
//! own thread pool (`compio::runtime::spawn_blocking`, its default size: see `RUNTIME`).
//!
//! What the report's numbers show about it here: 2 cores, loopback, a server sharing the
//! cores; the advantage completion-based I/O claims needs many cores and real NICs.

#![forbid(unsafe_code)]

mod fetch;

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use shootout_core::blocking::{self, JobDone, TickLog, Ticker};
use shootout_core::pipeline::{consume_value, message};
use shootout_core::{
    Backend, BackendError, BackendInfo, BlockingMode, BlockingSpec, Config, CpuSpec, Driver,
    Family, FetchOutcome, FetchSlots, FetchSpec, Maintenance, Outcome, PipelineSpec, SleepModel,
    SleepSpec, SpawnSpec, Target, TickOutcome, cpu, driver, sleep, spawn,
};

use compio::driver::ProactorBuilder;
use compio::runtime::RuntimeBuilder;
use shootout_percore::{Local, Runtime, Workers, share};

// The blocking pool is compio's default (up to 256 threads per runtime), not capped at W
// as the other backends' pools are: when its pool is full, compio's io_uring driver waits
// for a free thread by spinning the event loop (`yield_now` in `push_blocking`), so with a
// cap of W the fourth offloaded job stalls every ticker (measured: p99 80-88 ms against
// 1.5 ms on tokio). The page shows its CPU work on more threads than W as a result.

/// compio's pieces for the thread-per-core workers.
const RUNTIME: Runtime = Runtime {
    name: "compio-worker",
    run: |serve| {
        let runtime = RuntimeBuilder::new()
            .with_proactor(ProactorBuilder::new())
            .build()?;
        runtime.block_on(serve);
        Ok(())
    },
    spawn: |task| compio::runtime::spawn(task).detach(),
};

/// W compio runtimes, one per thread.
#[derive(Debug)]
pub struct Compio {
    workers: Workers,
}

/// What `compio` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "compio",
    family: Family::IoUringRuntime,
    crates: &["compio", "compio-runtime", "compio-driver", "io-uring"],
    summary: "compio: --threads completion-based (io_uring) runtimes, one per thread, work split across them",
    maintenance: Maintenance::Maintained,
    sleep_model: SleepModel::Async,
    fetch_slots: FetchSlots::Concurrency,
    not_applicable: &[],
    // CPU work inline on the cores (thread-per-core), or on the blocking pool the runtimes
    // thread pool (`compio::runtime::spawn_blocking`, its default size: see `RUNTIME`).
    blocking_modes: &[BlockingMode::Inline, BlockingMode::Offload],
    driver: Driver::Runtime {
        threads: "compio-worker",
    },
    variants: &[],
    available: Some(probe),
};

/// Set to anything to make the io_uring runtimes report themselves unavailable (how the
/// tests take the unavailable path on a machine where io_uring works).
pub const DISABLE_ENV: &str = "SHOOTOUT_DISABLE_IO_URING";

/// Whether io_uring works here: builds a runtime on this thread and drops it. Fails with
/// the OS's reason on an old kernel, with `kernel.io_uring_disabled`, under a seccomp
/// profile that blocks it, or with too little locked memory.
pub fn probe() -> Result<(), String> {
    if std::env::var_os(DISABLE_ENV).is_some() {
        return Err(format!("io_uring is disabled by {DISABLE_ENV}"));
    }
    // The default driver is io_uring on Linux, and falls back to polling only when built
    // without it: a runtime that builds is one that can run here.
    compio::runtime::Runtime::new()
        .map(drop)
        .map_err(|err| format!("io_uring is unavailable: {err}"))
}

impl Compio {
    /// Starts `workers` threads, each with its own io_uring runtime.
    pub fn new(workers: usize) -> Result<Self, BackendError> {
        let workers = workers.max(1);
        Ok(Compio {
            workers: Workers::start(workers, RUNTIME)?,
        })
    }

    /// Runs `make(range)` on every runtime, for its share of `0..total`, and sums.
    fn split<F>(&self, total: u64, make: F) -> Result<Outcome, BackendError>
    where
        F: Fn(std::ops::Range<u64>) -> Local<Outcome> + Send + Sync + Clone + 'static,
    {
        let count = self.workers.count();
        let parts = self.workers.scatter(move |i| {
            driver::started();
            make(share(total, i, count))
        })?;
        Ok(parts.into_iter().sum())
    }
}

/// Runs `job` where `mode` says, on the current runtime: `inline` as a local task (it
/// holds this runtime's thread until done), `offload` on the shared blocking pool.
fn place<T: Send + 'static>(
    mode: BlockingMode,
    job: impl FnOnce() -> T + Send + 'static,
) -> Local<T> {
    match mode {
        BlockingMode::Offload => {
            let handle = compio::runtime::spawn_blocking(job);
            Box::pin(async move { handle.await.expect("a blocking job always answers") })
        }
        _ => {
            let handle = compio::runtime::spawn(async move { job() });
            Box::pin(async move { handle.await.expect("a local job always answers") })
        }
    }
}

/// A runtime's pair of pipeline ends.
type Ends = (async_channel::Sender<u64>, async_channel::Receiver<u64>);

/// Awaits every local task of a share, summing.
async fn join<T: Into<Outcome>>(handles: Vec<compio::runtime::JoinHandle<T>>) -> Outcome {
    let mut total = Outcome::ZERO;
    for handle in handles {
        // A task that panicked is missing from the sum: verification fails the run.
        if let Ok(part) = handle.await {
            total += part.into();
        }
    }
    total
}

impl Backend for Compio {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            ("workers".into(), self.workers.count().to_string()),
            (
                "runtime".into(),
                "compio RuntimeBuilder with the default ProactorBuilder (io_uring; blocking pool of up to 256), \
                 one per thread; jobs reach a runtime over an async-channel and run as local \
                 tasks"
                    .into(),
            ),
            (
                "driver".into(),
                "the work is split into W shares; each share's driver is a task on its own \
                 runtime"
                    .into(),
            ),
            (
                "sleep".into(),
                "compio::time::sleep in local tasks, tasks split across the runtimes".into(),
            ),
            (
                "spawn".into(),
                "compio::runtime::spawn per task on each runtime's share, JoinHandles awaited in order"
                    .into(),
            ),
            (
                "pipeline".into(),
                "async_channel::bounded(capacity) (MPMC across the runtimes), producers and \
                 consumers dealt round-robin to the runtimes"
                    .into(),
            ),
            (
                "fetch".into(),
                "concurrency worker tasks dealt to the runtimes, each pulling request ids and \
                 sending them on its own compio::net::TcpStream (completion-based, owned buffers)"
                    .into(),
            ),
            (
                "cpu_jobs".into(),
                "jobs split across the runtimes; each on the blocking pool the runtimes share \
                 (compio::runtime::spawn_blocking on its default pool of up to 256 threads per runtime: capped at W, a full pool spins the event loop); inline mode: a local task on its runtime's core"
                    .into(),
            ),
            (
                "blocking".into(),
                "tickers and CPU jobs dealt round-robin to the runtimes; tickers: local tasks \
                 on compio::time::sleep to the deadline; jobs: inline = a local task (the \
                 pitfall), offload = compio::runtime::spawn_blocking"
                    .into(),
            ),
        ])
    }

    fn sleep(&self, spec: &SleepSpec) -> Result<Outcome, BackendError> {
        let duration = spec.duration();
        self.split(spec.tasks, move |ids| {
            Box::pin(async move {
                let handles = ids
                    .map(|id| {
                        compio::runtime::spawn(async move {
                            sleep::waiting();
                            compio::time::sleep(duration).await;
                            sleep::woke(id)
                        })
                    })
                    .collect();
                join(handles).await
            })
        })
    }

    fn sleep_bare(&self, spec: &SleepSpec) -> Result<u64, BackendError> {
        let duration = spec.duration();
        let outcome = self.split(spec.tasks, move |ids| {
            Box::pin(async move {
                let handles: Vec<_> = ids
                    .map(|_| {
                        compio::runtime::spawn(async move { compio::time::sleep(duration).await })
                    })
                    .collect();
                let mut joined = 0;
                for handle in handles {
                    joined += u64::from(handle.await.is_ok());
                }
                Outcome {
                    ops: joined,
                    checksum: 0,
                }
            })
        })?;
        Ok(outcome.ops)
    }

    fn spawn(&self, spec: &SpawnSpec) -> Result<Outcome, BackendError> {
        self.split(spec.tasks, |ids| {
            Box::pin(async move {
                let handles = ids
                    .map(|id| compio::runtime::spawn(async move { spawn::task(id) }))
                    .collect();
                join(handles).await
            })
        })
    }

    fn cpu(&self, spec: &CpuSpec) -> Result<Outcome, BackendError> {
        let spec = *spec;
        let mode = spec.mode.unwrap_or(BlockingMode::Offload);
        self.split(spec.jobs, move |jobs| {
            Box::pin(async move {
                let handles: Vec<_> = jobs
                    .map(|job| place(mode, move || cpu::job(spec.range(job))))
                    .collect();
                let mut total = Outcome::ZERO;
                for handle in handles {
                    total += handle.await;
                }
                total
            })
        })
    }

    fn blocking(&self, spec: &BlockingSpec) -> Result<TickOutcome, BackendError> {
        let spec = *spec;
        let count = self.workers.count() as u64;
        let start = Instant::now();
        let parts = self.workers.scatter(move |i| {
            driver::started();
            Box::pin(async move {
                // Tickers and jobs dealt round-robin to the runtimes.
                let mine = |n: u64| n % count == i as u64;
                let tickers: Vec<_> = (0..spec.tickers)
                    .filter(|&id| mine(id))
                    .map(|id| {
                        compio::runtime::spawn(async move {
                            let mut ticker = Ticker::new(id, &spec, start);
                            while let Some(deadline) = ticker.next_deadline() {
                                compio::time::sleep(
                                    deadline.saturating_duration_since(Instant::now()),
                                )
                                .await;
                                ticker.tick();
                            }
                            ticker.finish()
                        })
                    })
                    .collect();
                let jobs: Vec<_> = (0..spec.jobs)
                    .filter(|&job| mine(job))
                    .map(|job| {
                        place(spec.mode, move || {
                            blocking::job(spec.cpu().range(job), start)
                        })
                    })
                    .collect();
                let mut done: Vec<JobDone> = Vec::with_capacity(jobs.len());
                for job in jobs {
                    done.push(job.await);
                }
                let mut logs: Vec<TickLog> = Vec::with_capacity(tickers.len());
                for ticker in tickers {
                    logs.push(ticker.await.expect("a ticker always finishes"));
                }
                (logs, done)
            }) as Local<(Vec<TickLog>, Vec<JobDone>)>
        })?;
        let (logs, jobs): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
        Ok(TickOutcome::collect(
            logs.into_iter().flatten(),
            jobs.into_iter().flatten(),
        ))
    }

    fn pipeline(&self, spec: &PipelineSpec) -> Result<Outcome, BackendError> {
        let spec = *spec;
        let (sender, receiver) = async_channel::bounded::<u64>(spec.capacity as usize);
        let count = self.workers.count() as u64;
        // Each runtime takes its own pair of ends, so that no other copy outlives the
        // producers (consumers stop when the last sender is gone).
        let ends: Arc<Vec<Mutex<Option<Ends>>>> = Arc::new(
            (0..count)
                .map(|_| Mutex::new(Some((sender.clone(), receiver.clone()))))
                .collect(),
        );
        drop((sender, receiver));
        let parts = self.workers.scatter(move |i| {
            driver::started();
            let (sender, receiver) = ends[i]
                .lock()
                .expect("ends lock")
                .take()
                .expect("each runtime takes its ends once");
            Box::pin(async move {
                // Ends dealt round-robin: producer p and consumer c on runtime p % W and
                // (producers + c) % W.
                let mine = |end: u64| end % count == i as u64;
                let producers: Vec<_> = (0..spec.producers)
                    .filter(|&p| mine(p))
                    .map(|p| {
                        let sender = sender.clone();
                        compio::runtime::spawn(async move {
                            for id in spec.share(p) {
                                // Consumers run until every sender is gone.
                                let _ = sender.send(message(id)).await;
                            }
                            Outcome::ZERO
                        })
                    })
                    .collect();
                drop(sender);
                let consumers: Vec<_> = (0..spec.consumers)
                    .filter(|&c| mine(spec.producers + c))
                    .map(|_| {
                        let receiver = receiver.clone();
                        compio::runtime::spawn(async move {
                            let mut total = Outcome::ZERO;
                            while let Ok(value) = receiver.recv().await {
                                total += consume_value(value);
                            }
                            total
                        })
                    })
                    .collect();
                drop(receiver);
                join(producers).await + join(consumers).await
            }) as Local<Outcome>
        })?;
        Ok(parts.into_iter().sum())
    }

    fn fetch(&self, spec: &FetchSpec, target: &Target) -> Result<FetchOutcome, BackendError> {
        let (spec, target) = (Arc::new(spec.clone()), Arc::new(target.clone()));
        let next = Arc::new(AtomicU64::new(0));
        let epoch = Instant::now();
        let clients = spec.concurrency.min(spec.requests).max(1);
        let count = self.workers.count();
        let parts = self.workers.scatter(move |i| {
            driver::started();
            let workers = share(clients, i, count);
            Box::pin(fetch::share(
                spec.clone(),
                target.clone(),
                next.clone(),
                epoch,
                workers.end - workers.start,
            )) as Local<FetchOutcome>
        })?;
        let mut total = FetchOutcome::default();
        for part in parts {
            total.merge(part);
        }
        Ok(total)
    }
}
