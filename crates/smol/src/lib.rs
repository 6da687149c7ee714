//! smol: an `async-executor` `Executor` driven by W threads, smol's documented pattern
//! for a multi-threaded executor. Timers come from async-io; CPU jobs go to
//! `smol::unblock` (the `blocking` pool), capped at W threads. Every workload is written
//! once in `shootout-executor`; here are smol's primitives and its task-per-request idiom.

#![forbid(unsafe_code)]

mod runtime;

use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use shootout_core::{
    Backend, BackendError, BackendInfo, Config, Driver, Maintenance, Memory, Upstream, Variant,
};
use shootout_executor::{Executor, Unoffered, Words};
use shootout_handoff::Handoff;
use smol::channel::{Sender, unbounded};

use crate::runtime::OnExecutor;

/// A shared executor and the W threads that run it until the backend is dropped.
#[derive(Debug)]
pub struct Smol {
    executor: OnExecutor,
    stop: Option<Sender<()>>,
    workers: Vec<JoinHandle<()>>,
    rayon: Handoff,
    blocking: usize,
}

/// What `smol` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "smol",
    crates: &["smol", "async-executor", "async-io", "blocking"],
    summary: "smol Executor run by --threads threads; CPU jobs via smol::unblock",
    maintenance: Maintenance::Crate(Upstream {
        crate_name: "smol",
        last_release: "2.0.2",
        released: Some("2024-09-05"),
        discontinued: None,
        advisories: &[],
    }),
    driver: Driver::Runtime {
        threads: "smol-worker",
    },
    // smol's own channel is async-channel, the shared one: no channel variant.
    variants: &[
        Variant::SpawnFromOutside,
        Variant::TaskPerRequest,
        Variant::AsyncLibrary,
        Variant::Sqlx,
        Variant::StdFsOnPool,
    ],
    // Measured: 273 B per sleeping task at 1M.
    memory: Memory {
        per_worker: 256 << 10,
        per_task: 512,
    },
    ..shootout_executor::ASYNC_RUNTIME
};

/// smol's names for what the shared workloads call.
static WORDS: Words = Words {
    spawn: "Executor::spawn",
    block_on: "smol::block_on",
    group: "Executor::spawn per task into a Vec<Task>, awaited in order",
    group_spawn: "Executor::spawn",
    spawn_blocking: "smol::unblock",
    sleep: "smol::Timer::after",
    sleep_until: "smol::Timer::at",
    stream: "smol::net::TcpStream",
    own_channel: None,
    per_request: None,
    files: "smol::fs::read (async-fs, a whole file); smol::fs::File::seek + read_exact (a \
            block: async-fs reads ahead after it); OpenOptions::open + seek + write_all + \
            flush, sync_data (writes): each operation a hand-off to the blocking pool (no async \
            file I/O on epoll)",
    own: &[("executor", "async_executor::Executor shared by the workers")],
};

impl Smol {
    /// Starts `workers` threads, each running the executor until the backend is dropped.
    ///
    /// Also caps the process-wide `blocking` pool at `workers` threads.
    pub fn new(workers: usize) -> Result<Self, BackendError> {
        Self::with_blocking(workers, workers)
    }

    /// [`Smol::new`] with the process-wide `blocking` pool capped at `blocking` threads
    /// (as many as blocking calls in flight, for the call workload).
    pub fn with_blocking(workers: usize, blocking: usize) -> Result<Self, BackendError> {
        let cap = NonZeroUsize::new(workers)
            .ok_or_else(|| BackendError::Config("smol needs at least one worker".into()))?;
        blocking::set_max_blocking_threads(NonZeroUsize::new(blocking).unwrap_or(cap));
        let (stop, stopped) = unbounded::<()>();
        let mut backend = Smol {
            executor: OnExecutor(Arc::new(smol::Executor::new())),
            stop: Some(stop),
            workers: Vec::with_capacity(workers),
            rayon: Handoff::new(workers),
            blocking: blocking.max(1),
        };
        for i in 0..workers {
            let (executor, stopped) = (backend.executor.0.clone(), stopped.clone());
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
}

impl Executor for Smol {
    type Runtime = OnExecutor;
    type Handoff = Handoff;
    type Channel = Unoffered;

    fn runtime(&self) -> OnExecutor {
        self.executor.clone()
    }

    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        smol::block_on(future)
    }

    fn handoff(&self) -> &Handoff {
        &self.rayon
    }
}

impl Backend for Smol {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        let workers = self.workers.len();
        WORDS.config(&INFO, workers, self.blocking)
    }

    shootout_core::workload_methods!(executor);
}

impl Drop for Smol {
    fn drop(&mut self) {
        self.stop.take();
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}
