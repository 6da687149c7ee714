//! `cpu` on a backend of OS threads: its jobs on W threads (a pool's workers, or W threads
//! each taking the next job where the backend starts a thread per job), the shared kernel
//! in each.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::backend::BackendError;
use crate::design::JobThreads;
use crate::outcome::Outcome;
use crate::threaded::Threaded;

use super::{CpuSpec, job};

/// Runs the `cpu` workload's jobs. A pool or loop runs them as its jobs, on its W threads
/// or one; a backend of a thread per job runs W threads, each taking the next job until
/// none is left, so that every backend computes on W threads (a thread per job whatever W
/// is the labelled variant).
pub fn on_threads<B: Threaded>(backend: &B, spec: &CpuSpec) -> Result<Outcome, BackendError> {
    let spec = *spec;
    match (backend.width(), spec.job_threads) {
        (None, JobThreads::Workers) => {
            let next = Arc::new(AtomicU64::new(0));
            let workers = backend.workers().clamp(1, spec.jobs.max(1));
            backend.each(workers, move |_| {
                std::iter::from_fn(|| {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    (i < spec.jobs).then(|| job(spec.range(i)))
                })
                .sum::<Outcome>()
            })
        }
        _ => backend.each(spec.jobs, move |i| job(spec.range(i))),
    }
}
