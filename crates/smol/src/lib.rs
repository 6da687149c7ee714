//! smol: an `async-executor` `Executor` driven by W threads, smol's documented pattern
//! for a multi-threaded executor. Timers come from async-io; CPU jobs go to
//! `smol::unblock` (the `blocking` pool), capped at W threads.

#![forbid(unsafe_code)]

mod fetch;
mod pitfall;
mod placement;

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use shootout_core::join::await_each;
use shootout_core::pipeline::{consume_value, message};
use shootout_core::{
    Backend, BackendError, BackendInfo, BlockingMode, BlockingSpec, Config, CpuSpec, FetchOutcome,
    FetchSlots, FetchSpec, Maintenance, Outcome, PipelineSpec, SleepModel, SleepSpec, SpawnSpec,
    Target, TickOutcome, cpu, sleep, spawn,
};
use smol::channel::{Sender, unbounded};
use smol::{Executor, Task, Timer};

/// A shared executor and the W threads that run it until the backend is dropped.
#[derive(Debug)]
pub struct Smol {
    executor: Arc<Executor<'static>>,
    stop: Option<Sender<()>>,
    workers: Vec<JoinHandle<()>>,
    rayon: shootout_rayon::Handoff,
}

/// What `smol` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "smol",
    summary: "smol Executor run by --threads threads; CPU jobs via smol::unblock",
    maintenance: Maintenance::Maintained,
    sleep_model: SleepModel::Async,
    fetch_slots: FetchSlots::Concurrency,
    not_applicable: &[],
    blocking_modes: &[
        BlockingMode::Inline,
        BlockingMode::Offload,
        BlockingMode::Rayon,
    ],
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
            rayon: shootout_rayon::Handoff::new(workers),
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

    /// Awaits every task in order, summing outcomes.
    fn join(tasks: Vec<Task<Outcome>>) -> Outcome {
        smol::block_on(await_each(tasks)).into_iter().sum()
    }
}

impl Backend for Smol {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            (
                "spawn".into(),
                "Executor::spawn per task into a Vec<Task>, awaited in order".into(),
            ),
            (
                "pipeline".into(),
                "smol::channel::bounded(capacity) (async-channel, MPMC)".into(),
            ),
            (
                "fetch".into(),
                "an executor task per request, async_lock::Semaphore(concurrency), a shared \
                 pool of keep-alive smol::net::TcpStream"
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
        let duration = spec.duration();
        let tasks = (0..spec.tasks)
            .map(|id| {
                self.executor.spawn(async move {
                    Timer::after(duration).await;
                    sleep::complete(id)
                })
            })
            .collect();
        Ok(Self::join(tasks))
    }

    fn fetch(&self, spec: &FetchSpec, target: &Target) -> Result<FetchOutcome, BackendError> {
        Ok(fetch::fetch(&self.executor, spec, target))
    }

    fn spawn(&self, spec: &SpawnSpec) -> Result<Outcome, BackendError> {
        let tasks = (0..spec.tasks)
            .map(|id| self.executor.spawn(async move { spawn::task(id) }))
            .collect();
        Ok(Self::join(tasks))
    }

    fn pipeline(&self, spec: &PipelineSpec) -> Result<Outcome, BackendError> {
        let spec = *spec;
        let (sender, receiver) = smol::channel::bounded::<u64>(spec.capacity as usize);
        let mut tasks = Vec::new();
        for producer in 0..spec.producers {
            let sender = sender.clone();
            tasks.push(self.executor.spawn(async move {
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
            tasks.push(self.executor.spawn(async move {
                let mut total = Outcome::ZERO;
                while let Ok(value) = receiver.recv().await {
                    total += consume_value(value);
                }
                total
            }));
        }
        Ok(Self::join(tasks))
    }

    fn blocking(&self, spec: &BlockingSpec) -> Result<TickOutcome, BackendError> {
        pitfall::run(&self.executor, *spec, &self.rayon)
    }

    fn cpu(&self, spec: &CpuSpec) -> Result<Outcome, BackendError> {
        let mode = spec.mode.unwrap_or(BlockingMode::Offload);
        let tasks = spec
            .ranges()
            .map(|range| {
                placement::place(&self.executor, mode, &self.rayon, move || cpu::job(range))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self::join(tasks))
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
