//! A test double for the harness's own tests: two backends that run nothing, answering
//! every workload with the exact outcome its spec expects after a synthetic, deterministic
//! wait. `mock-fast` (an async runtime) takes a base time per cell; `mock-slow` (a thread
//! pool) twice it, and keeps CPU jobs inline worse still. So planning, ordering, resume,
//! the reports and the verdict rules are tested in seconds and decide the same way every
//! time; the real backends stay in the conformance suite.
//!
//! Registered only when the registry is built with its `mock` feature (the CLI's tests) and
//! `SHOOTOUT_MOCK=1` is set, so no real run ever sees it.

#![forbid(unsafe_code)]

mod timing;

use std::time::{Duration, Instant};

use shootout_core::workload::Judged;
use shootout_core::{
    Backend, BackendError, BackendInfo, BlockingMode, Config, Driver, Family, FetchSlots,
    Maintenance, Memory, RunOutcome, SleepModel, Target, Workload,
};

/// The environment variable that registers the mock backends (in a registry built with
/// its `mock` feature).
pub const ENABLE_ENV: &str = "SHOOTOUT_MOCK";

/// With a number `s`, each trial's synthetic time is multiplied by a factor in `1..=s`
/// (log-uniform, drawn from the clock; never faster, as no timer fires early): noise that
/// hides the doubles' 2x, for the tests of what a run does with undecided rows.
pub const JITTER_ENV: &str = "SHOOTOUT_MOCK_JITTER";

/// What `mock-fast` is: an async runtime that takes the base time of every cell.
pub static FAST: BackendInfo = BackendInfo {
    name: "mock-fast",
    family: Family::AsyncRuntime,
    crates: &[],
    summary: "test double: every answer exact after the base synthetic time (an async runtime)",
    maintenance: Maintenance::Std,
    sleep_model: SleepModel::Async,
    fetch_slots: FetchSlots::Concurrency,
    not_applicable: &[],
    blocking_modes: &BlockingMode::POOLED,
    driver: Driver::EventLoop,
    variants: &[],
    available: None,
    memory: Memory {
        per_worker: 0,
        per_task: 0,
    },
    helper: None,
};

/// What `mock-slow` is: a thread pool that takes twice the base time.
pub static SLOW: BackendInfo = BackendInfo {
    name: "mock-slow",
    family: Family::ThreadPool,
    summary: "test double: every answer exact after twice the base synthetic time (a pool)",
    sleep_model: SleepModel::BlocksWorkers,
    // Its workers hold the concurrency asked (a pool sized to C, as crossbeam's): a fetch
    // row judged on CPU per request compares only backends that do.
    fetch_slots: FetchSlots::Concurrency,
    blocking_modes: &[BlockingMode::Inline],
    ..FAST
};

/// A mock backend: `info` says which, `factor` scales its synthetic times.
#[derive(Debug)]
pub struct Mock {
    info: &'static BackendInfo,
    factor: u32,
    threads: u64,
}

impl Mock {
    /// `mock-fast` with `threads` workers.
    pub fn fast(threads: u64) -> Mock {
        Mock {
            info: &FAST,
            factor: 1,
            threads,
        }
    }

    /// `mock-slow` with `threads` workers.
    pub fn slow(threads: u64) -> Mock {
        Mock {
            info: &SLOW,
            factor: 2,
            threads,
        }
    }

    /// Takes this backend's synthetic time for `workload`, the base time times its factor:
    /// on the CPU where the workload is judged by the CPU it costs, else asleep.
    fn wait(&self, workload: &Workload) -> Duration {
        let in_flight = workload.in_flight(self.info, self.threads);
        let took = timing::base_time(workload, in_flight) * self.factor;
        let took = took.mul_f64(jitter());
        if workload.judged_by() == Judged::CpuPerRequest {
            let end = Instant::now() + took;
            while Instant::now() < end {
                std::hint::spin_loop();
            }
        } else {
            std::thread::sleep(took);
        }
        took
    }
}

/// The factor [`JITTER_ENV`] asks for, 1 without it.
fn jitter() -> f64 {
    let Some(spread) = std::env::var(JITTER_ENV)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s > 1.0)
    else {
        return 1.0;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let unit = (shootout_core::random::token(nanos ^ u64::from(std::process::id())) >> 11) as f64
        / (1u64 << 53) as f64;
    spread.powf(unit)
}

impl Backend for Mock {
    fn info(&self) -> &'static BackendInfo {
        self.info
    }

    fn config(&self) -> Config {
        Config::from([
            ("workers".into(), self.threads.to_string()),
            (
                "timing".into(),
                format!("synthetic: {}x the base time", self.factor),
            ),
        ])
    }

    fn run_admitted(
        &self,
        workload: &Workload,
        _target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        shootout_core::driver::started();
        let took = self.wait(workload);
        Ok(workload.synthetic(self.factor, took))
    }
}
