//! The sequential baseline: every task and job on the calling thread, one after another.
//! Every speedup in a shootout report is measured against it.

#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::thread;

use shootout_core::client::BlockingClient;
use shootout_core::pipeline::{consume_value, message};
use shootout_core::{
    Backend, BackendError, BackendInfo, Config, CpuSpec, Driver, Family, FetchOutcome, FetchSlots,
    FetchSpec, Maintenance, Memory, Outcome, PipelineSpec, SleepModel, SleepSpec, SpawnSpec,
    Target, WorkloadKind, cpu, driver, sleep, spawn,
};

/// Runs everything on the calling thread, in order.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sequential;

/// What `sequential` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "sequential",
    family: Family::Sequential,
    crates: &[],
    summary: "the calling thread, one task at a time: the baseline for every speedup",
    maintenance: Maintenance::Std,
    sleep_model: SleepModel::Sequential,
    fetch_slots: FetchSlots::One,
    not_applicable: &[(
        WorkloadKind::Blocking,
        "one thing at a time: no tick can fire while a CPU job runs, so every tick is late by \
         a whole job by construction",
    )],
    blocking_modes: &[],
    driver: Driver::Caller,
    variants: &[],
    available: None,
    // One task at a time.
    memory: Memory {
        per_worker: 0,
        per_task: 4 << 10,
    },
    helper: None,
};

impl Backend for Sequential {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            (
                "spawn".into(),
                "a plain function call per task: the cost of no task at all".into(),
            ),
            (
                "pipeline".into(),
                "a VecDeque of capacity: producers' shares in turn, the queue drained when full"
                    .into(),
            ),
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
        driver::started();
        Ok((0..spec.tasks)
            .map(|id| {
                sleep::waiting();
                thread::sleep(spec.duration());
                sleep::woke(id).into()
            })
            .sum())
    }

    fn spawn(&self, spec: &SpawnSpec) -> Result<Outcome, BackendError> {
        driver::started();
        Ok((0..spec.tasks).map(spawn::task).sum())
    }

    fn pipeline(&self, spec: &PipelineSpec) -> Result<Outcome, BackendError> {
        driver::started();
        let mut queue = VecDeque::with_capacity(spec.capacity as usize);
        let mut total = Outcome::ZERO;
        for producer in 0..spec.producers {
            for id in spec.share(producer) {
                if queue.len() as u64 == spec.capacity {
                    total += queue.drain(..).map(consume_value).sum();
                }
                queue.push_back(message(id));
            }
        }
        total += queue.drain(..).map(consume_value).sum();
        Ok(total)
    }

    fn cpu(&self, spec: &CpuSpec) -> Result<Outcome, BackendError> {
        driver::started();
        Ok(spec.ranges().map(cpu::job).sum())
    }

    fn fetch(&self, spec: &FetchSpec, target: &Target) -> Result<FetchOutcome, BackendError> {
        driver::started();
        let check = spec.check();
        let mut client = BlockingClient::new(target.clone(), spec.timeout());
        let mut tally = FetchOutcome::default();
        let schedule = spec.schedule();
        for id in 0..spec.requests {
            client.fetch_into(spec, id, &schedule, &check, &mut tally);
        }
        Ok(tally)
    }
}
