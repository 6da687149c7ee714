//! `spawn` on a pool of worker processes: a part per task, one round trip to a worker.

use super::SpawnSpec;
use crate::backend::BackendError;
use crate::outcome::Outcome;
use crate::processes::{Pool, Run, quiet, sum};

/// Sends a part per task and sums the answers.
pub fn on_processes<P: Pool>(pool: &P, spec: &SpawnSpec) -> Result<Outcome, BackendError> {
    crate::driver::started();
    let run = Run {
        workload: (*spec).into(),
        parts: spec.tasks,
        target: None,
    };
    sum(pool.parts(run, quiet, quiet)?)
}

/// Task `id`, in the worker.
pub fn in_worker(_: &SpawnSpec, id: u64) -> Outcome {
    super::task(id)
}
