//! `call` on thread-per-core runtimes: the `concurrency` workers shared out to the
//! runtimes, each a local task with its own connection, each call placed where the spec's
//! mode says: on the runtime's blocking pool by default (its own offload), or inline on the
//! runtime's one thread (the pitfall: a blocking call stops every task of that core).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::spec::counted;
use super::tally::{self, CallOutcome, Tally};
use super::{CallSpec, Caller};
use crate::backend::BackendError;
use crate::clock::Gate;
use crate::cores::{Local, LocalRuntime, PerCore, share};
use crate::driver;
use crate::fetch::Target;
use crate::latencies::LatencyLog;
use crate::outcome::Outcome;
use crate::placement::BlockingMode;

/// Runs `spec` against `target`; each HTTP call gives up after `timeout`.
pub fn on_cores<R: LocalRuntime, C: PerCore>(
    cores: &C,
    spec: &CallSpec,
    target: &Target,
    timeout: Duration,
) -> Result<CallOutcome, BackendError> {
    if !spec.client.is_blocking() {
        return super::native::on_cores::<R, C>(cores, spec, target, timeout);
    }
    let slots = spec.concurrency.min(spec.calls);
    let count = cores.count();
    let log = tally::log(spec.calls);
    let shared = Shared {
        spec: *spec,
        target: Arc::new(target.clone()),
        timeout,
        next: Arc::new(AtomicU64::new(0)),
        gate: Arc::new(Gate::new(slots as usize)),
        log: log.clone(),
    };
    let parts = cores.scatter(move |i| {
        driver::started();
        let (mine, shared) = (share(slots, i, count), shared.clone());
        Box::pin(async move {
            let handles: Vec<_> = mine.map(|_| R::spawn(work::<R>(shared.clone()))).collect();
            let mut tallies = Vec::with_capacity(handles.len());
            for handle in handles {
                tallies.push(handle.await);
            }
            tallies.into_iter().sum::<Tally>()
        }) as Local<Tally>
    })?;
    parts.into_iter().sum::<Tally>().with_log(log)
}

/// What every worker of a run shares.
#[derive(Clone)]
struct Shared {
    spec: CallSpec,
    target: Arc<Target>,
    timeout: Duration,
    next: Arc<AtomicU64>,
    gate: Arc<Gate>,
    log: Arc<LatencyLog>,
}

/// Runs `job` where `mode` says, on the current runtime: on its blocking pool, or right here
/// (inline: it holds the runtime's thread until done).
async fn placed<R: LocalRuntime, T: Send + 'static>(
    mode: BlockingMode,
    job: impl FnOnce() -> T + Send + 'static,
) -> T {
    match mode {
        BlockingMode::Offload => R::spawn_blocking(job).await,
        _ => job(),
    }
}

/// One worker: opens its connection where the calls will run, waits for the others to,
/// then calls until none are left.
async fn work<R: LocalRuntime>(shared: Shared) -> Tally {
    let Shared {
        spec,
        target,
        timeout,
        next,
        gate,
        log,
    } = shared;
    let mode = spec.mode.unwrap_or(BlockingMode::Offload);
    let opened = placed::<R, _>(mode, move || Caller::open(&spec, &target, timeout)).await;
    gate.arrive_async().await;
    let mut caller = match opened {
        Ok(caller) => caller,
        Err(err) => return Tally::failed(Outcome::ZERO, err),
    };
    let mut outcome = Outcome::ZERO;
    let failed = loop {
        let id = next.fetch_add(1, Ordering::Relaxed);
        if id >= spec.calls {
            break None;
        }
        let start = Instant::now();
        let (back, called) = placed::<R, _>(mode, move || {
            let called = caller.call(id);
            (caller, called)
        })
        .await;
        caller = back;
        match called {
            Ok(call) => outcome += counted([call]),
            Err(err) => break Some(err),
        }
        tally::timed(&log, id, start);
    };
    // Closing a connection is a blocking call too: made where the calls were.
    placed::<R, _>(mode, move || drop(caller)).await;
    Tally { outcome, failed }
}
