//! The task-per-request fetch client on smol (the `task-per-request` variant): one executor
//! task per request, spawned when an `async_lock::Semaphore` permit frees, and a
//! shared pool of keep-alive `smol::net` connections. Timeouts race the exchange against an
//! async-io `Timer`. The shared design, C worker tasks, is `shootout_core::workers`.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use shootout_core::exchange::{ConnectionPool, with_retries};
use shootout_core::{BackendError, Failure, FetchOutcome, FetchSpec, Target};
use smol::lock::Semaphore;
use smol::{Executor, Timer};

use crate::runtime::connect;

/// Runs every request of `spec` against `target` on `executor`. A request's task is
/// spawned once a permit is free (after it is due, when paced) and records its own
/// outcome, so memory follows the concurrency, not the request count.
pub async fn per_request(
    executor: Arc<Executor<'static>>,
    spec: FetchSpec,
    target: Target,
) -> Result<FetchOutcome, BackendError> {
    let concurrency = spec.concurrency as usize;
    let limit = Arc::new(Semaphore::new(concurrency));
    let pool = Arc::new(ConnectionPool::default());
    let timeout = spec.timeout();
    let schedule = spec.schedule();
    let check = spec.check();
    let tally = Arc::new(Mutex::new(FetchOutcome::default()));
    let shared = Arc::new((spec, target));
    for id in 0..shared.0.requests {
        let due = schedule.due(id);
        if let Some(at) = due {
            Timer::at(at).await;
        }
        let permit = limit.acquire_arc().await;
        let (pool, shared, tally, check) = (pool.clone(), shared.clone(), tally.clone(), check);
        executor
            .spawn(async move {
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
                        let expired = async {
                            Timer::after(timeout).await;
                            Err(Failure::Timeout)
                        };
                        smol::future::or(pool.exchange(|| connect(addr), &request), expired).await
                    }
                };
                let sleep = |pause| async move {
                    Timer::after(pause).await;
                };
                let (result, attempts) = with_retries(spec, id, attempt, sleep).await;
                let done = Instant::now();
                let mut tally = tally.lock().expect("tally lock");
                tally.record_final(result, done - start, attempts, &check);
                if let Some(due) = due {
                    tally.record_due(due, start, done);
                }
            })
            .detach();
    }
    // Every task holds a permit until it has recorded its outcome: all permits back, all done.
    let mut all = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        all.push(limit.acquire_arc().await);
    }
    let tally = std::mem::take(&mut *tally.lock().expect("tally lock"));
    Ok(tally)
}
