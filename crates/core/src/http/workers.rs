//! The fetch client every backend shares in shape: `concurrency` long-lived workers, each
//! pulling the next request id and sending it on its own keep-alive connection. The thread
//! backends run it with threads and a blocking client; this is the async version, written
//! once over [`AsyncRuntime`] so every async runtime runs exactly the same client.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::backend::BackendError;
use crate::clock::Gate;
use crate::exchange::{ConnectionPool, with_retries};
use crate::fetch::Schedule;
use crate::fetch::{FetchSpec, Target};
use crate::latencies;
use crate::runtime::AsyncRuntime;
use crate::tally::{Failure, FetchOutcome};

/// Runs every request of `spec` against `target` on `min(concurrency, requests)` worker
/// tasks of `runtime`, all spawned before the clock starts ([`crate::clock`]). Call it from
/// a task on the runtime (the driver), as a server would.
pub async fn fetch<R: AsyncRuntime>(
    runtime: R,
    spec: FetchSpec,
    target: Target,
) -> Result<FetchOutcome, BackendError> {
    let next = Arc::new(AtomicU64::new(0));
    let log = latencies::for_run(&spec);
    let schedule = spec.schedule();
    let workers = spec.concurrency.min(spec.requests).max(1);
    let gate = Gate::new(workers as usize);
    let shared = Arc::new((spec, target, schedule, gate));
    let tasks: Vec<_> = (0..workers)
        .map(|_| {
            let (next, shared) = (next.clone(), shared.clone());
            let tally = FetchOutcome::logging(log.clone());
            runtime.spawn(async move {
                let (spec, target, schedule, gate) = &*shared;
                let schedule = schedule.starting(gate.arrive_async().await);
                worker::<R>(spec, target, &next, &schedule, tally).await
            })
        })
        .collect();
    let mut total = FetchOutcome::logging(log);
    for task in tasks {
        total.merge(task.await?);
    }
    Ok(total)
}

/// One worker: takes ids until none are left, each sent when due and timed from its first
/// attempt (and, paced, from when it was due), recorded in `tally`.
async fn worker<R: AsyncRuntime>(
    spec: &FetchSpec,
    target: &Target,
    next: &AtomicU64,
    schedule: &Schedule,
    mut tally: FetchOutcome,
) -> FetchOutcome {
    // A pool of at most one: this worker's own keep-alive connection.
    let connection = ConnectionPool::default();
    let check = spec.check();
    let timeout = spec.timeout();
    loop {
        let id = next.fetch_add(1, Ordering::Relaxed);
        if id >= spec.requests {
            return tally;
        }
        let due = schedule.due(id);
        // An overdue request goes at once: no timer round trip for a deadline already past.
        if let Some(at) = due.filter(|at| *at > Instant::now()) {
            R::sleep_until(at).await;
        }
        let start = Instant::now();
        let attempt = |attempt| {
            let request = target.request_attempt(spec, id, attempt);
            let connection = &connection;
            async move {
                let exchange = connection.exchange(|| R::connect(target.addr), &request);
                R::timeout(timeout, exchange)
                    .await
                    .unwrap_or(Err(Failure::Timeout))
            }
        };
        let (result, attempts) = with_retries(spec, id, attempt, R::sleep).await;
        tally.record_final(id, result, start.elapsed(), attempts, &check);
        if let Some(due) = due {
            tally.record_due(id, due, start, Instant::now());
        }
    }
}
