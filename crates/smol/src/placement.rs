//! Where a CPU job runs on smol: the one place both `cpu` and `blocking` put their jobs.

use shootout_core::{BackendError, BlockingMode};
use shootout_handoff::Handoff;
use smol::{Executor, Task};

/// Starts `job` where `mode` says: `inline` as an executor task (the pitfall: it never
/// yields, so it holds a worker thread), `offload` on `smol::unblock`'s pool, `rayon` on the
/// rayon pool answering on a channel. smol has no block-in-place; `run` refuses that mode.
pub fn place<T: Send + 'static>(
    executor: &Executor<'static>,
    mode: BlockingMode,
    rayon: &Handoff,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<Task<T>, BackendError> {
    Ok(match mode {
        BlockingMode::Inline => executor.spawn(async move { job() }),
        BlockingMode::Offload => smol::unblock(job),
        BlockingMode::Rayon => {
            let (done, result) = smol::channel::bounded(1);
            rayon.spawn(move || {
                // The receiver lives until the job's task is awaited.
                let _ = done.try_send(job());
            })?;
            executor.spawn(async move { result.recv().await.expect("a rayon job always answers") })
        }
        BlockingMode::BlockInPlace => unreachable!("not in INFO.blocking_modes: run refuses it"),
    })
}
