//! The sequential baseline: every task and job on the calling thread, one after another.
//! Every speedup in a shootout report is measured against it.

#![forbid(unsafe_code)]

use std::iter::Sum;

use shootout_core::{
    Backend, BackendError, BackendInfo, Config, Driver, Family, FetchSlots, Maintenance, Memory,
    SleepModel, Threaded, driver,
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
    not_applicable: &[],
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
                "files".into(),
                "one read at a time on the calling thread: std::fs::read (a whole file) and \
                 FileExt::read_exact_at (a block, pread); writes: \
                 FileExt::write_all_at (pwrite) and File::sync_data"
                    .into(),
            ),
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

    shootout_core::workload_methods!(threads);
}

impl Threaded for Sequential {
    fn each<T, F>(&self, count: u64, work: F) -> Result<T, BackendError>
    where
        T: Sum + Send + 'static,
        F: Fn(u64) -> T + Send + Sync + Clone + 'static,
    {
        driver::started();
        Ok((0..count).map(work).sum())
    }

    fn width(&self) -> Option<u64> {
        Some(1)
    }
}
