//! The sequential baseline: every task and job on the calling thread, one after another.
//! Every speedup in a shootout report is measured against it.

#![forbid(unsafe_code)]

use std::thread;

use shootout_core::{
    Backend, BackendError, BackendInfo, Config, CpuSpec, Maintenance, Outcome, SleepModel,
    SleepSpec, cpu, sleep,
};

/// Runs everything on the calling thread, in order.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sequential;

/// What `sequential` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "sequential",
    summary: "the calling thread, one task at a time: the baseline for every speedup",
    maintenance: Maintenance::Std,
    sleep_model: SleepModel::Sequential,
};

impl Backend for Sequential {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            ("workers".into(), "1 (the calling thread)".into()),
            (
                "sleep".into(),
                "std::thread::sleep, one task after another".into(),
            ),
            (
                "cpu_jobs".into(),
                "one job after another on the calling thread".into(),
            ),
        ])
    }

    fn sleep(&self, spec: &SleepSpec) -> Result<Outcome, BackendError> {
        Ok((0..spec.tasks)
            .map(|id| {
                thread::sleep(spec.duration());
                sleep::complete(id)
            })
            .sum())
    }

    fn cpu(&self, spec: &CpuSpec) -> Result<Outcome, BackendError> {
        Ok(spec.ranges().map(cpu::job).sum())
    }
}
