//! `spawn` on a shared-executor runtime: a task per id in the runtime's task group, joined
//! until empty, from a task on the runtime or (the `from-outside` variant) from the calling
//! thread.

use crate::backend::BackendError;
use crate::design::SpawnFrom;
use crate::executor::{Executor, drive, drive_outside, sum};
use crate::outcome::Outcome;
use crate::runtime::{AsyncRuntime, TaskGroup};

use super::{SpawnSpec, task};

/// Runs the `spawn` workload.
pub fn on_executor<E: Executor>(executor: &E, spec: &SpawnSpec) -> Result<Outcome, BackendError> {
    let (runtime, tasks) = (executor.runtime(), spec.tasks);
    let driver = async move {
        let mut group = runtime.group(tasks as usize);
        for id in 0..tasks {
            group.spawn(async move { task(id) });
        }
        sum(group).await
    };
    match spec.from {
        SpawnFrom::Runtime => drive(executor, driver),
        SpawnFrom::Outside => drive_outside(executor, driver),
    }
}
