//! The task-per-request fetch client (the `task-per-request` variant). A request is
//! written once ([`Requests::send`]); around it each runtime keeps the shape its users
//! write (its semaphore, how it spawns and joins the request tasks): tokio its own,
//! smol and async-std the same one, [`detached`]. The run's tally is taken once every
//! request task has ended ([`Requests::tally`]).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_lock::Semaphore;

use crate::backend::BackendError;
use crate::exchange::{ConnectionPool, with_retries};
use crate::fetch::{FetchSpec, Schedule, Target};
use crate::latencies;
use crate::runtime::AsyncRuntime;
use crate::tally::{Check, Failure, FetchOutcome};

/// What every request task of one run shares: the spec, the target, the pool of idle
/// keep-alive connections and the tally each task records its outcome in.
pub struct Requests<R: AsyncRuntime> {
    spec: FetchSpec,
    target: Target,
    schedule: Schedule,
    check: Check,
    timeout: Duration,
    pool: ConnectionPool<R::Stream>,
    tally: Mutex<FetchOutcome>,
}

impl<R: AsyncRuntime> Requests<R> {
    /// The shared state of a run of `spec` against `target`.
    pub fn new(spec: FetchSpec, target: Target) -> Arc<Self> {
        let tally = Mutex::new(FetchOutcome::logging(latencies::for_run(&spec)));
        Arc::new(Requests {
            schedule: spec.schedule(),
            check: spec.check(),
            timeout: spec.timeout(),
            spec,
            target,
            pool: ConnectionPool::default(),
            tally,
        })
    }

    /// How many requests the run sends.
    pub fn count(&self) -> u64 {
        self.spec.requests
    }

    /// How many may be in flight at once.
    pub fn concurrency(&self) -> usize {
        self.spec.concurrency as usize
    }

    /// When request `id` is due, if the run is paced.
    pub fn due(&self, id: u64) -> Option<Instant> {
        self.schedule.due(id)
    }

    /// Sends request `id` (due at `due`, if paced) with its retries on a pooled
    /// connection, each attempt under the spec's timeout, and records its outcome.
    pub async fn send(self: Arc<Self>, id: u64, due: Option<Instant>) {
        let start = Instant::now();
        let attempt = |attempt| {
            let (shared, request) = (&self, self.target.request_attempt(&self.spec, id, attempt));
            async move {
                let exchange = shared
                    .pool
                    .exchange(|| R::connect(shared.target.addr), &request);
                R::timeout(shared.timeout, exchange)
                    .await
                    .unwrap_or(Err(Failure::Timeout))
            }
        };
        let (result, attempts) = with_retries(&self.spec, id, attempt, R::sleep).await;
        let done = Instant::now();
        let mut tally = self.tally.lock().expect("tally lock");
        tally.record_final(id, result, done - start, attempts, &self.check);
        if let Some(due) = due {
            tally.record_due(id, due, start, done);
        }
    }

    /// Every outcome recorded; call once every request task has ended.
    pub fn tally(&self) -> FetchOutcome {
        std::mem::take(&mut *self.tally.lock().expect("tally lock"))
    }
}

/// The task-per-request client as smol and async-std write it: a detached task per
/// request, spawned when an `async_lock::Semaphore(concurrency)` permit frees (after it is
/// due, when paced); the run ends when every permit is back, for every task holds one until
/// it has recorded its outcome. Memory follows the concurrency, not the request count.
pub async fn detached<R: AsyncRuntime>(
    runtime: R,
    requests: Arc<Requests<R>>,
) -> Result<(), BackendError> {
    let concurrency = requests.concurrency();
    let limit = Arc::new(Semaphore::new(concurrency));
    for id in 0..requests.count() {
        let due = requests.due(id);
        // An overdue request goes at once: no timer round trip for a deadline already past.
        if let Some(at) = due.filter(|at| *at > Instant::now()) {
            R::sleep_until(at).await;
        }
        let permit = limit.acquire_arc().await;
        let send = requests.clone().send(id, due);
        runtime.spawn_detached(async move {
            let _permit = permit;
            send.await;
        });
    }
    let mut all = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        all.push(limit.acquire_arc().await);
    }
    Ok(())
}
