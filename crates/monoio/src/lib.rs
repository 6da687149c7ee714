//! monoio: a thread-per-core io_uring runtime (ByteDance). Configured as its docs
//! recommend: W threads, each running its own runtime (io_uring driver, timer), nothing
//! shared between them; a workload is split into W shares, one per runtime, and each share
//! runs as local (`!Send`) tasks on its own core. Futures never move between threads, so
//! there is no work stealing: a runtime with more work does not hand any to an idle one.
//!
//! What the report's numbers show about it here: 2 cores, loopback, a server sharing the
//! cores; its claimed advantage (fewer syscalls, no cross-thread synchronization) needs
//! many cores and real NICs, which this machine does not have.

#![forbid(unsafe_code)]

mod runtime;

use std::sync::OnceLock;

use monoio::blocking::DefaultThreadPool;
use monoio::{IoUringDriver, RuntimeBuilder};
use shootout_core::{
    Advisory, Backend, BackendError, BackendInfo, BlockingMode, Config, Driver, Family, FetchSlots,
    Maintenance, Memory, SleepModel, Upstream, Variant,
};
use shootout_percore::{PerCore, Runtime, Workers};

use crate::runtime::Current;

/// The blocking pool every runtime of the process shares (`monoio::spawn_blocking`), of
/// the first backend's W threads (a trial builds one backend).
static BLOCKING: OnceLock<DefaultThreadPool> = OnceLock::new();

/// monoio's pieces for the thread-per-core workers.
const RUNTIME: Runtime = Runtime {
    name: "monoio-worker",
    run: |serve| {
        let pool = BLOCKING.get_or_init(|| DefaultThreadPool::new(1)).clone();
        let mut runtime = RuntimeBuilder::<IoUringDriver>::new()
            .enable_timer()
            .attach_thread_pool(Box::new(pool))
            .build()?;
        runtime.block_on(serve);
        Ok(())
    },
    spawn: |task| {
        monoio::spawn(task);
    },
};

/// W monoio runtimes, one per thread.
#[derive(Debug)]
pub struct Monoio {
    workers: Workers,
}

/// What `monoio` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "monoio",
    family: Family::IoUringRuntime,
    crates: &["monoio", "io-uring"],
    summary: "monoio: --threads io_uring runtimes, one per thread (thread-per-core), work split across them",
    maintenance: Maintenance::Crate(Upstream {
        crate_name: "monoio",
        last_release: "0.2.4",
        released: Some("2024-08-20"),
        discontinued: None,
        advisories: &[Advisory {
            id: "RUSTSEC-2025-0057",
            affects: "fxhash 0.2.1",
            kind: "unmaintained",
        }],
    }),
    sleep_model: SleepModel::Async,
    fetch_slots: FetchSlots::Concurrency,
    not_applicable: &[],
    // CPU work inline on the cores (thread-per-core), or on the blocking pool the runtimes
    // share (`monoio::spawn_blocking`, which its docs name for heavy computation).
    blocking_modes: &[BlockingMode::Inline, BlockingMode::Offload],
    driver: Driver::Runtime {
        threads: "monoio-worker",
    },
    variants: &[Variant::AsyncLibrary],
    available: Some(probe),
    // Measured: 1,296 B per sleeping task at 1M (1.24 GB in all).
    memory: Memory {
        per_worker: 1 << 20,
        per_task: 1536,
    },
    helper: None,
};

/// Whether io_uring works here: builds a runtime on this thread and drops it. Fails with
/// the OS's reason on an old kernel, with `kernel.io_uring_disabled`, under a seccomp
/// profile that blocks it, or with too little locked memory.
pub fn probe() -> Result<(), String> {
    shootout_percore::check_enabled()?;
    monoio::RuntimeBuilder::<monoio::IoUringDriver>::new()
        .build()
        .map(drop)
        .map_err(|err| format!("io_uring is unavailable: {err}"))
}

impl Monoio {
    /// Starts `workers` threads, each with its own io_uring runtime.
    pub fn new(workers: usize) -> Result<Self, BackendError> {
        Self::with_blocking(workers, workers)
    }

    /// [`Monoio::new`] with the shared blocking pool of `blocking` threads (as many as
    /// blocking calls in flight, for the call workload).
    pub fn with_blocking(workers: usize, blocking: usize) -> Result<Self, BackendError> {
        let workers = workers.max(1);
        BLOCKING.get_or_init(|| DefaultThreadPool::new(blocking.max(1)));
        Ok(Monoio {
            workers: Workers::start(workers, RUNTIME)?,
        })
    }
}

impl Backend for Monoio {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            (
                "files".into(),
                "concurrency local tasks shared out to the runtimes, each with its own handle on \
                 the file: monoio::fs::read (a whole file), File::read_exact_at (a block), \
                 File::write_all_at and sync_data (writes), each operation submitted to the \
                 runtime's io_uring"
                    .into(),
            ),
            ("workers".into(), self.workers.count().to_string()),
            (
                "runtime".into(),
                "monoio RuntimeBuilder::<IoUringDriver>::new().enable_timer(), one per \
                 thread; jobs reach a runtime over an async-channel and run as local tasks"
                    .into(),
            ),
            ("driver".into(), shootout_percore::DRIVER.into()),
            (
                "sleep".into(),
                "monoio::time::sleep in local tasks, tasks split across the runtimes".into(),
            ),
            (
                "spawn".into(),
                "monoio::spawn per task on each runtime's share, JoinHandles awaited in order"
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
                 sending them on its own monoio::net::TcpStream (io_uring, owned buffers)"
                    .into(),
            ),
            (
                "cpu_jobs".into(),
                "jobs split across the runtimes; each on the blocking pool the runtimes share \
                 (monoio::spawn_blocking on a DefaultThreadPool of W threads, its docs' advice \
                 for heavy computation; for call, of a thread per call in flight); inline \
                 mode: a local task on its runtime's core"
                    .into(),
            ),
            (
                "blocking".into(),
                "tickers and CPU jobs dealt round-robin to the runtimes; tickers: local tasks \
                 on monoio::time::sleep to the deadline; jobs: inline = a local task (the \
                 pitfall), offload = monoio::spawn_blocking"
                    .into(),
            ),
        ])
    }

    shootout_core::workload_methods!(cores, Current, workers);
}
