//! glommio: a thread-per-core io_uring runtime (Datadog), the one that made the design
//! known in Rust. Configured as its docs recommend: W threads, each running its own
//! `LocalExecutor` (its own io_uring rings, timers and task queues), nothing shared between
//! them; a workload is split into W shares, one per executor, and each share runs as local
//! (`!Send`) tasks on its own core. Blocking work goes to the executor's blocking pool
//! (`executor().spawn_blocking`, its default of one thread per executor).
//!
//! Not pinned: glommio can bind each executor to a CPU (`Placement::Fixed`), but no other
//! backend here binds its threads, and on this project's 2-core machine the fetch server
//! shares those CPUs; `Placement::Unbound` keeps the process's CPU set, so `--pin` splits
//! the client from the server for glommio as for every backend.
//!
//! What the report's numbers show about it here: 2 cores, loopback, a server sharing the
//! cores; its claimed advantage (no cross-thread synchronization, batched syscalls, its
//! scheduler's latency classes) needs many cores and real NICs, which this machine does
//! not have. Its storage I/O (direct I/O files), where it differs most, is not measured.

#![forbid(unsafe_code)]

mod runtime;

use std::sync::atomic::{AtomicUsize, Ordering};

use glommio::{LocalExecutorBuilder, Placement, PoolPlacement};
use nix::sys::resource::{Resource, getrlimit};
use shootout_core::{
    Advisory, Backend, BackendError, BackendInfo, BlockingMode, Config, Driver, Family, FetchSlots,
    Maintenance, Memory, SleepModel, Upstream, Variant,
};
use shootout_percore::{PerCore, Runtime, Workers};

use crate::runtime::Current;

/// The locked memory glommio's reactor requires before it builds (its `MIN_MEMLOCK_LIMIT`).
pub const MIN_MEMLOCK: u64 = 512 * 1024;

/// Threads in each executor's blocking pool: one (W in all), or, for blocking calls that
/// wait, a share of the calls in flight ([`Glommio::with_blocking`]). A trial builds one
/// backend, so it is set once per process.
static POOL_THREADS: AtomicUsize = AtomicUsize::new(1);

/// glommio's executor, as every worker builds it.
fn builder() -> LocalExecutorBuilder {
    let threads = POOL_THREADS.load(Ordering::Relaxed).max(1);
    LocalExecutorBuilder::new(Placement::Unbound)
        .blocking_thread_pool_placement(PoolPlacement::Unbound(threads))
}

/// glommio's pieces for the thread-per-core workers.
const RUNTIME: Runtime = Runtime {
    name: "glommio-worker",
    run: |serve| {
        let executor = builder().make().map_err(std::io::Error::from)?;
        executor.run(serve);
        Ok(())
    },
    spawn: |task| {
        glommio::spawn_local(task).detach();
    },
};

/// W glommio executors, one per thread.
#[derive(Debug)]
pub struct Glommio {
    workers: Workers,
}

/// What `glommio` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "glommio",
    family: Family::IoUringRuntime,
    crates: &["glommio"],
    summary: "glommio: --threads io_uring executors, one per thread (thread-per-core), work split across them",
    maintenance: Maintenance::Crate(Upstream {
        crate_name: "glommio",
        last_release: "0.9.0",
        released: Some("2024-03-25"),
        discontinued: None,
        advisories: &[
            Advisory {
                id: "RUSTSEC-2025-0167",
                affects: "bitmaps 3.2.1",
                kind: "unsound",
            },
            Advisory {
                id: "RUSTSEC-2026-0247",
                affects: "bitmaps 3.2.1",
                kind: "unmaintained",
            },
        ],
    }),
    sleep_model: SleepModel::Async,
    fetch_slots: FetchSlots::Concurrency,
    not_applicable: &[],
    // CPU work inline on the cores (thread-per-core), or on the executor's blocking pool
    // (`executor().spawn_blocking`, which its docs name for work that would stall the
    // reactor).
    blocking_modes: &[BlockingMode::Inline, BlockingMode::Offload],
    driver: Driver::Runtime {
        threads: "glommio-worker",
    },
    variants: &[Variant::AsyncLibrary, Variant::DirectIo],
    available: Some(probe),
    // 10 MiB of registered io memory per executor (27 MB at W = 2, 17 MB at W = 1);
    // 356 B per sleeping task at 1M.
    memory: Memory {
        per_worker: 11 << 20,
        per_task: 640,
    },
    helper: None,
};

/// Whether glommio runs here. It needs io_uring and at least [`MIN_MEMLOCK`] of locked
/// memory (`ulimit -l`); the probe checks the limit first, to name it, then builds an
/// executor on a thread of its own, runs one timer on it and drops it, which fails with
/// the OS's reason on an old kernel, with `kernel.io_uring_disabled` or under a seccomp
/// profile that blocks io_uring.
pub fn probe() -> Result<(), String> {
    shootout_percore::check_enabled()?;
    let (memlock, _) = getrlimit(Resource::RLIMIT_MEMLOCK)
        .map_err(|err| format!("cannot read the locked-memory limit: {err}"))?;
    if memlock < MIN_MEMLOCK {
        return Err(format!(
            "the locked-memory limit (ulimit -l) is {} KiB; glommio needs at least {} KiB",
            memlock / 1024,
            MIN_MEMLOCK / 1024
        ));
    }
    builder()
        .spawn(|| async {
            glommio::timer::sleep(std::time::Duration::from_micros(1)).await;
        })
        .map_err(|err| format!("io_uring is unavailable: {err}"))?
        .join()
        .map_err(|err| format!("io_uring is unavailable: {err}"))
}

impl Glommio {
    /// Starts `workers` threads, each with its own io_uring executor.
    pub fn new(workers: usize) -> Result<Self, BackendError> {
        Self::with_blocking(workers, workers)
    }

    /// [`Glommio::new`] with `blocking` blocking-pool threads in all, shared out to the
    /// executors (as many as blocking calls in flight, for the call workload).
    pub fn with_blocking(workers: usize, blocking: usize) -> Result<Self, BackendError> {
        POOL_THREADS.store(blocking.div_ceil(workers.max(1)), Ordering::Relaxed);
        Ok(Glommio {
            workers: Workers::start(workers.max(1), RUNTIME)?,
        })
    }
}

impl Backend for Glommio {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            (
                "files".into(),
                "concurrency local tasks shared out to the executors, each with its own handle \
                 on the file: glommio::io::BufferedFile open, read_at, write_at (a new Vec \
                 per write: it takes the buffer), fdatasync and close on the executor's \
                 io_uring, through the page cache"
                    .into(),
            ),
            (
                "files.direct-io".into(),
                "the same with glommio::io::DmaFile: direct I/O (O_DIRECT), the page cache \
                 bypassed, glommio's own aligned buffers"
                    .into(),
            ),
            ("workers".into(), self.workers.count().to_string()),
            (
                "runtime".into(),
                "glommio LocalExecutorBuilder::new(Placement::Unbound) (not pinned, as no \
                 backend here is), one per thread, its defaults otherwise (10 MiB io_memory, \
                 ring depth 128, 100 ms preempt timer); jobs reach an executor over an \
                 async-channel and run as local tasks"
                    .into(),
            ),
            ("driver".into(), shootout_percore::DRIVER.into()),
            (
                "sleep".into(),
                "glommio::timer::sleep in local tasks, tasks split across the executors".into(),
            ),
            (
                "spawn".into(),
                "glommio::spawn_local per task on each executor's share, Tasks awaited in \
                 order"
                    .into(),
            ),
            (
                "pipeline".into(),
                "async_channel::bounded(capacity) (MPMC across the executors), producers and \
                 consumers dealt round-robin to the executors"
                    .into(),
            ),
            (
                "fetch".into(),
                "concurrency worker tasks dealt to the executors, each pulling request ids \
                 and sending them on its own glommio::net::TcpStream (io_uring)"
                    .into(),
            ),
            (
                "cpu_jobs".into(),
                "jobs split across the executors; each on its executor's blocking pool \
                 (executor().spawn_blocking, PoolPlacement::Unbound(1): W threads in all; for \
                 call, Unbound(calls in flight / W)); \
                 inline mode: a local task on its executor's core"
                    .into(),
            ),
            (
                "blocking".into(),
                "tickers and CPU jobs dealt round-robin to the executors; tickers: local \
                 tasks on glommio::timer::sleep to the deadline; jobs: inline = a local task \
                 (the pitfall), offload = executor().spawn_blocking"
                    .into(),
            ),
        ])
    }

    shootout_core::workload_methods!(cores, Current, workers);
}
