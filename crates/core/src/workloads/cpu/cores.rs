//! `cpu` on thread-per-core runtimes: the jobs split into one share per runtime, each
//! placed by mode there (the runtime's blocking pool unless told otherwise).

use crate::backend::BackendError;
use crate::cores::{LocalRuntime, PerCore, place, split};
use crate::outcome::Outcome;
use crate::placement::BlockingMode;

use super::{CpuSpec, job};

/// The `cpu` workload, split across the runtimes.
pub fn on_cores<R: LocalRuntime, C: PerCore>(
    cores: &C,
    spec: &CpuSpec,
) -> Result<Outcome, BackendError> {
    let spec = *spec;
    let mode = spec.mode.unwrap_or(BlockingMode::Offload);
    split(cores, spec.jobs, move |jobs| {
        Box::pin(async move {
            let handles: Vec<_> = jobs
                .map(|i| place::<R, _>(mode, move || job(spec.range(i))))
                .collect();
            let mut total = Outcome::ZERO;
            for handle in handles {
                total += handle.await;
            }
            total
        })
    })
}
