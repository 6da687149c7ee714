//! `sleep` on a backend of OS threads: a job per task, each in `std::thread::sleep`, so a
//! sleeping task holds its thread (W at once on a pool, one at a time on the caller).

use std::thread;

use crate::backend::BackendError;
use crate::outcome::Outcome;
use crate::threaded::Threaded;

use super::{SleepSpec, waiting, woke};

/// Runs the `sleep` workload as a job per task.
pub fn on_threads<B: Threaded>(backend: &B, spec: &SleepSpec) -> Result<Outcome, BackendError> {
    let duration = spec.duration();
    backend.each(spec.tasks, move |id| {
        waiting();
        thread::sleep(duration);
        woke(id).into()
    })
}

/// The harness-free `sleep`: a job per task that only sleeps, counting the jobs joined.
pub fn bare_on_threads<B: Threaded>(backend: &B, spec: &SleepSpec) -> Result<u64, BackendError> {
    let duration = spec.duration();
    backend.each(spec.tasks, move |_| {
        thread::sleep(duration);
        1u64
    })
}
