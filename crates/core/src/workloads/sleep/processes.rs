//! `sleep` on a pool of worker processes: a part per task, `std::thread::sleep` in a
//! worker, W tasks asleep at once.

use super::SleepSpec;
use crate::backend::BackendError;
use crate::outcome::Outcome;
use crate::processes::{Pool, Run, sum};

/// Sends a part per task; the parent counts a task as waiting while its part is out, so
/// the trial can tell how many sleeps overlapped (W: one per worker).
pub fn on_processes<P: Pool>(pool: &P, spec: &SleepSpec) -> Result<Outcome, BackendError> {
    crate::driver::started();
    let run = Run {
        workload: (*spec).into(),
        parts: spec.tasks,
        target: None,
    };
    let parts = pool.parts(
        run,
        |_| super::waiting(),
        |id| {
            let _ = super::woke(id);
        },
    )?;
    sum(parts)
}

/// Task `id`, in the worker: blocks it for the sleep.
pub fn in_worker(spec: &SleepSpec, id: u64) -> Outcome {
    super::waiting();
    std::thread::sleep(spec.duration());
    super::woke(id).into()
}
