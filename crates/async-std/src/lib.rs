//! async-std, kept because teams still run it although its authors discontinued it
//! (RUSTSEC-2025-0052). Its runtime is process-global: the first backend built fixes the
//! worker count for the life of the process, which the shootout's one-trial-per-process
//! design makes harmless. CPU jobs go to `task::spawn_blocking`, capped at W threads.

#![forbid(unsafe_code)]

mod fetch;
mod pitfall;
mod placement;

use std::num::NonZeroUsize;
use std::sync::OnceLock;

use async_global_executor::GlobalExecutorConfig;
use async_std::task::{self, JoinHandle};
use shootout_core::join::await_each;
use shootout_core::pipeline::{consume_value, message};
use shootout_core::{
    Backend, BackendError, BackendInfo, BlockingMode, BlockingSpec, Config, CpuSpec, FetchOutcome,
    FetchSlots, FetchSpec, Maintenance, Outcome, PipelineSpec, SleepModel, SleepSpec, SpawnSpec,
    Target, TickOutcome, cpu, sleep, spawn,
};

/// A handle on async-std's global runtime, started with a fixed number of workers.
#[derive(Debug)]
pub struct AsyncStd {
    workers: usize,
    rayon: shootout_rayon::Handoff,
}

/// What `async-std` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "async-std",
    summary: "async-std global runtime with --threads workers; CPU jobs via spawn_blocking (discontinued upstream)",
    maintenance: Maintenance::Discontinued {
        advisory: "RUSTSEC-2025-0052",
    },
    sleep_model: SleepModel::Async,
    fetch_slots: FetchSlots::Concurrency,
    not_applicable: &[],
    blocking_modes: &[
        BlockingMode::Inline,
        BlockingMode::Offload,
        BlockingMode::Rayon,
    ],
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
            rayon: shootout_rayon::Handoff::new(workers),
        })
    }

    fn join(handles: Vec<JoinHandle<Outcome>>) -> Outcome {
        task::block_on(await_each(handles)).into_iter().sum()
    }
}

impl Backend for AsyncStd {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            (
                "spawn".into(),
                "task::spawn per task into a Vec<JoinHandle>, awaited in order".into(),
            ),
            (
                "pipeline".into(),
                "async_std::channel::bounded(capacity) (async-channel, MPMC)".into(),
            ),
            (
                "fetch".into(),
                "a task per request, async_lock::Semaphore(concurrency), a shared pool of \
                 keep-alive async_std::net::TcpStream"
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
        let duration = spec.duration();
        let handles = (0..spec.tasks)
            .map(|id| {
                task::spawn(async move {
                    task::sleep(duration).await;
                    sleep::complete(id)
                })
            })
            .collect();
        Ok(Self::join(handles))
    }

    fn fetch(&self, spec: &FetchSpec, target: &Target) -> Result<FetchOutcome, BackendError> {
        Ok(fetch::fetch(spec, target))
    }

    fn spawn(&self, spec: &SpawnSpec) -> Result<Outcome, BackendError> {
        let handles = (0..spec.tasks)
            .map(|id| task::spawn(async move { spawn::task(id) }))
            .collect();
        Ok(Self::join(handles))
    }

    fn pipeline(&self, spec: &PipelineSpec) -> Result<Outcome, BackendError> {
        let spec = *spec;
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
        Ok(Self::join(handles))
    }

    fn blocking(&self, spec: &BlockingSpec) -> Result<TickOutcome, BackendError> {
        pitfall::run(*spec, &self.rayon)
    }

    fn cpu(&self, spec: &CpuSpec) -> Result<Outcome, BackendError> {
        let mode = spec.mode.unwrap_or(BlockingMode::Offload);
        let handles = spec
            .ranges()
            .map(|range| placement::place(mode, &self.rayon, move || cpu::job(range)))
            .collect::<Result<_, _>>()?;
        Ok(Self::join(handles))
    }
}
