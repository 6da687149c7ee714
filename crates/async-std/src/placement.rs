//! Where a CPU job runs on async-std: the one place both `cpu` and `blocking` put their
//! jobs.

use async_std::task::{self, JoinHandle};
use shootout_core::{BackendError, BlockingMode};
use shootout_handoff::Handoff;

/// Starts `job` where `mode` says: `inline` as a task (the pitfall: it never yields, so it
/// holds an executor thread), `offload` on `spawn_blocking`'s pool, `rayon` on the rayon
/// pool answering on a channel. async-std has no block-in-place; `run` refuses that mode.
pub fn place<T: Send + 'static>(
    mode: BlockingMode,
    rayon: &Handoff,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<JoinHandle<T>, BackendError> {
    Ok(match mode {
        BlockingMode::Inline => task::spawn(async move { job() }),
        BlockingMode::Offload => task::spawn_blocking(job),
        BlockingMode::Rayon => {
            let (done, result) = async_std::channel::bounded(1);
            rayon.spawn(move || {
                // The receiver lives until the job's task is awaited.
                let _ = done.try_send(job());
            })?;
            task::spawn(async move { result.recv().await.expect("a rayon job always answers") })
        }
        BlockingMode::BlockInPlace => unreachable!("not in INFO.blocking_modes: run refuses it"),
    })
}
