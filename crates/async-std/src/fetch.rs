//! The task-per-request fetch client on async-std (the `task-per-request` variant): one
//! spawned task per request, an `async_lock::Semaphore` bounding how many are in flight,
//! and a shared pool of keep-alive `async_std::net` connections;
//! `async_std::future::timeout` per request. The shared design, C worker tasks, is
//! `shootout_core::workers`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_lock::Semaphore;
use async_std::task;
use shootout_core::exchange::{ConnectionPool, with_retries};
use shootout_core::{BackendError, Failure, FetchOutcome, FetchSpec, Target};

use crate::runtime::connect;

/// Runs every request of `spec` against `target` on the global runtime.
pub async fn per_request(spec: FetchSpec, target: Target) -> Result<FetchOutcome, BackendError> {
    let limit = Arc::new(Semaphore::new(spec.concurrency as usize));
    let pool = Arc::new(ConnectionPool::default());
    let timeout = spec.timeout();
    let schedule = spec.schedule();
    let shared = Arc::new((spec.clone(), target));
    let handles: Vec<_> = (0..spec.requests)
        .map(|id| {
            let (limit, pool, shared) = (limit.clone(), pool.clone(), shared.clone());
            let due = schedule.due(id);
            task::spawn(async move {
                // An overdue request goes at once, without a zero sleep.
                let wait = due.map_or(Duration::ZERO, |at| {
                    at.saturating_duration_since(Instant::now())
                });
                if !wait.is_zero() {
                    task::sleep(wait).await;
                }
                let _permit = limit.acquire_arc().await;
                let (spec, target) = &*shared;
                let start = Instant::now();
                let attempt = |attempt| {
                    let (request, addr, pool) = (
                        target.request_attempt(spec, id, attempt),
                        target.addr,
                        pool.clone(),
                    );
                    async move {
                        async_std::future::timeout(
                            timeout,
                            pool.exchange(|| connect(addr), &request),
                        )
                        .await
                        .unwrap_or(Err(Failure::Timeout))
                    }
                };
                let (result, attempts) = with_retries(spec, id, attempt, task::sleep).await;
                (result, start, Instant::now(), attempts, due)
            })
        })
        .collect();
    let check = spec.check();
    let mut tally = FetchOutcome::default();
    for handle in handles {
        let (result, sent, done, attempts, due) = handle.await;
        tally.record_final(result, done - sent, attempts, &check);
        if let Some(due) = due {
            tally.record_due(due, sent, done);
        }
    }
    Ok(tally)
}
