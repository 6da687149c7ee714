//! async-std, kept because teams still run it although its authors discontinued it
//! (RUSTSEC-2025-0052). Its runtime is process-global: the first backend built fixes the
//! worker count for the life of the process, which the shootout's one-trial-per-process
//! design makes harmless. CPU jobs go to `task::spawn_blocking`, capped at W threads. Every
//! workload is written once in `shootout-executor`; here are async-std's primitives and
//! the idioms it is measured with on purpose.

#![forbid(unsafe_code)]

mod runtime;

use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::OnceLock;

use async_global_executor::GlobalExecutorConfig;
use shootout_core::{
    Advisory, Backend, BackendError, BackendInfo, Config, Driver, Maintenance, Upstream, Variant,
};
use shootout_executor::{Executor, Words};
use shootout_handoff::Handoff;

use crate::runtime::Global;

/// A handle on async-std's global runtime, started with a fixed number of workers.
#[derive(Debug)]
pub struct AsyncStd {
    workers: usize,
    rayon: Handoff,
    blocking: usize,
}

/// What `async-std` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "async-std",
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
    driver: Driver::Runtime {
        threads: "async-global-executor",
    },
    // async-std's own channel is async-channel 1.x, the shared one 2.x: measured 5x
    // apart on the quick pipeline (about 31M against 6.7M msg/s), so both are shown.
    variants: &[
        Variant::SpawnFromOutside,
        Variant::OwnChannel,
        Variant::TaskPerRequest,
        Variant::AsyncLibrary,
        Variant::Sqlx,
        Variant::StdFsOnPool,
    ],
    // Measured: 377 B per sleeping task at 1M.
    ..shootout_executor::ASYNC_RUNTIME
};

/// The worker count the global runtime was started with, once it has been.
static STARTED_WITH: OnceLock<usize> = OnceLock::new();

/// async-std's names for what the shared workloads call.
static WORDS: Words = Words {
    spawn: "task::spawn",
    block_on: "task::block_on",
    group: "task::spawn per task into a Vec<JoinHandle>, awaited in order",
    group_spawn: "task::spawn",
    spawn_blocking: "task::spawn_blocking",
    sleep: "async_std::task::sleep",
    sleep_until: "async_std::task::sleep to the deadline",
    stream: "async_std::net::TcpStream",
    own_channel: Some(
        "async_std::channel::bounded(capacity): the async-channel 1.x async-std re-exports \
         (MPMC; the shared design is async-channel 2.x)",
    ),
    per_request: None,
    files: "async_std::fs::read (a whole file); async_std::fs::File::seek + read_exact (a \
            block); OpenOptions::open + seek + write_all + flush, sync_data (writes): each \
            operation a hand-off to the blocking pool (no async file I/O on epoll)",
    own: &[("runtime", "async-global-executor, process-global")],
};

impl AsyncStd {
    /// Starts the global runtime with `workers` executor threads (and caps the blocking
    /// pool at `workers`), or errs if it already runs with a different count.
    pub fn new(workers: usize) -> Result<Self, BackendError> {
        Self::with_blocking(workers, workers)
    }

    /// [`AsyncStd::new`] with the blocking pool capped at `blocking` threads (as many as
    /// blocking calls in flight, for the call workload).
    pub fn with_blocking(workers: usize, blocking: usize) -> Result<Self, BackendError> {
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
        blocking::set_max_blocking_threads(NonZeroUsize::new(blocking).unwrap_or(cap));
        Ok(AsyncStd {
            workers,
            blocking: blocking.max(1),
            rayon: Handoff::new(workers),
        })
    }
}

impl Executor for AsyncStd {
    type Runtime = Global;
    type Handoff = Handoff;
    type Channel = runtime::Channel;

    fn runtime(&self) -> Global {
        Global
    }

    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        async_std::task::block_on(future)
    }

    fn handoff(&self) -> &Handoff {
        &self.rayon
    }
}

impl Backend for AsyncStd {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        WORDS.config(&INFO, self.workers, self.blocking)
    }

    shootout_core::workload_methods!(executor);
}
