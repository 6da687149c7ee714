//! async-std, kept because teams still run it although its authors discontinued it
//! (RUSTSEC-2025-0052). Its runtime is process-global: the first backend built fixes the
//! worker count for the life of the process, which the shootout's one-trial-per-process
//! design makes harmless. CPU jobs go to `task::spawn_blocking`, capped at W threads.

#![forbid(unsafe_code)]

mod fetch;
mod pitfall;
mod placement;
mod runtime;

use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::OnceLock;

use async_global_executor::GlobalExecutorConfig;
use async_std::task::{self, JoinHandle};
use shootout_core::join::await_each;
use shootout_core::pipeline::{consume_value, message};
use shootout_core::{
    Advisory, Backend, BackendError, BackendInfo, BlockingMode, BlockingSpec, Channel, Client,
    Config, CpuSpec, Driver, Family, FetchOutcome, FetchSlots, FetchSpec, Maintenance, Memory,
    Outcome, PipelineSpec, SleepModel, SleepSpec, SpawnFrom, SpawnSpec, Target, TickOutcome,
    Upstream, Variant, cpu, driver, mpmc, sleep, spawn, workers,
};

/// A handle on async-std's global runtime, started with a fixed number of workers.
#[derive(Debug)]
pub struct AsyncStd {
    workers: usize,
    rayon: shootout_handoff::Handoff,
}

/// What `async-std` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "async-std",
    family: Family::AsyncRuntime,
    crates: &["async-std", "async-global-executor", "blocking"],
    summary: "async-std global runtime with --threads workers; CPU jobs via spawn_blocking (discontinued upstream)",
    maintenance: Maintenance::Crate(Upstream {
        crate_name: "async-std",
        last_release: "1.13.2",
        released: None,
        discontinued: Some("RUSTSEC-2025-0052"),
        advisories: &[Advisory {
            id: "RUSTSEC-2025-0052",
            affects: "async-std 1.13.2",
            kind: "unmaintained",
        }],
    }),
    sleep_model: SleepModel::Async,
    fetch_slots: FetchSlots::Concurrency,
    not_applicable: &[],
    blocking_modes: &[
        BlockingMode::Inline,
        BlockingMode::Offload,
        BlockingMode::Rayon,
    ],
    driver: Driver::Runtime {
        threads: "async-global-executor",
    },
    // async-std's own channel is async-channel 1.x, the shared one 2.x: measured 5x
    // apart on the quick pipeline (about 31M against 6.7M msg/s), so both are shown.
    variants: &[
        Variant::SpawnFromOutside,
        Variant::OwnChannel,
        Variant::TaskPerRequest,
    ],
    available: None,
    // Measured: 377 B per sleeping task at 1M.
    memory: Memory {
        per_worker: 256 << 10,
        per_task: 640,
    },
    helper: None,
};

/// The worker count the global runtime was started with, once it has been.
static STARTED_WITH: OnceLock<usize> = OnceLock::new();

impl AsyncStd {
    /// Starts the global runtime with `workers` executor threads (and caps the blocking
    /// pool at `workers`), or errs if it already runs with a different count.
    pub fn new(workers: usize) -> Result<Self, BackendError> {
        let cap = NonZeroUsize::new(workers)
            .ok_or_else(|| BackendError::Config("async-std needs at least one worker".into()))?;
        let started = *STARTED_WITH.get_or_init(|| {
            // Must run before async-std's own lazy init, which would size the pool from
            // ASYNC_STD_THREAD_COUNT or the core count instead.
            async_global_executor::init_with_config(
                GlobalExecutorConfig::default()
                    .with_min_threads(workers)
                    .with_max_threads(workers),
            );
            workers
        });
        if started != workers {
            return Err(BackendError::Config(format!(
                "async-std's global runtime already runs {started} workers in this process; \
                 it cannot be restarted with {workers}"
            )));
        }
        blocking::set_max_blocking_threads(cap);
        Ok(AsyncStd {
            workers,
            rayon: shootout_handoff::Handoff::new(workers),
        })
    }

    /// Runs `driver` as a task on the runtime, as a server spawns from inside its tasks,
    /// and waits for it from the calling thread.
    fn drive<T: Send + 'static>(
        &self,
        driver: impl Future<Output = Result<T, BackendError>> + Send + 'static,
    ) -> Result<T, BackendError> {
        task::block_on(task::spawn(async move {
            driver::started();
            driver.await
        }))
    }

    /// Runs `driver` on the calling thread, outside the runtime's threads (the
    /// `from-outside` spawn variant): every spawn and join crosses threads.
    fn drive_outside<T>(
        &self,
        driver: impl Future<Output = Result<T, BackendError>>,
    ) -> Result<T, BackendError> {
        task::block_on(async move {
            driver::started();
            driver.await
        })
    }

    /// Awaits every task in order, summing outcomes.
    async fn join<T: Into<Outcome>>(handles: Vec<JoinHandle<T>>) -> Result<Outcome, BackendError> {
        Ok(await_each(handles).await.into_iter().map(Into::into).sum())
    }

    /// The pipeline on async-std's own channel, `async_std::channel::bounded` (the
    /// async-channel 1.x that async-std re-exports; the shared design uses 2.x).
    async fn own_channel(spec: PipelineSpec) -> Result<Outcome, BackendError> {
        let (sender, receiver) = async_std::channel::bounded::<u64>(spec.capacity as usize);
        let mut handles = Vec::new();
        for producer in 0..spec.producers {
            let sender = sender.clone();
            handles.push(task::spawn(async move {
                for id in spec.share(producer) {
                    // Consumers run until every sender is gone, so a send cannot fail.
                    let _ = sender.send(message(id)).await;
                }
                Outcome::ZERO
            }));
        }
        drop(sender);
        for _ in 0..spec.consumers {
            let receiver = receiver.clone();
            handles.push(task::spawn(async move {
                let mut total = Outcome::ZERO;
                while let Ok(value) = receiver.recv().await {
                    total += consume_value(value);
                }
                total
            }));
        }
        Self::join(handles).await
    }

    /// The spawn workload's driver: a task per id, awaited in order.
    async fn spawn_all(tasks: u64) -> Result<Outcome, BackendError> {
        let handles = (0..tasks)
            .map(|id| task::spawn(async move { spawn::task(id) }))
            .collect();
        Self::join(handles).await
    }
}

impl Backend for AsyncStd {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            (
                "driver".into(),
                "every workload's driver is a task::spawn task, awaited by task::block_on".into(),
            ),
            (
                "spawn".into(),
                "task::spawn per task into a Vec<JoinHandle>, awaited in order".into(),
            ),
            ("pipeline".into(), mpmc::CHANNEL.into()),
            (
                "pipeline.own-channel".into(),
                "async_std::channel::bounded(capacity): the async-channel 1.x async-std \
                 re-exports (MPMC; the shared design is async-channel 2.x)"
                    .into(),
            ),
            (
                "fetch".into(),
                "concurrency worker tasks (task::spawn) pulling request ids, each with its own \
                 keep-alive async_std::net::TcpStream"
                    .into(),
            ),
            (
                "fetch.task-per-request".into(),
                "a task per request, spawned when an async_lock::Semaphore(concurrency) permit \
                 frees, a shared pool of keep-alive async_std::net::TcpStream"
                    .into(),
            ),
            ("workers".into(), self.workers.to_string()),
            (
                "runtime".into(),
                "async-global-executor, process-global".into(),
            ),
            ("max_blocking_threads".into(), self.workers.to_string()),
            (
                "sleep".into(),
                "async_std::task::sleep in spawned tasks".into(),
            ),
            (
                "blocking".into(),
                "tickers: tasks on async_std::task::sleep to the deadline; CPU jobs: inline = \
                 task::spawn (the pitfall), offload = task::spawn_blocking, rayon = a rayon pool \
                 of W threads answering on an async_std::channel::bounded(1)"
                    .into(),
            ),
            (
                "cpu_jobs".into(),
                "async_std::task::spawn_blocking; placed by mode: inline = task::spawn, rayon = \
                 the rayon pool above"
                    .into(),
            ),
        ])
    }

    fn sleep(&self, spec: &SleepSpec) -> Result<Outcome, BackendError> {
        let spec = *spec;
        self.drive(async move {
            let duration = spec.duration();
            let handles = (0..spec.tasks)
                .map(|id| {
                    task::spawn(async move {
                        sleep::waiting();
                        task::sleep(duration).await;
                        sleep::woke(id)
                    })
                })
                .collect();
            Self::join(handles).await
        })
    }

    fn sleep_bare(&self, spec: &SleepSpec) -> Result<u64, BackendError> {
        let spec = *spec;
        self.drive(async move {
            let duration = spec.duration();
            let handles: Vec<JoinHandle<()>> = (0..spec.tasks)
                .map(|_| task::spawn(async move { task::sleep(duration).await }))
                .collect();
            let mut joined = 0;
            for handle in handles {
                handle.await;
                joined += 1;
            }
            Ok(joined)
        })
    }

    fn fetch(&self, spec: &FetchSpec, target: &Target) -> Result<FetchOutcome, BackendError> {
        let (spec, target) = (spec.clone(), target.clone());
        match spec.client {
            Client::Workers => self.drive(workers::fetch(runtime::Global, spec, target)),
            Client::TaskPerRequest => self.drive(fetch::per_request(spec, target)),
        }
    }

    fn spawn(&self, spec: &SpawnSpec) -> Result<Outcome, BackendError> {
        let driver = Self::spawn_all(spec.tasks);
        match spec.from {
            SpawnFrom::Runtime => self.drive(driver),
            SpawnFrom::Outside => self.drive_outside(driver),
        }
    }

    fn pipeline(&self, spec: &PipelineSpec) -> Result<Outcome, BackendError> {
        match spec.channel {
            Channel::Shared => self.drive(mpmc::pipeline(runtime::Global, *spec)),
            Channel::Own => self.drive(Self::own_channel(*spec)),
        }
    }

    fn blocking(&self, spec: &BlockingSpec) -> Result<TickOutcome, BackendError> {
        self.drive(pitfall::run(*spec, self.rayon.clone()))
    }

    fn cpu(&self, spec: &CpuSpec) -> Result<Outcome, BackendError> {
        let (spec, rayon) = (*spec, self.rayon.clone());
        self.drive(async move {
            let mode = spec.mode.unwrap_or(BlockingMode::Offload);
            let handles = spec
                .ranges()
                .map(|range| placement::place(mode, &rayon, move || cpu::job(range)))
                .collect::<Result<_, _>>()?;
            Self::join(handles).await
        })
    }
}
