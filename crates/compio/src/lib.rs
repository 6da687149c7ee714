//! compio: a completion-based, thread-per-core runtime (io_uring on Linux, IOCP on
//! Windows). Configured as its docs recommend: W threads, each running its own runtime,
//! nothing shared between them; a workload is split into W shares, one per runtime, and each
//! share runs as local (`!Send`) tasks on its own core. Blocking work goes to the runtime's
//! own thread pool (`compio::runtime::spawn_blocking`), one job at a time per runtime.
//!
//! What the report's numbers show about it here: 2 cores, loopback, a server sharing the
//! cores; the advantage completion-based I/O claims needs many cores and real NICs.

#![forbid(unsafe_code)]

mod runtime;

use compio::driver::ProactorBuilder;
use compio::runtime::RuntimeBuilder;
use shootout_core::{
    Backend, BackendError, BackendInfo, BlockingMode, Config, Driver, Family, FetchSlots,
    Maintenance, Memory, SleepModel, Upstream, Variant,
};
use shootout_percore::{PerCore, Runtime, Workers};

use crate::runtime::Current;

// Each runtime's blocking pool is capped (`runtime::POOL_THREADS`) and runs one offloaded
// job at a time (`runtime::OFFLOADED`), so W runtimes compute on W threads as every other
// backend does. compio's default pool (up to 256 threads per runtime) ran 64 jobs on 2
// cores at --threads 1, twice the rate of every other backend; a capped pool alone spins
// the event loop when full, so jobs wait for their turn as tasks (see `runtime.rs`).

/// compio's pieces for the thread-per-core workers.
const RUNTIME: Runtime = Runtime {
    name: "compio-worker",
    run: |serve| {
        let mut proactor = ProactorBuilder::new();
        proactor.thread_pool_limit(crate::runtime::pool_threads());
        let runtime = RuntimeBuilder::new().with_proactor(proactor).build()?;
        runtime.block_on(serve);
        Ok(())
    },
    spawn: |task| compio::runtime::spawn(task).detach(),
};

/// W compio runtimes, one per thread.
#[derive(Debug)]
pub struct Compio {
    workers: Workers,
}

/// What `compio` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "compio",
    family: Family::IoUringRuntime,
    crates: &["compio", "compio-runtime", "compio-driver", "io-uring"],
    summary: "compio: --threads completion-based (io_uring) runtimes, one per thread, work split across them",
    maintenance: Maintenance::Crate(Upstream {
        crate_name: "compio",
        last_release: "0.19.2",
        released: Some("2026-08-14"),
        discontinued: None,
        advisories: &[],
    }),
    sleep_model: SleepModel::Async,
    fetch_slots: FetchSlots::Concurrency,
    not_applicable: &[],
    // CPU work inline on the cores (thread-per-core), or on the blocking pool the runtimes
    // thread pool (`compio::runtime::spawn_blocking`, one job at a time per runtime).
    blocking_modes: &[BlockingMode::Inline, BlockingMode::Offload],
    driver: Driver::Runtime {
        threads: "compio-worker",
    },
    variants: &[Variant::AsyncLibrary],
    available: Some(probe),
    // Measured: 352 B per sleeping task at 1M.
    memory: Memory {
        per_worker: 1 << 20,
        per_task: 640,
    },
    helper: None,
};

/// Whether io_uring works here: builds a runtime on this thread and drops it. Fails with
/// the OS's reason on an old kernel, with `kernel.io_uring_disabled`, under a seccomp
/// profile that blocks it, or with too little locked memory.
pub fn probe() -> Result<(), String> {
    shootout_percore::check_enabled()?;
    // The default driver is io_uring on Linux, and falls back to polling only when built
    // without it: a runtime that builds is one that can run here.
    compio::runtime::Runtime::new()
        .map(drop)
        .map_err(|err| format!("io_uring is unavailable: {err}"))
}

impl Compio {
    /// Starts `workers` threads, each with its own io_uring runtime.
    pub fn new(workers: usize) -> Result<Self, BackendError> {
        Self::with_blocking(workers, workers)
    }

    /// [`Compio::new`] with `blocking` offloaded jobs at once in all, shared out to the
    /// runtimes (as many as blocking calls in flight, for the call workload).
    pub fn with_blocking(workers: usize, blocking: usize) -> Result<Self, BackendError> {
        let workers = workers.max(1);
        crate::runtime::set_offloaded(blocking.div_ceil(workers));
        Ok(Compio {
            workers: Workers::start(workers, RUNTIME)?,
        })
    }
}

impl Backend for Compio {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            (
                "files".into(),
                "concurrency local tasks shared out to the runtimes, each with its own handle on \
                 the file: compio::fs::read (a whole file), File::read_exact_at (a block), \
                 write_all_at and sync_data (writes), each operation submitted to the \
                 runtime's io_uring"
                    .into(),
            ),
            ("workers".into(), self.workers.count().to_string()),
            (
                "runtime".into(),
                format!(
                    "compio RuntimeBuilder with a ProactorBuilder (io_uring; thread_pool_limit \
                     {}, {} offloaded job(s) at a time), one per thread; jobs reach a runtime \
                     over an async-channel and run as local tasks",
                    crate::runtime::pool_threads(),
                    crate::runtime::offloaded()
                ),
            ),
            (
                "driver".into(),
                shootout_percore::DRIVER.into(),
            ),
            (
                "sleep".into(),
                "compio::time::sleep in local tasks, tasks split across the runtimes".into(),
            ),
            (
                "spawn".into(),
                "compio::runtime::spawn per task on each runtime's share, JoinHandles awaited in order"
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
                 sending them on its own compio::net::TcpStream (completion-based, owned buffers)"
                    .into(),
            ),
            (
                "cpu_jobs".into(),
                "jobs split across the runtimes; each on its runtime's blocking pool \
                 (compio::runtime::spawn_blocking, one job at a time per runtime behind an \
                 async_lock::Semaphore(1), so W jobs run on W threads: compio's driver spins \
                 its event loop while its pool is full); inline mode: a local task on its \
                 runtime's core"
                    .into(),
            ),
            (
                "blocking".into(),
                "tickers and CPU jobs dealt round-robin to the runtimes; tickers: local tasks \
                 on compio::time::sleep to the deadline; jobs: inline = a local task (the \
                 pitfall), offload = compio::runtime::spawn_blocking"
                    .into(),
            ),
        ])
    }

    shootout_core::workload_methods!(cores, Current, workers);
}
