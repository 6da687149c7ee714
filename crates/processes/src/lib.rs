//! A pool of worker processes: the tutorials' multiprocessing (Python's
//! `multiprocessing.Pool`, `ProcessPoolExecutor`). W processes, started once (the binary
//! run again as `shootout worker`), each fed one job at a time over its pipes as a line of
//! JSON, answering with a line of JSON. Every result comes from core's kernels in the
//! worker and is verified in the parent like any other backend's.
//!
//! What it shows: what a process costs against a thread for the same jobs (a round trip
//! over pipes per job, no shared memory), and so whether "multiprocessing for CPU" says
//! anything in a language whose threads already run in parallel.

#![forbid(unsafe_code)]

mod pool;
mod worker;

use std::path::PathBuf;

pub use worker::serve;

use shootout_core::{
    Backend, BackendError, BackendInfo, Config, Driver, Family, FetchSlots, Helper, Maintenance,
    Memory, SleepModel, WorkloadKind,
};

use crate::pool::Pool;
use shootout_core::processes::Pool as _;

/// The environment variable naming the executable to start workers from; by default the
/// running `shootout` binary itself, with `worker`.
pub const WORKER_ENV: &str = "SHOOTOUT_WORKER_EXE";

/// W worker processes.
#[derive(Debug)]
pub struct Processes {
    pool: Pool,
    exe: PathBuf,
}

/// What `processes` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "processes",
    family: Family::Processes,
    crates: &[],
    summary: "a pool of --threads worker processes fed jobs over pipes (multiprocessing)",
    maintenance: Maintenance::Std,
    sleep_model: SleepModel::BlocksWorkers,
    fetch_slots: FetchSlots::Workers,
    not_applicable: &[(
        WorkloadKind::Pipeline,
        "processes share no queue: the pool's own job queue is the pipeline, and the \
             spawn workload already times a round trip through it",
    )],
    blocking_modes: &[],
    // The parent queues the jobs; its feeding threads only wait on pipes.
    driver: Driver::Caller,
    variants: &[],
    available: Some(probe),
    // A worker process each (about 8 MB resident: the shootout binary).
    memory: Memory {
        per_worker: 8 << 20,
        per_task: 4 << 10,
    },
    helper: Some(Helper {
        subcommand: "worker",
        serve,
        executable: worker_exe,
    }),
};

/// The executable workers are started from, if there is one: [`WORKER_ENV`], or this
/// process when it is the `shootout` binary.
pub fn worker_exe() -> Option<PathBuf> {
    if let Some(exe) = std::env::var_os(WORKER_ENV) {
        return Some(PathBuf::from(exe));
    }
    let exe = std::env::current_exe().ok()?;
    (exe.file_stem()? == "shootout").then_some(exe)
}

/// Whether workers can be started: only from the `shootout` binary (or [`WORKER_ENV`]).
pub fn probe() -> Result<(), String> {
    worker_exe().map(drop).ok_or_else(|| {
        format!("no worker executable: run from the shootout binary or set {WORKER_ENV}")
    })
}

impl Processes {
    /// Starts `workers` worker processes from [`worker_exe`].
    pub fn new(workers: usize) -> Result<Self, BackendError> {
        let exe = worker_exe().ok_or_else(|| BackendError::Config(probe().unwrap_err()))?;
        // The shootout binary serves as a worker with `worker`; a dedicated worker binary
        // (named in WORKER_ENV) takes no argument.
        let args: &[&str] = if exe.file_stem().is_some_and(|s| s == "shootout") {
            &["worker"]
        } else {
            &[]
        };
        Self::with_worker(workers, exe, args)
    }

    /// Starts `workers` worker processes running `exe` with `args`, which must serve
    /// jobs as [`serve`] does.
    pub fn with_worker(workers: usize, exe: PathBuf, args: &[&str]) -> Result<Self, BackendError> {
        Ok(Processes {
            pool: Pool::start(workers.max(1), &exe, args)?,
            exe,
        })
    }
}

impl Backend for Processes {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn helpers(&self) -> Vec<u32> {
        self.pool.pids()
    }

    fn config(&self) -> Config {
        Config::from([
            (
                "files".into(),
                "a part per operation in flight, W worker processes at once, each part doing \
                 every C-th with std::fs::read, FileExt::read_exact_at (pread) or \
                 write_all_at (pwrite, and sync_data: a log's); the parts' checksums summed and \
                 checked by the parent after the clock (a written file: synced by the parent \
                 once the parts are done)"
                    .into(),
            ),
            ("workers".into(), self.pool.size().to_string()),
            (
                "processes".into(),
                format!(
                    "{} worker processes of {}, started once before timing; one job at a time \
                     per worker, a line of JSON each way over its stdin and stdout",
                    self.pool.size(),
                    self.exe.display()
                ),
            ),
            (
                "driver".into(),
                "the calling process queues the jobs; a thread per worker feeds it and waits"
                    .into(),
            ),
            (
                "sleep".into(),
                "a job per task, std::thread::sleep in a worker: W tasks asleep at once".into(),
            ),
            (
                "spawn".into(),
                "a job per task: one round trip to a worker process".into(),
            ),
            (
                "cpu_jobs".into(),
                "a job per cpu job, the kernel run in a worker".into(),
            ),
        ])
    }

    shootout_core::workload_methods!(processes, pool);
}
