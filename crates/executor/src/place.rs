//! Where a CPU job runs: the one place both `cpu` and `blocking` put their jobs.

use shootout_core::runtime::{AsyncRuntime, TaskGroup};
use shootout_core::{BackendError, BlockingMode};
use shootout_handoff::Handoff;

/// Adds `job` to `group`, run where `mode` says: `inline` as a plain task on a worker (the
/// pitfall: it never yields, so it holds a worker thread), `offload` on the runtime's
/// blocking pool, `rayon` on the rayon pool answering on an `async_channel::bounded(1)`,
/// `block-in-place` inside a task (tokio's multi-thread runtime only).
pub fn place<R: AsyncRuntime, T: Send + 'static>(
    group: &mut R::Group<T>,
    mode: BlockingMode,
    rayon: &Handoff,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<(), BackendError> {
    match mode {
        BlockingMode::Inline => group.spawn(async move { job() }),
        BlockingMode::Offload => group.spawn_blocking(job),
        BlockingMode::Rayon => {
            let (done, result) = async_channel::bounded(1);
            rayon.spawn(move || {
                // The receiver lives until the group is joined.
                let _ = done.try_send(job());
            })?;
            group.spawn(async move { result.recv().await.expect("a rayon job always answers") });
        }
        BlockingMode::BlockInPlace => group.spawn(async move { R::block_in_place(job) }),
    }
    Ok(())
}
