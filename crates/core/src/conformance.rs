//! The conformance suite: the same workloads and expected answers for every backend.
//!
//! Each backend crate runs it from `tests/conformance.rs` in a few lines:
//!
//! ```
//! # use shootout_core::{BackendInfo, Maintenance, SleepModel};
//! # struct Sequential;
//! # static INFO: BackendInfo = BackendInfo { name: "sequential", summary: "",
//! #     maintenance: Maintenance::Std, sleep_model: SleepModel::Sequential };
//! # impl shootout_core::Backend for Sequential {
//! #     fn info(&self) -> &'static BackendInfo { &INFO }
//! #     fn config(&self) -> shootout_core::Config { Default::default() }
//! #     fn sleep(&self, s: &shootout_core::SleepSpec) -> Result<shootout_core::Outcome, shootout_core::BackendError> {
//! #         Ok((0..s.tasks).map(shootout_core::sleep::complete).sum())
//! #     }
//! #     fn cpu(&self, s: &shootout_core::CpuSpec) -> Result<shootout_core::Outcome, shootout_core::BackendError> {
//! #         Ok(s.ranges().map(shootout_core::cpu::job).sum())
//! #     }
//! # }
//! shootout_core::conformance::check_all(&Sequential);
//! ```

use crate::backend::Backend;
use crate::cpu::CpuSpec;
use crate::sleep::SleepSpec;
use crate::workload::Workload;

/// Sleep cases: one task, no wait, and a batch small enough for a sequential backend.
pub const SLEEP_CASES: [SleepSpec; 4] = [
    SleepSpec {
        tasks: 1,
        sleep_ms: 0,
    },
    SleepSpec {
        tasks: 1,
        sleep_ms: 5,
    },
    SleepSpec {
        tasks: 7,
        sleep_ms: 1,
    },
    SleepSpec {
        tasks: 200,
        sleep_ms: 0,
    },
];

/// CPU cases: n = 0 and 1, more jobs than elements, n not divisible by jobs.
pub const CPU_CASES: [CpuSpec; 7] = [
    CpuSpec { n: 0, jobs: 1 },
    CpuSpec { n: 0, jobs: 4 },
    CpuSpec { n: 1, jobs: 1 },
    CpuSpec { n: 3, jobs: 8 },
    CpuSpec { n: 1_000, jobs: 7 },
    CpuSpec {
        n: 1_000_003,
        jobs: 64,
    },
    CpuSpec {
        n: 5_000_000,
        jobs: 1,
    },
];

/// Every case of every workload, in order.
pub fn cases() -> impl Iterator<Item = Workload> {
    SLEEP_CASES
        .into_iter()
        .map(Workload::Sleep)
        .chain(CPU_CASES.into_iter().map(Workload::Cpu))
}

/// Runs every case on `backend`; panics with the backend's name and the case on the
/// first error or wrong answer.
pub fn check_all(backend: &dyn Backend) {
    for workload in cases() {
        check(backend, &workload);
    }
}

/// Runs one case on `backend` and panics unless it verifies.
pub fn check(backend: &dyn Backend, workload: &Workload) {
    let name = backend.info().name;
    let label = workload.params_label();
    let kind = workload.kind();
    let outcome = backend
        .run(workload)
        .unwrap_or_else(|err| panic!("{name} failed {kind} {label}: {err}"));
    if let Err(mismatch) = workload.verify(&outcome) {
        panic!("{name} gave a wrong answer on {kind} {label}: {mismatch}");
    }
}
