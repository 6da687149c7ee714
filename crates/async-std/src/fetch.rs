//! The task-per-request fetch client on async-std (the `task-per-request` variant): one
//! spawned task per request, started when an `async_lock::Semaphore` permit frees,
//! and a shared pool of keep-alive `async_std::net` connections;
//! `async_std::future::timeout` per request. The shared design, C worker tasks, is
//! `shootout_core::workers`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_lock::Semaphore;
use async_std::task;
use shootout_core::exchange::{ConnectionPool, with_retries};
use shootout_core::{BackendError, Failure, FetchOutcome, FetchSpec, Target};

use crate::runtime::connect;

/// Runs every request of `spec` against `target` on the global runtime. A request's task
/// is spawned once a permit is free (after it is due, when paced) and records its own
/// outcome, so memory follows the concurrency, not the request count.
pub async fn per_request(spec: FetchSpec, target: Target) -> Result<FetchOutcome, BackendError> {
    let concurrency = spec.concurrency as usize;
    let limit = Arc::new(Semaphore::new(concurrency));
    let pool = Arc::new(ConnectionPool::default());
    let timeout = spec.timeout();
    let schedule = spec.schedule();
    let check = spec.check();
    let tally = Arc::new(Mutex::new(FetchOutcome::default()));
    let shared = Arc::new((spec.clone(), target));
    for id in 0..spec.requests {
        let due = schedule.due(id);
        // An overdue request goes at once, without a zero sleep.
        let wait = due.map_or(Duration::ZERO, |at| {
            at.saturating_duration_since(Instant::now())
        });
        if !wait.is_zero() {
            task::sleep(wait).await;
        }
        let permit = limit.acquire_arc().await;
        let (pool, shared, tally, check) = (pool.clone(), shared.clone(), tally.clone(), check);
        // Dropping the handle detaches the task; it reports through `tally`.
        drop(task::spawn(async move {
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
                    async_std::future::timeout(timeout, pool.exchange(|| connect(addr), &request))
                        .await
                        .unwrap_or(Err(Failure::Timeout))
                }
            };
            let (result, attempts) = with_retries(spec, id, attempt, task::sleep).await;
            let done = Instant::now();
            let mut tally = tally.lock().expect("tally lock");
            tally.record_final(result, done - start, attempts, &check);
            if let Some(due) = due {
                tally.record_due(due, start, done);
            }
        }));
    }
    // Every task holds a permit until it has recorded its outcome: all permits back, all done.
    let mut all = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        all.push(limit.acquire_arc().await);
    }
    let tally = std::mem::take(&mut *tally.lock().expect("tally lock"));
    Ok(tally)
}
