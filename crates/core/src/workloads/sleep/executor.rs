//! `sleep` on a shared-executor runtime: a task per id in the runtime's task group, each
//! on the runtime's timer.

use crate::backend::BackendError;
use crate::executor::{Executor, drive, sum};
use crate::outcome::Outcome;
use crate::runtime::{AsyncRuntime, TaskGroup};

use super::{SleepSpec, waiting, woke};

/// Runs the `sleep` workload.
pub fn on_executor<E: Executor>(executor: &E, spec: &SleepSpec) -> Result<Outcome, BackendError> {
    let (runtime, spec) = (executor.runtime(), *spec);
    drive(executor, async move {
        let duration = spec.duration();
        let mut group = runtime.group(spec.tasks as usize);
        for id in 0..spec.tasks {
            group.spawn(async move {
                waiting();
                E::Runtime::sleep(duration).await;
                woke(id)
            });
        }
        sum(group).await
    })
}

/// The harness-free `sleep`: the minimal program, counting only the tasks joined.
pub fn bare_on_executor<E: Executor>(executor: &E, spec: &SleepSpec) -> Result<u64, BackendError> {
    let (runtime, spec) = (executor.runtime(), *spec);
    drive(executor, async move {
        let duration = spec.duration();
        let mut group = runtime.group(spec.tasks as usize);
        for _ in 0..spec.tasks {
            group.spawn(E::Runtime::sleep(duration));
        }
        let mut joined = 0;
        group.join(|()| joined += 1).await?;
        Ok(joined)
    })
}
