//! The task-per-request fetch client on tokio (the `task-per-request` variant): one task
//! per request, spawned when a `Semaphore` permit frees (the tutorials' semaphore-bounded
//! gather, without holding every pending request in memory at once), and a shared pool of
//! keep-alive `tokio::net::TcpStream`s.
//! The shared design, C worker tasks, is `shootout_core::workers`.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use shootout_core::exchange::{ConnectionPool, with_retries};
use shootout_core::{BackendError, Failure, FetchOutcome, FetchSpec, Target};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::runtime::connect;

/// Runs every request of `spec` against `target`; must be called inside the runtime. A
/// request's task is spawned once a permit is free (after it is due, when paced), and
/// records its own outcome, so memory follows the concurrency, not the request count.
pub async fn per_request(spec: FetchSpec, target: Target) -> Result<FetchOutcome, BackendError> {
    let limit = Arc::new(Semaphore::new(spec.concurrency as usize));
    let pool = Arc::new(ConnectionPool::default());
    let timeout = spec.timeout();
    let schedule = spec.schedule();
    let check = spec.check();
    let tally = Arc::new(Mutex::new(FetchOutcome::default()));
    let shared = Arc::new((spec.clone(), target));
    let mut set = JoinSet::new();
    for id in 0..spec.requests {
        let due = schedule.due(id);
        if let Some(at) = due {
            tokio::time::sleep_until(at.into()).await;
        }
        let permit = limit
            .clone()
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        // Finished tasks leave the set as we go: it holds at most `concurrency`.
        while let Some(joined) = set.try_join_next() {
            joined.map_err(|err| BackendError::Task(err.to_string()))?;
        }
        let (pool, shared, tally, check) = (pool.clone(), shared.clone(), tally.clone(), check);
        set.spawn(async move {
            let _permit = permit;
            let (spec, target) = &*shared;
            let start = Instant::now();
            let attempt = |attempt| {
                let (request, addr, pool) = (
                    target.request_attempt(spec, id, attempt),
                    target.addr,
                    pool.clone(),
                );
                async move {
                    tokio::time::timeout(timeout, pool.exchange(|| connect(addr), &request))
                        .await
                        .unwrap_or(Err(Failure::Timeout))
                }
            };
            let (result, attempts) = with_retries(spec, id, attempt, tokio::time::sleep).await;
            let done = Instant::now();
            let mut tally = tally.lock().expect("tally lock");
            tally.record_final(result, done - start, attempts, &check);
            if let Some(due) = due {
                tally.record_due(due, start, done);
            }
        });
    }
    while let Some(joined) = set.join_next().await {
        joined.map_err(|err| BackendError::Task(err.to_string()))?;
    }
    let tally = std::mem::take(&mut *tally.lock().expect("tally lock"));
    Ok(tally)
}
