//! Tokio, in both flavors: the multi-thread runtime with W workers (`tokio`) and the
//! current-thread runtime, the single event loop of the tutorials (`tokio-ct`).
//!
//! CPU jobs go to `spawn_blocking`, as tokio's docs advise for work that would otherwise
//! block a worker; the blocking pool is capped at W threads so every backend computes
//! on the same number of threads. Every workload is written once in `shootout-executor`;
//! here are tokio's primitives and the idioms it is measured with on purpose.

#![forbid(unsafe_code)]

mod fetch;
mod runtime;

use std::future::Future;
use std::sync::Arc;

use shootout_core::request::Requests;
use shootout_core::{
    Backend, BackendError, BackendInfo, BlockingMode, Config, Driver, Maintenance, Upstream,
    Variant,
};
use shootout_executor::{Executor, Words};
use shootout_handoff::Handoff;
use tokio::runtime::{Builder, Runtime};

use crate::runtime::Current;

/// A tokio runtime, built once and reused for every run.
#[derive(Debug)]
pub struct Tokio {
    runtime: Runtime,
    info: &'static BackendInfo,
    workers: usize,
    blocking_threads: usize,
    rayon: Handoff,
}

/// What `tokio` is.
pub static MULTI_THREAD: BackendInfo = BackendInfo {
    name: "tokio",
    crates: &["tokio"],
    summary: "tokio multi-thread runtime with --threads workers; CPU jobs via spawn_blocking",
    maintenance: Maintenance::Crate(Upstream {
        crate_name: "tokio",
        last_release: "1.54.1",
        released: Some("2026-10-21"),
        discontinued: None,
        advisories: &[],
    }),
    blocking_modes: &BlockingMode::ALL,
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
        Variant::AsyncLibrary,
        Variant::Reqwest,
        Variant::Sqlx,
        Variant::StdFsOnPool,
    ],
    // Measured: 439 B per sleeping task at 1M (tokio-ct 456 B).
    ..shootout_executor::ASYNC_RUNTIME
};

/// What `tokio-ct` is: `tokio` but for what one event loop changes.
pub static CURRENT_THREAD: BackendInfo = BackendInfo {
    name: "tokio-ct",
    summary: "tokio current-thread runtime: one event loop; CPU jobs via spawn_blocking",
    // block_in_place panics on a current-thread runtime.
    blocking_modes: &BlockingMode::POOLED,
    // block_on polls the driver task on the calling thread, the runtime's only one.
    driver: Driver::EventLoop,
    // From outside is the same thread here: no spawn variant.
    variants: &[
        Variant::OwnChannel,
        Variant::TaskPerRequest,
        Variant::AsyncLibrary,
        Variant::Reqwest,
        Variant::Sqlx,
        Variant::StdFsOnPool,
    ],
    ..MULTI_THREAD
};

/// Tokio's names for what the shared workloads call.
static WORDS: Words = Words {
    spawn: "tokio::spawn",
    block_on: "Runtime::block_on",
    group: "JoinSet::spawn per task, join_next until empty",
    group_spawn: "JoinSet::spawn",
    spawn_blocking: "JoinSet::spawn_blocking",
    sleep: "tokio::time::sleep",
    sleep_until: "tokio::time::sleep_until",
    stream: "tokio::net::TcpStream",
    own_channel: Some(
        "tokio::sync::mpsc::channel(capacity); mpsc has one receiver, so consumers share it \
         behind a tokio::sync::Mutex",
    ),
    per_request: Some(
        "a JoinSet task per request, spawned when a tokio::sync::Semaphore(concurrency) permit \
         frees, a shared pool of keep-alive tokio::net::TcpStream",
    ),
    files: FILES,
    own: &[],
};

/// Tokio's file API as this build runs it: on its blocking pool.
#[cfg(not(all(tokio_unstable, feature = "io-uring")))]
const FILES: &str = "tokio::fs::read (a whole file); tokio::fs::File::seek + read_exact (a \
                     block); OpenOptions::open + seek + write_all + flush, sync_data (writes): \
                     each operation a hand-off to the blocking pool (no async file I/O on epoll)";

/// Tokio's file API as this build runs it: the `io-uring` build (`--cfg tokio_unstable`).
#[cfg(all(tokio_unstable, feature = "io-uring"))]
const FILES: &str = "io_uring build (tokio_unstable, io-uring): tokio::fs::read, File::open \
                     and File reads submitted to io_uring; seek, writes and sync_data on the \
                     blocking pool (tokio 1.54's io_uring file operations)";

/// The sizes of a runtime's two pools for blocking work.
struct Pools {
    /// `max_blocking_threads`.
    blocking: usize,
    /// The rayon pool's threads.
    rayon: usize,
}

impl Tokio {
    /// A multi-thread runtime with `workers` workers and at most `workers` blocking threads.
    pub fn multi_thread(workers: usize) -> Result<Self, BackendError> {
        Self::multi_thread_with(workers, workers)
    }

    /// A multi-thread runtime with `workers` workers and at most `blocking_threads`
    /// blocking threads (as many as blocking calls in flight, for the call workload).
    pub fn multi_thread_with(
        workers: usize,
        blocking_threads: usize,
    ) -> Result<Self, BackendError> {
        let mut builder = Builder::new_multi_thread();
        builder.worker_threads(workers);
        let pools = Pools {
            blocking: blocking_threads.max(1),
            rayon: workers,
        };
        Self::build(builder, &MULTI_THREAD, workers, pools)
    }

    /// A current-thread runtime whose blocking pool holds at most `blocking_threads` (its
    /// rayon pool as many).
    pub fn current_thread(blocking_threads: usize) -> Result<Self, BackendError> {
        Self::current_thread_with(blocking_threads, blocking_threads)
    }

    /// A current-thread runtime whose blocking pool holds at most `blocking_threads` and
    /// whose rayon pool has `w` threads (the run's W).
    pub fn current_thread_with(w: usize, blocking_threads: usize) -> Result<Self, BackendError> {
        let builder = Builder::new_current_thread();
        let pools = Pools {
            blocking: blocking_threads.max(1),
            rayon: w.max(1),
        };
        Self::build(builder, &CURRENT_THREAD, 1, pools)
    }

    fn build(
        mut builder: Builder,
        info: &'static BackendInfo,
        workers: usize,
        Pools {
            blocking: blocking_threads,
            rayon,
        }: Pools,
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
        let rayon = Handoff::new(rayon);
        Ok(Tokio {
            runtime,
            info,
            workers,
            blocking_threads,
            rayon,
        })
    }
}

impl Executor for Tokio {
    type Runtime = Current;
    type Handoff = Handoff;
    type Channel = runtime::Mpsc;

    fn runtime(&self) -> Current {
        Current
    }

    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        self.runtime.block_on(future)
    }

    fn handoff(&self) -> &Handoff {
        &self.rayon
    }

    fn per_request(
        _: Current,
        requests: Arc<Requests<Current>>,
    ) -> impl Future<Output = Result<(), BackendError>> + Send + 'static {
        fetch::per_request(requests)
    }
}

impl Backend for Tokio {
    fn info(&self) -> &'static BackendInfo {
        self.info
    }

    fn config(&self) -> Config {
        let mut config = WORDS.config(self.info(), self.workers, self.blocking_threads);
        let flavor = match self.info.driver {
            Driver::EventLoop => "current_thread",
            _ => "multi_thread",
        };
        config.insert("flavor".into(), flavor.into());
        config
    }

    shootout_core::workload_methods!(executor);
}
