//! A rayon `ThreadPool` of W threads: the data-parallel side of the classic advice.
//! Sleeps block a worker each, which is exactly the misuse the report should show.

#![forbid(unsafe_code)]

use std::iter::Sum;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};
use shootout_core::{
    Backend, BackendError, BackendInfo, Config, Driver, Family, FetchSlots, Maintenance, Memory,
    Outcome, SleepModel, Threaded, Upstream, WorkloadKind, driver,
};

/// Runs tasks and jobs as parallel iterators inside its own pool.
#[derive(Debug)]
pub struct Rayon {
    pool: ThreadPool,
}

/// What `rayon` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "rayon",
    family: Family::ThreadPool,
    crates: &["rayon", "rayon-core"],
    summary: "a rayon ThreadPool of --threads workers running parallel iterators (work stealing)",
    maintenance: Maintenance::Crate(Upstream {
        crate_name: "rayon",
        last_release: "1.12.0",
        released: Some("2026-04-13"),
        discontinued: None,
        advisories: &[],
    }),
    sleep_model: SleepModel::BlocksWorkers,
    fetch_slots: FetchSlots::Workers,
    not_applicable: &[(
        WorkloadKind::Pipeline,
        "rayon has no channel of its own, and producers blocking on a full queue inside its \
         W-thread pool starve the consumers: with producers >= W the pipeline deadlocks",
    )],
    blocking_modes: &[],
    // install and scope run their closure on a worker of the pool.
    driver: Driver::Runtime {
        threads: "rayon-worker",
    },
    variants: &[],
    available: None,
    // A job in its queue; its W threads.
    memory: Memory {
        per_worker: 256 << 10,
        per_task: 4 << 10,
    },
    helper: None,
};

impl Rayon {
    /// Builds a pool of `threads` workers.
    pub fn new(threads: usize) -> Result<Self, BackendError> {
        Ok(Rayon {
            pool: build_pool(threads, "rayon-worker")?,
        })
    }
}

/// A rayon pool of `threads` workers named `{name}-{i}`.
fn build_pool(threads: usize, name: &'static str) -> Result<ThreadPool, BackendError> {
    ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(move |i| format!("{name}-{i}"))
        .build()
        .map_err(|err| BackendError::Build {
            what: format!("rayon pool {name}"),
            source: std::io::Error::other(err.to_string()),
        })
}

impl Backend for Rayon {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            (
                "files".into(),
                "W pool threads (--threads) taking the next read, each with its own handle on the \
                 file: std::fs::read and FileExt::read_exact_at (pread); fewer in flight \
                 than asked; writes: \
                 FileExt::write_all_at (pwrite) and File::sync_data"
                    .into(),
            ),
            (
                "driver".into(),
                "ThreadPool::install / ThreadPool::scope: the driver runs on a worker".into(),
            ),
            (
                "spawn".into(),
                "ThreadPool::scope with scope.spawn per task; results gathered in two atomics"
                    .into(),
            ),
            (
                "fetch".into(),
                "(0..concurrency).into_par_iter(), each slot pulling request ids and sending \
                 them on its own std::net connection: blocking I/O on the workers, so \
                 min(workers, concurrency) requests are in flight"
                    .into(),
            ),
            (
                "workers".into(),
                self.pool.current_num_threads().to_string(),
            ),
            (
                "sleep".into(),
                "std::thread::sleep inside par_iter, blocking a worker".into(),
            ),
            (
                "cpu_jobs".into(),
                "(0..jobs).into_par_iter() on the pool".into(),
            ),
        ])
    }

    shootout_core::workload_methods!(threads);
}

impl Threaded for Rayon {
    fn each<T, F>(&self, count: u64, work: F) -> Result<T, BackendError>
    where
        T: Sum + Send + 'static,
        F: Fn(u64) -> T + Send + Sync + Clone + 'static,
    {
        Ok(self.pool.install(|| {
            driver::started();
            (0..count).into_par_iter().map(work).sum()
        }))
    }

    /// `ThreadPool::scope` with `scope.spawn` per task: scoped tasks return nothing, so each
    /// adds its outcome to shared atomics (which wrap at 2^64: the spawn checksum is
    /// compared modulo 2^64).
    fn group<F>(&self, count: u64, work: F) -> Result<Outcome, BackendError>
    where
        F: Fn(u64) -> Outcome + Send + Sync + Clone + 'static,
    {
        let (ops, checksum) = (AtomicU64::new(0), AtomicU64::new(0));
        self.pool.scope(|scope| {
            driver::started();
            for id in 0..count {
                let (ops, checksum, work) = (&ops, &checksum, &work);
                scope.spawn(move |_| {
                    let outcome = work(id);
                    ops.fetch_add(outcome.ops, Ordering::Relaxed);
                    checksum.fetch_add(outcome.checksum as u64, Ordering::Relaxed);
                });
            }
        });
        Ok(Outcome {
            ops: ops.into_inner(),
            checksum: u128::from(checksum.into_inner()),
        })
    }

    fn width(&self) -> Option<u64> {
        Some(self.pool.current_num_threads() as u64)
    }
}
