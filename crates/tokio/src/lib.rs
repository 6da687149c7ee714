//! Tokio, in both flavors: the multi-thread runtime with W workers (`tokio`) and the
//! current-thread runtime, the single event loop of the tutorials (`tokio-ct`).
//!
//! CPU jobs go to `spawn_blocking`, as tokio's docs advise for work that would otherwise
//! block a worker; the blocking pool is capped at W threads so every backend computes
//! on the same number of threads.

#![forbid(unsafe_code)]

mod fetch;
mod pitfall;
mod placement;
mod runtime;

use std::future::Future;
use std::sync::Arc;

use shootout_core::pipeline::{consume_value, message};
use shootout_core::{
    Backend, BackendError, BackendInfo, BlockingMode, BlockingSpec, Channel, Client, Config,
    CpuSpec, Driver, Family, FetchOutcome, FetchSlots, FetchSpec, Maintenance, Memory, Outcome,
    PipelineSpec, SleepModel, SleepSpec, SpawnFrom, SpawnSpec, Target, TickOutcome, Upstream,
    Variant, cpu, driver, mpmc, sleep, spawn, workers,
};
use tokio::runtime::{Builder, Runtime};
use tokio::task::{JoinError, JoinSet};

/// Which tokio scheduler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// Work-stealing scheduler with a fixed number of worker threads.
    MultiThread,
    /// Everything async on the thread that calls `block_on`.
    CurrentThread,
}

/// A tokio runtime, built once and reused for every run.
#[derive(Debug)]
pub struct Tokio {
    runtime: Runtime,
    flavor: Flavor,
    workers: usize,
    blocking_threads: usize,
    rayon: shootout_handoff::Handoff,
}

/// tokio upstream, for both flavors.
const TOKIO: Maintenance = Maintenance::Crate(Upstream {
    crate_name: "tokio",
    last_release: "1.54.1",
    released: Some("2026-10-21"),
    discontinued: None,
    advisories: &[],
});

/// What `tokio` is.
pub static MULTI_THREAD: BackendInfo = BackendInfo {
    name: "tokio",
    family: Family::AsyncRuntime,
    crates: &["tokio"],
    summary: "tokio multi-thread runtime with --threads workers; CPU jobs via spawn_blocking",
    maintenance: TOKIO,
    sleep_model: SleepModel::Async,
    fetch_slots: FetchSlots::Concurrency,
    not_applicable: &[],
    blocking_modes: &[
        BlockingMode::Inline,
        BlockingMode::Offload,
        BlockingMode::Rayon,
        BlockingMode::BlockInPlace,
    ],
    driver: Driver::Runtime {
        threads: "tokio-rt-worker",
    },
    // Spawning from outside goes through the remote queue and wakes a thread outside the
    // runtime on each join (tokio issue 5440), but leaves both workers free to run tasks
    // while it spawns: measured it is the faster of the two here (866k against 629k
    // tasks/s at 5,000 tasks, 20 trials), so both are shown.
    variants: &[
        Variant::SpawnFromOutside,
        Variant::OwnChannel,
        Variant::TaskPerRequest,
    ],
    available: None,
    // Measured: 439 B per sleeping task at 1M (tokio-ct 456 B).
    memory: Memory {
        per_worker: 256 << 10,
        per_task: 640,
    },
    helper: None,
};

/// What `tokio-ct` is.
pub static CURRENT_THREAD: BackendInfo = BackendInfo {
    name: "tokio-ct",
    family: Family::AsyncRuntime,
    crates: &["tokio"],
    summary: "tokio current-thread runtime: one event loop; CPU jobs via spawn_blocking",
    maintenance: TOKIO,
    sleep_model: SleepModel::Async,
    fetch_slots: FetchSlots::Concurrency,
    not_applicable: &[],
    // block_in_place panics on a current-thread runtime.
    blocking_modes: &[
        BlockingMode::Inline,
        BlockingMode::Offload,
        BlockingMode::Rayon,
    ],
    // block_on polls the driver task on the calling thread, the runtime's only one.
    driver: Driver::EventLoop,
    // From outside is the same thread here: no spawn variant.
    variants: &[Variant::OwnChannel, Variant::TaskPerRequest],
    available: None,
    // Measured: 439 B per sleeping task at 1M (tokio-ct 456 B).
    memory: Memory {
        per_worker: 256 << 10,
        per_task: 640,
    },
    helper: None,
};

impl Tokio {
    /// A multi-thread runtime with `workers` workers and at most `workers` blocking threads.
    pub fn multi_thread(workers: usize) -> Result<Self, BackendError> {
        let mut builder = Builder::new_multi_thread();
        builder.worker_threads(workers);
        Self::build(builder, Flavor::MultiThread, workers, workers)
    }

    /// A current-thread runtime whose blocking pool holds at most `blocking_threads`.
    pub fn current_thread(blocking_threads: usize) -> Result<Self, BackendError> {
        Self::build(
            Builder::new_current_thread(),
            Flavor::CurrentThread,
            1,
            blocking_threads,
        )
    }

    fn build(
        mut builder: Builder,
        flavor: Flavor,
        workers: usize,
        blocking_threads: usize,
    ) -> Result<Self, BackendError> {
        let runtime = builder
            .max_blocking_threads(blocking_threads)
            .enable_time()
            .enable_io()
            .build()
            .map_err(|source| BackendError::Build {
                what: "tokio runtime".into(),
                source,
            })?;
        Ok(Tokio {
            runtime,
            flavor,
            workers,
            blocking_threads,
            rayon: shootout_handoff::Handoff::new(blocking_threads),
        })
    }

    /// Runs `driver` as a task on the runtime, as a server spawns from inside its tasks,
    /// and waits for it from the calling thread.
    fn drive<T: Send + 'static>(
        &self,
        driver: impl Future<Output = Result<T, BackendError>> + Send + 'static,
    ) -> Result<T, BackendError> {
        self.runtime.block_on(async move {
            tokio::spawn(async move {
                driver::started();
                driver.await
            })
            .await
            .map_err(|err| BackendError::Task(err.to_string()))?
        })
    }

    /// Runs `driver` inside `block_on` on the calling thread: outside the runtime's workers
    /// on the multi-thread flavor (the `from-outside` spawn variant).
    fn drive_outside<T>(
        &self,
        driver: impl Future<Output = Result<T, BackendError>>,
    ) -> Result<T, BackendError> {
        self.runtime.block_on(async move {
            driver::started();
            driver.await
        })
    }

    /// Joins every task in `set`, summing outcomes; a panicked task fails the run.
    async fn join<T: Into<Outcome> + 'static>(
        mut set: JoinSet<T>,
    ) -> Result<Outcome, BackendError> {
        let mut total = Outcome::ZERO;
        while let Some(joined) = set.join_next().await {
            total += joined
                .map_err(|err: JoinError| BackendError::Task(err.to_string()))?
                .into();
        }
        Ok(total)
    }

    /// The spawn workload's driver: a `JoinSet` task per id, joined until empty.
    async fn spawn_all(tasks: u64) -> Result<Outcome, BackendError> {
        let mut set = JoinSet::new();
        for id in 0..tasks {
            set.spawn(async move { spawn::task(id) });
        }
        Self::join(set).await
    }

    /// The pipeline on tokio's own channel: `mpsc` has one receiver, so the consumers share
    /// it behind a `tokio::sync::Mutex` held across `recv().await` (one receives at a time).
    async fn own_channel(spec: PipelineSpec) -> Result<Outcome, BackendError> {
        let (sender, receiver) = tokio::sync::mpsc::channel::<u64>(spec.capacity as usize);
        let receiver = Arc::new(tokio::sync::Mutex::new(receiver));
        let mut set = JoinSet::new();
        for producer in 0..spec.producers {
            let sender = sender.clone();
            set.spawn(async move {
                for id in spec.share(producer) {
                    // Consumers run until every sender is gone, so a send cannot fail.
                    let _ = sender.send(message(id)).await;
                }
                Outcome::ZERO
            });
        }
        drop(sender);
        for _ in 0..spec.consumers {
            let receiver = receiver.clone();
            set.spawn(async move {
                let mut total = Outcome::ZERO;
                while let Some(value) = receiver.lock().await.recv().await {
                    total += consume_value(value);
                }
                total
            });
        }
        Self::join(set).await
    }
}

impl Backend for Tokio {
    fn info(&self) -> &'static BackendInfo {
        match self.flavor {
            Flavor::MultiThread => &MULTI_THREAD,
            Flavor::CurrentThread => &CURRENT_THREAD,
        }
    }

    fn config(&self) -> Config {
        let flavor = match self.flavor {
            Flavor::MultiThread => "multi_thread",
            Flavor::CurrentThread => "current_thread",
        };
        Config::from([
            (
                "driver".into(),
                "every workload's driver is a tokio::spawn task, awaited by Runtime::block_on"
                    .into(),
            ),
            (
                "spawn".into(),
                "JoinSet::spawn per task, join_next until empty".into(),
            ),
            (
                "spawn.from-outside".into(),
                "the same JoinSet, filled and joined from Runtime::block_on on the calling \
                 thread"
                    .into(),
            ),
            ("pipeline".into(), mpmc::CHANNEL.into()),
            (
                "pipeline.own-channel".into(),
                "tokio::sync::mpsc::channel(capacity); mpsc has one receiver, so consumers \
                 share it behind a tokio::sync::Mutex"
                    .into(),
            ),
            (
                "fetch".into(),
                "concurrency worker tasks (tokio::spawn) pulling request ids, each with its own \
                 keep-alive tokio::net::TcpStream"
                    .into(),
            ),
            (
                "fetch.task-per-request".into(),
                "a JoinSet task per request, spawned when a tokio::sync::Semaphore(concurrency) \
                 permit frees, a shared pool of keep-alive tokio::net::TcpStream"
                    .into(),
            ),
            ("flavor".into(), flavor.into()),
            ("workers".into(), self.workers.to_string()),
            (
                "max_blocking_threads".into(),
                self.blocking_threads.to_string(),
            ),
            ("sleep".into(), "tokio::time::sleep in JoinSet tasks".into()),
            (
                "cpu_jobs".into(),
                "JoinSet::spawn_blocking (blocking pool); placed by mode: inline = JoinSet::spawn, \
                 rayon = the rayon pool below"
                    .into(),
            ),
            (
                "blocking".into(),
                "tickers: JoinSet tasks on tokio::time::sleep_until; CPU jobs: inline = \
                 JoinSet::spawn (the pitfall), offload = JoinSet::spawn_blocking, rayon = \
                 rayon::ThreadPool::spawn of W threads answering on a tokio oneshot, \
                 block-in-place = task::block_in_place inside a task (multi-thread only)"
                    .into(),
            ),
        ])
    }

    fn sleep(&self, spec: &SleepSpec) -> Result<Outcome, BackendError> {
        let spec = *spec;
        self.drive(async move {
            let duration = spec.duration();
            let mut set = JoinSet::new();
            for id in 0..spec.tasks {
                set.spawn(async move {
                    sleep::waiting();
                    tokio::time::sleep(duration).await;
                    sleep::woke(id)
                });
            }
            Self::join(set).await
        })
    }

    fn sleep_bare(&self, spec: &SleepSpec) -> Result<u64, BackendError> {
        let spec = *spec;
        self.drive(async move {
            let duration = spec.duration();
            let mut set = JoinSet::new();
            for _ in 0..spec.tasks {
                set.spawn(async move { tokio::time::sleep(duration).await });
            }
            let mut joined = 0;
            while let Some(done) = set.join_next().await {
                done.map_err(|err| BackendError::Task(err.to_string()))?;
                joined += 1;
            }
            Ok(joined)
        })
    }

    fn fetch(&self, spec: &FetchSpec, target: &Target) -> Result<FetchOutcome, BackendError> {
        let (spec, target) = (spec.clone(), target.clone());
        match spec.client {
            Client::Workers => self.drive(workers::fetch(runtime::Current, spec, target)),
            Client::TaskPerRequest => self.drive(fetch::per_request(spec, target)),
        }
    }

    fn spawn(&self, spec: &SpawnSpec) -> Result<Outcome, BackendError> {
        match spec.from {
            SpawnFrom::Runtime => self.drive(Self::spawn_all(spec.tasks)),
            SpawnFrom::Outside => self.drive_outside(Self::spawn_all(spec.tasks)),
        }
    }

    fn pipeline(&self, spec: &PipelineSpec) -> Result<Outcome, BackendError> {
        match spec.channel {
            Channel::Shared => self.drive(mpmc::pipeline(runtime::Current, *spec)),
            Channel::Own => self.drive(Self::own_channel(*spec)),
        }
    }

    fn blocking(&self, spec: &BlockingSpec) -> Result<TickOutcome, BackendError> {
        self.drive(pitfall::run(*spec, self.rayon.clone()))
    }

    fn cpu(&self, spec: &CpuSpec) -> Result<Outcome, BackendError> {
        let (spec, rayon) = (*spec, self.rayon.clone());
        self.drive(async move {
            let mut set = JoinSet::new();
            let mode = spec.mode.unwrap_or(BlockingMode::Offload);
            for range in spec.ranges() {
                placement::place(&mut set, mode, &rayon, move || cpu::job(range))?;
            }
            Self::join(set).await
        })
    }
}
