//! smol: an `async-executor` `Executor` driven by W threads, smol's documented pattern
//! for a multi-threaded executor. Timers come from async-io; CPU jobs go to
//! `smol::unblock` (the `blocking` pool), capped at W threads.

#![forbid(unsafe_code)]

mod fetch;
mod pitfall;
mod placement;
mod runtime;

use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use shootout_core::join::await_each;
use shootout_core::{
    Backend, BackendError, BackendInfo, BlockingMode, BlockingSpec, Client, Config, CpuSpec,
    Driver, Family, FetchOutcome, FetchSlots, FetchSpec, Maintenance, Memory, Outcome,
    PipelineSpec, SleepModel, SleepSpec, SpawnFrom, SpawnSpec, Target, TickOutcome, Upstream,
    Variant, cpu, driver, mpmc, sleep, spawn, workers,
};
use smol::channel::{Sender, unbounded};
use smol::{Executor, Task, Timer};

/// A shared executor and the W threads that run it until the backend is dropped.
#[derive(Debug)]
pub struct Smol {
    executor: Arc<Executor<'static>>,
    stop: Option<Sender<()>>,
    workers: Vec<JoinHandle<()>>,
    rayon: shootout_handoff::Handoff,
}

/// What `smol` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "smol",
    family: Family::AsyncRuntime,
    crates: &["smol", "async-executor", "async-io", "blocking"],
    summary: "smol Executor run by --threads threads; CPU jobs via smol::unblock",
    maintenance: Maintenance::Crate(Upstream {
        crate_name: "smol",
        last_release: "2.0.2",
        released: Some("2024-09-05"),
        discontinued: None,
        advisories: &[],
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
        threads: "smol-worker",
    },
    // smol's own channel is async-channel, the shared one: no channel variant.
    variants: &[Variant::SpawnFromOutside, Variant::TaskPerRequest],
    available: None,
    // Measured: 273 B per sleeping task at 1M.
    memory: Memory {
        per_worker: 256 << 10,
        per_task: 512,
    },
    helper: None,
};

impl Smol {
    /// Starts `workers` threads, each running the executor until the backend is dropped.
    ///
    /// Also caps the process-wide `blocking` pool at `workers` threads.
    pub fn new(workers: usize) -> Result<Self, BackendError> {
        let cap = NonZeroUsize::new(workers)
            .ok_or_else(|| BackendError::Config("smol needs at least one worker".into()))?;
        blocking::set_max_blocking_threads(cap);
        let executor = Arc::new(Executor::new());
        let (stop, stopped) = unbounded::<()>();
        let mut backend = Smol {
            executor,
            stop: Some(stop),
            workers: Vec::with_capacity(workers),
            rayon: shootout_handoff::Handoff::new(workers),
        };
        for i in 0..workers {
            let executor = backend.executor.clone();
            let stopped = stopped.clone();
            let worker = thread::Builder::new()
                .name(format!("smol-worker-{i}"))
                .spawn(move || {
                    // `recv` fails once the sender is dropped, which ends `run`.
                    let _ = smol::block_on(executor.run(stopped.recv()));
                })
                .map_err(|source| BackendError::Build {
                    what: format!("smol worker {i} of {workers}"),
                    source,
                })?;
            backend.workers.push(worker);
        }
        Ok(backend)
    }

    /// Runs `driver` as a task on the executor, as a server spawns from inside its tasks,
    /// and waits for it from the calling thread.
    fn drive<T: Send + 'static>(
        &self,
        driver: impl Future<Output = Result<T, BackendError>> + Send + 'static,
    ) -> Result<T, BackendError> {
        smol::block_on(self.executor.spawn(async move {
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
        smol::block_on(async move {
            driver::started();
            driver.await
        })
    }

    /// Awaits every task in order, summing outcomes.
    async fn join<T: Into<Outcome>>(tasks: Vec<Task<T>>) -> Result<Outcome, BackendError> {
        Ok(await_each(tasks).await.into_iter().map(Into::into).sum())
    }

    /// The spawn workload's driver: an executor task per id, awaited in order.
    async fn spawn_all(
        executor: Arc<Executor<'static>>,
        tasks: u64,
    ) -> Result<Outcome, BackendError> {
        let tasks = (0..tasks)
            .map(|id| executor.spawn(async move { spawn::task(id) }))
            .collect();
        Self::join(tasks).await
    }
}

impl Backend for Smol {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            (
                "driver".into(),
                "every workload's driver is an Executor::spawn task, awaited by smol::block_on"
                    .into(),
            ),
            (
                "spawn".into(),
                "Executor::spawn per task into a Vec<Task>, awaited in order".into(),
            ),
            ("pipeline".into(), mpmc::CHANNEL.into()),
            (
                "fetch".into(),
                "concurrency worker tasks (Executor::spawn) pulling request ids, each with its \
                 own keep-alive smol::net::TcpStream"
                    .into(),
            ),
            (
                "fetch.task-per-request".into(),
                "an executor task per request, spawned when an async_lock::Semaphore(concurrency) \
                 permit frees, a shared pool of keep-alive smol::net::TcpStream"
                    .into(),
            ),
            ("workers".into(), self.workers.len().to_string()),
            (
                "executor".into(),
                "async_executor::Executor shared by the workers".into(),
            ),
            (
                "max_blocking_threads".into(),
                self.workers.len().to_string(),
            ),
            (
                "sleep".into(),
                "smol::Timer::after in executor tasks".into(),
            ),
            (
                "blocking".into(),
                "tickers: executor tasks on smol::Timer::at; CPU jobs: inline = \
                 Executor::spawn (the pitfall), offload = smol::unblock, rayon = a rayon pool of \
                 W threads answering on a smol::channel::bounded(1)"
                    .into(),
            ),
            (
                "cpu_jobs".into(),
                "smol::unblock (blocking pool); placed by mode: inline = Executor::spawn, rayon = \
                 the rayon pool above"
                    .into(),
            ),
        ])
    }

    fn sleep(&self, spec: &SleepSpec) -> Result<Outcome, BackendError> {
        let (spec, executor) = (*spec, self.executor.clone());
        self.drive(async move {
            let duration = spec.duration();
            let tasks = (0..spec.tasks)
                .map(|id| {
                    executor.spawn(async move {
                        sleep::waiting();
                        Timer::after(duration).await;
                        sleep::woke(id)
                    })
                })
                .collect();
            Self::join(tasks).await
        })
    }

    fn sleep_bare(&self, spec: &SleepSpec) -> Result<u64, BackendError> {
        let (spec, executor) = (*spec, self.executor.clone());
        self.drive(async move {
            let duration = spec.duration();
            let tasks: Vec<Task<()>> = (0..spec.tasks)
                .map(|_| {
                    executor.spawn(async move {
                        Timer::after(duration).await;
                    })
                })
                .collect();
            let mut joined = 0;
            for task in tasks {
                task.await;
                joined += 1;
            }
            Ok(joined)
        })
    }

    fn fetch(&self, spec: &FetchSpec, target: &Target) -> Result<FetchOutcome, BackendError> {
        let (spec, target) = (spec.clone(), target.clone());
        let executor = self.executor.clone();
        match spec.client {
            Client::Workers => {
                self.drive(workers::fetch(runtime::OnExecutor(executor), spec, target))
            }
            Client::TaskPerRequest => self.drive(fetch::per_request(executor, spec, target)),
        }
    }

    fn spawn(&self, spec: &SpawnSpec) -> Result<Outcome, BackendError> {
        let driver = Self::spawn_all(self.executor.clone(), spec.tasks);
        match spec.from {
            SpawnFrom::Runtime => self.drive(driver),
            SpawnFrom::Outside => self.drive_outside(driver),
        }
    }

    fn pipeline(&self, spec: &PipelineSpec) -> Result<Outcome, BackendError> {
        let executor = runtime::OnExecutor(self.executor.clone());
        self.drive(mpmc::pipeline(executor, *spec))
    }

    fn blocking(&self, spec: &BlockingSpec) -> Result<TickOutcome, BackendError> {
        self.drive(pitfall::run(
            self.executor.clone(),
            *spec,
            self.rayon.clone(),
        ))
    }

    fn cpu(&self, spec: &CpuSpec) -> Result<Outcome, BackendError> {
        let (spec, executor, rayon) = (*spec, self.executor.clone(), self.rayon.clone());
        self.drive(async move {
            let mode = spec.mode.unwrap_or(BlockingMode::Offload);
            let tasks = spec
                .ranges()
                .map(|range| placement::place(&executor, mode, &rayon, move || cpu::job(range)))
                .collect::<Result<_, _>>()?;
            Self::join(tasks).await
        })
    }
}

impl Drop for Smol {
    fn drop(&mut self) {
        self.stop.take();
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}
