//! What every family's design of `call` shares: the run's shared state (the next call's
//! id, the gate the clock starts at, the latency log) and how C worker tasks are spread on
//! a shared-executor runtime or over thread-per-core runtimes and their tallies summed.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::spec::counted;
use super::tally::{self, Tally};
use super::{Call, CallError, CallSpec};
use crate::backend::BackendError;
use crate::clock::Gate;
use crate::cores::{Local, LocalRuntime, PerCore, share};
use crate::driver;
use crate::executor::{Executor, collect, drive};
use crate::fetch::Target;
use crate::latencies::LatencyLog;
use crate::outcome::Outcome;
use crate::runtime::{AsyncRuntime, TaskGroup};

/// What a run's workers share: made before the clock.
#[derive(Clone)]
pub(super) struct Shared {
    /// The cell.
    pub spec: CallSpec,
    /// Where to call.
    pub target: Arc<Target>,
    /// How long one call may take.
    pub timeout: Duration,
    /// The next call's id.
    next: Arc<AtomicU64>,
    /// Where the workers wait for each other before the clock starts.
    pub gate: Arc<Gate>,
    /// Each call's latency.
    pub log: Arc<LatencyLog>,
}

impl Shared {
    /// The state of a run of `spec` against `target`.
    pub fn new(spec: &CallSpec, target: &Target, timeout: Duration) -> Shared {
        Shared {
            spec: *spec,
            target: Arc::new(target.clone()),
            timeout,
            next: Arc::new(AtomicU64::new(0)),
            gate: Arc::new(Gate::new(spec.concurrency.min(spec.calls) as usize)),
            log: tally::log(spec.calls),
        }
    }

    /// The workers: one per call in flight.
    pub fn slots(&self) -> u64 {
        self.spec.concurrency.min(self.spec.calls)
    }

    /// The next call's id, or `None` when every call is taken.
    pub fn next_id(&self) -> Option<u64> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        (id < self.spec.calls).then_some(id)
    }

    /// Makes calls with `call` until it fails or none are left, each verified and timed.
    pub async fn calls<F, Fut>(&self, mut call: F) -> Tally
    where
        F: FnMut(u64) -> Fut,
        Fut: Future<Output = Result<Call, CallError>>,
    {
        let mut outcome = Outcome::ZERO;
        while let Some(id) = self.next_id() {
            let start = Instant::now();
            match call(id).await {
                Ok(done) => outcome += counted([done]),
                Err(err) => return Tally::failed(outcome, err),
            }
            tally::timed(&self.log, id, start);
        }
        Tally {
            outcome,
            failed: None,
        }
    }
}

/// `slots` worker tasks on a shared-executor runtime, each `work(runtime)`, their tallies
/// summed; the driver a task on the runtime.
pub(super) fn on_tasks<E, F, Fut>(executor: &E, slots: u64, work: F) -> Result<Tally, BackendError>
where
    E: Executor,
    F: Fn(E::Runtime) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Tally, BackendError>> + Send + 'static,
{
    let runtime = executor.runtime();
    drive(executor, async move {
        let mut workers = runtime.group(slots as usize);
        for _ in 0..slots {
            workers.spawn(work(runtime.clone()));
        }
        let tallies: Vec<Result<Tally, BackendError>> = collect(workers).await?;
        tallies.into_iter().sum()
    })
}

/// `slots` worker tasks shared out to thread-per-core runtimes `R`, their tallies summed:
/// each runtime opens its workers' connections with `open` (as local tasks, at once), its
/// share arriving at the clock's gate once they have, then runs `run` on each. One arrival
/// per runtime: a gate woken across threads for hundreds of tasks stalled compio's runtimes
/// at 256 tasks each (measured: C = 512 hung).
pub(super) fn on_local_tasks<R, C, O, OF, W, WF, T>(
    cores: &C,
    slots: u64,
    open: O,
    run: W,
) -> Result<Tally, BackendError>
where
    R: LocalRuntime,
    C: PerCore,
    O: Fn() -> OF + Send + Sync + Clone + 'static,
    OF: Future<Output = T> + 'static,
    W: Fn(T) -> WF + Send + Sync + Clone + 'static,
    WF: Future<Output = Tally> + 'static,
    T: 'static,
{
    let count = cores.count();
    let gate = Arc::new(Gate::new(count));
    let parts = cores.scatter(move |i| {
        driver::started();
        let (mine, open, run, gate) = (
            share(slots, i, count),
            open.clone(),
            run.clone(),
            gate.clone(),
        );
        Box::pin(async move {
            let opening: Vec<_> = mine.map(|_| R::spawn(open())).collect();
            let mut opened = Vec::with_capacity(opening.len());
            for handle in opening {
                opened.push(handle.await);
            }
            gate.arrive_async().await;
            let handles: Vec<_> = opened.into_iter().map(|o| R::spawn(run(o))).collect();
            let mut tallies = Vec::with_capacity(handles.len());
            for handle in handles {
                tallies.push(handle.await);
            }
            tallies.into_iter().sum::<Tally>()
        }) as Local<Tally>
    })?;
    Ok(parts.into_iter().sum())
}
