//! What every family's design of `call` shares: the run's shared state (the next call's
//! id, the gate the clock starts at, the latency log) and how C worker tasks are spread on
//! a shared-executor runtime or over thread-per-core runtimes and their tallies summed.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::spec::counted;
use super::tally::{self, Tally};
use super::ticker::{self, Lateness};
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
use crate::workload::WorkloadSpec;

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
    /// The ticker beside the calls, where the spec asks for one: its period.
    pub tick: Option<Duration>,
}

impl Shared {
    /// The state of a run of `spec` against `target`.
    pub fn new(spec: &CallSpec, target: &Target, timeout: Duration) -> Shared {
        let tick = (spec.tick_us > 0).then(|| Duration::from_micros(spec.tick_us));
        let workers = spec.concurrency.min(spec.calls) as usize;
        Shared {
            spec: *spec,
            target: Arc::new(target.clone()),
            timeout,
            next: Arc::new(AtomicU64::new(0)),
            // The ticker arrives with the workers.
            gate: Arc::new(Gate::new(workers + usize::from(tick.is_some()))),
            log: tally::log(spec.calls),
            tick,
        }
    }

    /// About how long the calls take, seconds: room for the ticker's record.
    pub fn expected_s(&self) -> f64 {
        self.spec.waits_floor_s().unwrap_or(0.0) * 2.0 + 0.1
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
        Tally::ended(outcome, None)
    }
}

/// A worker task per call in flight on a shared-executor runtime, each `work(runtime)`,
/// their tallies summed; the driver a task on the runtime. The ticker, where `shared` has
/// one, is a task beside them, stopped as they finish.
pub(super) fn on_tasks<E, F, Fut>(
    executor: &E,
    shared: &Shared,
    work: F,
) -> Result<Tally, BackendError>
where
    E: Executor,
    F: Fn(E::Runtime) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Tally, BackendError>> + Send + 'static,
{
    let runtime = executor.runtime();
    let (slots, tick, gate, expected_s) = (
        shared.slots(),
        shared.tick,
        shared.gate.clone(),
        shared.expected_s(),
    );
    drive(executor, async move {
        let (stop, stopped, _) = ticker::stop();
        let mut tickers = runtime.group(1);
        if let Some(period) = tick {
            tickers.spawn(async move {
                let start = gate.arrive_async().await;
                let sleep_until = |deadline| E::Runtime::sleep_until(deadline);
                ticker::on_runtime(start, period, expected_s, stopped, sleep_until).await
            });
        }
        let mut workers = runtime.group(slots as usize);
        for _ in 0..slots {
            workers.spawn(work(runtime.clone()));
        }
        let tallies: Vec<Result<Tally, BackendError>> = collect(workers).await?;
        drop(stop);
        let ticks: Vec<Lateness> = collect(tickers).await?;
        Ok(tallies
            .into_iter()
            .sum::<Result<Tally, _>>()?
            .ticked(ticks.into_iter().next()))
    })
}

/// A worker task per call in flight shared out to thread-per-core runtimes `R`, their
/// tallies summed: each runtime opens its workers' connections with `open` (as local tasks,
/// at once), its share arriving at the clock's gate once they have, then runs `run` on
/// each. One arrival per runtime: a gate woken across threads for hundreds of tasks stalled
/// compio's runtimes at 256 tasks each (measured: C = 512 hung). The ticker, where `shared`
/// has one, is a local task of the first runtime, stopped when the last runtime's workers
/// finish.
pub(super) fn on_local_tasks<R, C, O, OF, W, WF, T>(
    cores: &C,
    shared: &Shared,
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
    let (count, slots, tick, expected_s) = (
        cores.count(),
        shared.slots(),
        shared.tick,
        shared.expected_s(),
    );
    let gate = Arc::new(Gate::new(count + usize::from(tick.is_some())));
    let (stop, stopped, _) = ticker::stop();
    let last = Arc::new(LastOut::new(count, stop));
    let parts = cores.scatter(move |i| {
        driver::started();
        let (mine, open, run, gate, last) = (
            share(slots, i, count),
            open.clone(),
            run.clone(),
            gate.clone(),
            last.clone(),
        );
        let ticking = (i == 0).then(|| (tick, gate.clone(), stopped.clone()));
        Box::pin(async move {
            let ticker = ticking.and_then(|(tick, gate, stopped)| {
                let period = tick?;
                Some(R::spawn(async move {
                    let start = gate.arrive_async().await;
                    let sleep_until = |deadline: Instant| {
                        R::sleep(deadline.saturating_duration_since(Instant::now()))
                    };
                    ticker::on_runtime(start, period, expected_s, stopped, sleep_until).await
                }))
            });
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
            last.leave();
            let ticks = match ticker {
                Some(handle) => Some(handle.await),
                None => None,
            };
            tallies.into_iter().sum::<Tally>().ticked(ticks)
        }) as Local<Tally>
    })?;
    Ok(parts.into_iter().sum())
}

/// The runtimes' workers still calling: the last to leave stops the ticker.
struct LastOut {
    left: AtomicU64,
    stop: std::sync::Mutex<Option<ticker::Stop>>,
}

impl LastOut {
    fn new(count: usize, stop: ticker::Stop) -> LastOut {
        LastOut {
            left: AtomicU64::new(count as u64),
            stop: std::sync::Mutex::new(Some(stop)),
        }
    }

    /// One runtime's workers are done.
    fn leave(&self) {
        if self.left.fetch_sub(1, Ordering::AcqRel) == 1 {
            let mut stop = self
                .stop
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            drop(stop.take());
        }
    }
}
