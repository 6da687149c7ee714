//! `cpu` on a pool of worker processes: a part per job, the kernel run in a worker.

use super::CpuSpec;
use crate::backend::BackendError;
use crate::outcome::Outcome;
use crate::processes::{Pool, Run, quiet, sum};

/// Sends a part per job and sums the answers.
pub fn on_processes<P: Pool>(pool: &P, spec: &CpuSpec) -> Result<Outcome, BackendError> {
    crate::driver::started();
    let run = Run {
        workload: (*spec).into(),
        parts: spec.jobs,
        target: None,
    };
    sum(pool.parts(run, quiet, quiet)?)
}

/// Job `job`, in the worker.
pub fn in_worker(spec: &CpuSpec, job: u64) -> Outcome {
    super::job(spec.range(job))
}
