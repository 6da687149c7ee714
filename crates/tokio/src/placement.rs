//! Where a CPU job runs on tokio: the one place both `cpu` and `blocking` put their jobs.

use shootout_core::{BackendError, BlockingMode};
use shootout_handoff::Handoff;
use tokio::task::JoinSet;

/// Adds `job` to `set`, run where `mode` says: `inline` as a plain task on a worker (the
/// pitfall: it never yields), `offload` on the blocking pool, `rayon` on the rayon pool
/// answering on a oneshot, `block-in-place` inside a task (multi-thread runtime only).
pub fn place<T: Send + 'static>(
    set: &mut JoinSet<T>,
    mode: BlockingMode,
    rayon: &Handoff,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<(), BackendError> {
    match mode {
        BlockingMode::Inline => {
            set.spawn(async move { job() });
        }
        BlockingMode::Offload => {
            set.spawn_blocking(job);
        }
        BlockingMode::Rayon => {
            let (done, result) = tokio::sync::oneshot::channel();
            rayon.spawn(move || {
                // The receiver lives until the set is joined.
                let _ = done.send(job());
            })?;
            set.spawn(async move { result.await.expect("a rayon job always answers") });
        }
        BlockingMode::BlockInPlace => {
            set.spawn(async move { tokio::task::block_in_place(job) });
        }
    }
    Ok(())
}
