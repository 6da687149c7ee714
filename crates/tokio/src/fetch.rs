//! The task-per-request fetch client on tokio (the `task-per-request` variant): one task
//! per request, a `Semaphore` bounding how many are in flight (the tutorials'
//! semaphore-bounded gather), and a shared pool of keep-alive `tokio::net::TcpStream`s.
//! The shared design, C worker tasks, is `shootout_core::workers`.

use std::sync::Arc;
use std::time::Instant;

use shootout_core::exchange::{ConnectionPool, with_retries};
use shootout_core::{BackendError, Failure, FetchOutcome, FetchSpec, Target};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::runtime::connect;

/// Runs every request of `spec` against `target`; must be called inside the runtime.
pub async fn per_request(spec: FetchSpec, target: Target) -> Result<FetchOutcome, BackendError> {
    let limit = Arc::new(Semaphore::new(spec.concurrency as usize));
    let pool = Arc::new(ConnectionPool::default());
    let timeout = spec.timeout();
    let schedule = spec.schedule();
    let shared = Arc::new((spec.clone(), target));
    let mut set = JoinSet::new();
    for id in 0..spec.requests {
        let (limit, pool, shared) = (limit.clone(), pool.clone(), shared.clone());
        let due = schedule.due(id);
        set.spawn(async move {
            if let Some(at) = due {
                tokio::time::sleep_until(at.into()).await;
            }
            let _permit = limit
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
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
            (result, start, Instant::now(), attempts, due)
        });
    }
    let check = spec.check();
    let mut tally = FetchOutcome::default();
    while let Some(joined) = set.join_next().await {
        let (result, sent, done, attempts, due) =
            joined.map_err(|err| BackendError::Task(err.to_string()))?;
        tally.record_final(result, done - sent, attempts, &check);
        if let Some(due) = due {
            tally.record_due(due, sent, done);
        }
    }
    Ok(tally)
}
