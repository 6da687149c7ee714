//! The task-per-request fetch client on tokio (the `task-per-request` variant): one task
//! per request in a `JoinSet`, spawned when a `tokio::sync::Semaphore` permit frees (the
//! tutorials' semaphore-bounded gather, without holding every pending request in memory at
//! once), on a shared pool of keep-alive connections. The request itself is
//! `shootout_core::request`; the shared design, C worker tasks, is
//! `shootout_core::workers`.

use std::sync::Arc;

use shootout_core::BackendError;
use shootout_core::request::Requests;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::runtime::{Current, task_error};

/// Sends every request of `requests`; must be called inside the runtime. A request's task
/// is spawned once a permit is free (after it is due, when paced), and records its own
/// outcome, so memory follows the concurrency, not the request count.
pub async fn per_request(requests: Arc<Requests<Current>>) -> Result<(), BackendError> {
    let limit = Arc::new(Semaphore::new(requests.concurrency()));
    let mut set = JoinSet::new();
    for id in 0..requests.count() {
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
    Ok(())
}
