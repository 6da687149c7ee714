//! The task-per-request fetch client on smol (the `task-per-request` variant): one executor
//! task per request, an `async_lock::Semaphore` bounding how many are in flight, and a
//! shared pool of keep-alive `smol::net` connections. Timeouts race the exchange against an
//! async-io `Timer`. The shared design, C worker tasks, is `shootout_core::workers`.

use std::sync::Arc;
use std::time::Instant;

use shootout_core::exchange::{ConnectionPool, with_retries};
use shootout_core::{BackendError, Failure, FetchOutcome, FetchSpec, Target};
use smol::lock::Semaphore;
use smol::{Executor, Timer};

use crate::runtime::connect;

/// Runs every request of `spec` against `target` on `executor`.
pub async fn per_request(
    executor: Arc<Executor<'static>>,
    spec: FetchSpec,
    target: Target,
) -> Result<FetchOutcome, BackendError> {
    let limit = Arc::new(Semaphore::new(spec.concurrency as usize));
    let pool = Arc::new(ConnectionPool::default());
    let timeout = spec.timeout();
    let schedule = spec.schedule();
    let check = spec.check();
    let shared = Arc::new((spec, target));
    let tasks: Vec<_> = (0..shared.0.requests)
        .map(|id| {
            let (limit, pool, shared) = (limit.clone(), pool.clone(), shared.clone());
            let due = schedule.due(id);
            executor.spawn(async move {
                if let Some(at) = due {
                    Timer::at(at).await;
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
                (result, start, Instant::now(), attempts, due)
            })
        })
        .collect();
    let mut tally = FetchOutcome::default();
    for task in tasks {
        let (result, sent, done, attempts, due) = task.await;
        tally.record_final(result, done - sent, attempts, &check);
        if let Some(due) = due {
            tally.record_due(due, sent, done);
        }
    }
    Ok(tally)
}
