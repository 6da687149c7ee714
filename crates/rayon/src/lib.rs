//! A rayon `ThreadPool` of W threads: the data-parallel side of the classic advice.
//! Sleeps block a worker each, which is exactly the misuse the report should show.

#![forbid(unsafe_code)]

use std::thread;

use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};
use shootout_core::client::BlockingClient;
use shootout_core::{
    Backend, BackendError, BackendInfo, Config, CpuSpec, FetchOutcome, FetchSlots, FetchSpec,
    Maintenance, Outcome, SleepModel, SleepSpec, Target, cpu, sleep,
};

/// Runs tasks and jobs as parallel iterators inside its own pool.
#[derive(Debug)]
pub struct Rayon {
    pool: ThreadPool,
}

/// What `rayon` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "rayon",
    summary: "a rayon ThreadPool of --threads workers running parallel iterators (work stealing)",
    maintenance: Maintenance::Maintained,
    sleep_model: SleepModel::BlocksWorkers,
    fetch_slots: FetchSlots::Workers,
};

impl Rayon {
    /// Builds a pool of `threads` workers.
    pub fn new(threads: usize) -> Result<Self, BackendError> {
        let pool = ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("rayon-worker-{i}"))
            .build()
            .map_err(|err| BackendError::Build {
                what: "rayon thread pool".into(),
                source: std::io::Error::other(err.to_string()),
            })?;
        Ok(Rayon { pool })
    }
}

impl Backend for Rayon {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            (
                "fetch".into(),
                "(0..concurrency).into_par_iter(), each slot a share of the requests on one \
                 std::net connection: blocking I/O on the workers, so min(workers, concurrency) \
                 requests are in flight"
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

    fn sleep(&self, spec: &SleepSpec) -> Result<Outcome, BackendError> {
        let duration = spec.duration();
        Ok(self.pool.install(|| {
            (0..spec.tasks)
                .into_par_iter()
                .map(|id| {
                    thread::sleep(duration);
                    sleep::complete(id)
                })
                .sum()
        }))
    }

    fn cpu(&self, spec: &CpuSpec) -> Result<Outcome, BackendError> {
        Ok(self.pool.install(|| {
            (0..spec.jobs)
                .into_par_iter()
                .map(|job| cpu::job(spec.range(job)))
                .sum()
        }))
    }

    fn fetch(&self, spec: &FetchSpec, target: &Target) -> Result<FetchOutcome, BackendError> {
        // At most `concurrency` slots, each a strided share of the requests made one after
        // another on one connection; rayon runs `workers` slots at a time.
        let slots = spec.concurrency.min(spec.requests);
        let check = spec.check();
        Ok(self.pool.install(|| {
            (0..slots)
                .into_par_iter()
                .map(|slot| {
                    let mut client = BlockingClient::new(target.clone(), spec.timeout());
                    let mut tally = FetchOutcome::default();
                    for id in (slot..spec.requests).step_by(slots as usize) {
                        client.fetch_into(spec, id, &check, &mut tally);
                    }
                    tally
                })
                .reduce(FetchOutcome::default, |mut a, b| {
                    a.merge(b);
                    a
                })
        }))
    }
}
