//! `spawn` on a backend of OS threads: every task through the backend's task-group idiom.

use crate::backend::BackendError;
use crate::outcome::Outcome;
use crate::threaded::Threaded;

use super::{SpawnSpec, task};

/// Runs the `spawn` workload through [`Threaded::group`].
pub fn on_threads<B: Threaded>(backend: &B, spec: &SpawnSpec) -> Result<Outcome, BackendError> {
    backend.group(spec.tasks, task)
}
