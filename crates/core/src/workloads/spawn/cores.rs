//! `spawn` on thread-per-core runtimes: the tasks split into one share per runtime, each
//! a local task there.

use crate::backend::BackendError;
use crate::cores::{LocalRuntime, PerCore, join, split};
use crate::outcome::Outcome;

use super::{SpawnSpec, task};

/// The `spawn` workload, split across the runtimes.
pub fn on_cores<R: LocalRuntime, C: PerCore>(
    cores: &C,
    spec: &SpawnSpec,
) -> Result<Outcome, BackendError> {
    split(cores, spec.tasks, |ids| {
        Box::pin(async move {
            let handles = ids.map(|id| R::spawn(async move { task(id) })).collect();
            join(handles).await
        })
    })
}
