//! `cpu` on a backend of OS threads: a job per CPU job, the shared kernel in each.

use crate::backend::BackendError;
use crate::outcome::Outcome;
use crate::threaded::Threaded;

use super::{CpuSpec, job};

/// Runs the `cpu` workload as a job per CPU job.
pub fn on_threads<B: Threaded>(backend: &B, spec: &CpuSpec) -> Result<Outcome, BackendError> {
    let spec = *spec;
    backend.each(spec.jobs, move |i| job(spec.range(i)))
}
