//! `sleep` on thread-per-core runtimes: the tasks split into one share per runtime, each
//! a local task on that runtime's timer.

use crate::backend::BackendError;
use crate::cores::{LocalRuntime, PerCore, join, split};
use crate::outcome::Outcome;

use super::{SleepSpec, waiting, woke};

/// The `sleep` workload, split across the runtimes.
pub fn on_cores<R: LocalRuntime, C: PerCore>(
    cores: &C,
    spec: &SleepSpec,
) -> Result<Outcome, BackendError> {
    let duration = spec.duration();
    split(cores, spec.tasks, move |ids| {
        Box::pin(async move {
            let handles = ids
                .map(|id| {
                    R::spawn(async move {
                        waiting();
                        R::sleep(duration).await;
                        woke(id)
                    })
                })
                .collect();
            join(handles).await
        })
    })
}

/// The `sleep_bare` workload, split across the runtimes.
pub fn bare_on_cores<R: LocalRuntime, C: PerCore>(
    cores: &C,
    spec: &SleepSpec,
) -> Result<u64, BackendError> {
    let duration = spec.duration();
    let outcome = split(cores, spec.tasks, move |ids| {
        Box::pin(async move {
            let handles: Vec<_> = ids
                .map(|_| R::spawn(async move { R::sleep(duration).await }))
                .collect();
            let mut joined = 0;
            for handle in handles {
                handle.await;
                joined += 1;
            }
            Outcome {
                ops: joined,
                checksum: 0,
            }
        })
    })?;
    Ok(outcome.ops)
}
