//! The sequential baseline: every task and job on the calling thread, one after another.
//! Every speedup in a shootout report is measured against it.

#![forbid(unsafe_code)]

use std::thread;

use shootout_core::client::BlockingClient;
use shootout_core::{
    Backend, BackendError, BackendInfo, Config, CpuSpec, FetchOutcome, FetchSlots, FetchSpec,
    Maintenance, Outcome, SleepModel, SleepSpec, Target, cpu, sleep,
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
    fetch_slots: FetchSlots::One,
};

impl Backend for Sequential {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            (
                "fetch".into(),
                "one keep-alive std::net connection, one request at a time".into(),
            ),
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

    fn fetch(&self, spec: &FetchSpec, target: &Target) -> Result<FetchOutcome, BackendError> {
        let check = spec.check();
        let mut client = BlockingClient::new(target.clone(), spec.timeout());
        let mut tally = FetchOutcome::default();
        for id in 0..spec.requests {
            client.fetch_into(spec, id, &check, &mut tally);
        }
        Ok(tally)
    }
}
