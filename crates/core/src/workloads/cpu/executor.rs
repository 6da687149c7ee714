//! `cpu` on a shared-executor runtime: every job placed by mode (the runtime's blocking
//! pool unless told otherwise).

use crate::backend::BackendError;
use crate::executor::{Executor, drive, place, sum};
use crate::outcome::Outcome;
use crate::placement::BlockingMode;
use crate::runtime::AsyncRuntime;

use super::{CpuSpec, job};

/// Runs the `cpu` workload.
pub fn on_executor<E: Executor>(executor: &E, spec: &CpuSpec) -> Result<Outcome, BackendError> {
    let (runtime, spec, rayon) = (executor.runtime(), *spec, executor.handoff().clone());
    drive(executor, async move {
        let mode = spec.mode.unwrap_or(BlockingMode::Offload);
        let mut group = runtime.group(spec.jobs as usize);
        for range in spec.ranges() {
            place::<E::Runtime, _>(&mut group, mode, &rayon, move || job(range))?;
        }
        sum(group).await
    })
}
