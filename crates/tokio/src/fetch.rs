//! The task-per-request fetch client on tokio (the `task-per-request` variant): one task
//! per request in a `JoinSet`, spawned when a `tokio::sync::Semaphore` permit frees (the
//! tutorials' semaphore-bounded gather, without holding every pending request in memory at
//! once), on a shared pool of keep-alive connections. The request itself is
//! `shootout_executor::request`; the shared design, C worker tasks, is
//! `shootout_core::workers`.

use std::sync::Arc;

use shootout_core::{BackendError, FetchOutcome, FetchSpec, Target};
use shootout_executor::request::Requests;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::runtime::{Current, task_error};

/// Runs every request of `spec` against `target`; must be called inside the runtime. A
/// request's task is spawned once a permit is free (after it is due, when paced), and
/// records its own outcome, so memory follows the concurrency, not the request count.
pub async fn per_request(spec: FetchSpec, target: Target) -> Result<FetchOutcome, BackendError> {
    let limit = Arc::new(Semaphore::new(spec.concurrency as usize));
    let requests = Requests::<Current>::new(spec, target);
    let mut set = JoinSet::new();
    for id in 0..requests.spec().requests {
        let due = requests.due(id);
        if let Some(at) = due {
            tokio::time::sleep_until(at.into()).await;
        }
        let permit = limit.clone().acquire_owned().await;
        let permit = permit.expect("the semaphore is never closed");
        // Finished tasks leave the set as we go: it holds at most `concurrency`.
        while let Some(joined) = set.try_join_next() {
            joined.map_err(task_error)?;
        }
        let send = requests.clone().send(id, due);
        set.spawn(async move {
            let _permit = permit;
            send.await;
        });
    }
    while let Some(joined) = set.join_next().await {
        joined.map_err(task_error)?;
    }
    Ok(requests.tally())
}
