//! A fixed pool of worker threads fed through a crossbeam channel: the thread-pool
//! executor pattern, with the pool size as its one knob.

#![forbid(unsafe_code)]

mod pool;

use std::thread;

use shootout_core::{
    Backend, BackendError, BackendInfo, Config, CpuSpec, Maintenance, Outcome, SleepModel,
    SleepSpec, cpu, sleep,
};

pub use pool::Pool;

/// Runs every task and job as a boxed closure on a [`Pool`] of fixed size.
#[derive(Debug)]
pub struct Crossbeam {
    pool: Pool,
}

/// What `crossbeam` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "crossbeam",
    summary: "a fixed pool of worker threads fed by a crossbeam channel (pool size = --threads)",
    maintenance: Maintenance::Maintained,
    sleep_model: SleepModel::BlocksWorkers,
};

impl Crossbeam {
    /// Starts a pool of `size` worker threads.
    pub fn new(size: usize) -> Result<Self, BackendError> {
        Ok(Crossbeam {
            pool: Pool::new(size)?,
        })
    }
}

impl Backend for Crossbeam {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            ("workers".into(), self.pool.size().to_string()),
            (
                "queue".into(),
                "crossbeam_channel::unbounded of boxed closures".into(),
            ),
            (
                "sleep".into(),
                "std::thread::sleep, blocking one worker per task".into(),
            ),
            (
                "cpu_jobs".into(),
                "one closure per job on the workers".into(),
            ),
        ])
    }

    fn sleep(&self, spec: &SleepSpec) -> Result<Outcome, BackendError> {
        let duration = spec.duration();
        self.pool.run_all((0..spec.tasks).map(|id| {
            move || {
                thread::sleep(duration);
                sleep::complete(id)
            }
        }))
    }

    fn cpu(&self, spec: &CpuSpec) -> Result<Outcome, BackendError> {
        self.pool
            .run_all(spec.ranges().map(|range| move || cpu::job(range)))
    }
}
