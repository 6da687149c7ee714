//! `call` on a shared-executor runtime: `concurrency` long-lived tasks, each with its own
//! connection, each call placed where the spec's mode says ([`placed`]): on the runtime's
//! blocking pool by default, as its docs advise; inline on the worker (the pitfall: a
//! blocking call holds the worker, so W calls are in flight at most); on the rayon pool; or
//! in place (tokio). The connection moves to where the call runs and back.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::spec::counted;
use super::tally::{self, CallOutcome, Tally};
use super::{CallSpec, Caller};
use crate::backend::BackendError;
use crate::clock::Gate;
use crate::executor::{Executor, Offload, collect, drive, placed};
use crate::fetch::Target;
use crate::latencies::LatencyLog;
use crate::outcome::Outcome;
use crate::placement::BlockingMode;
use crate::runtime::{AsyncRuntime, TaskGroup};

/// Runs `spec` against `target`; each HTTP call gives up after `timeout`.
pub fn on_executor<E: Executor>(
    executor: &E,
    spec: &CallSpec,
    target: &Target,
    timeout: Duration,
) -> Result<CallOutcome, BackendError> {
    if !spec.client.is_blocking() {
        return super::native::on_executor(executor, spec, target, timeout);
    }
    let (runtime, rayon) = (executor.runtime(), executor.handoff().clone());
    let slots = spec.concurrency.min(spec.calls);
    let (spec, target) = (*spec, Arc::new(target.clone()));
    let log = tally::log(spec.calls);
    let worker = Worker {
        spec,
        target,
        timeout,
        next: Arc::new(AtomicU64::new(0)),
        gate: Arc::new(Gate::new(slots as usize)),
        log: log.clone(),
    };
    drive(executor, async move {
        let mut workers = runtime.group(slots as usize);
        for _ in 0..slots {
            let (worker, runtime, rayon) = (worker.clone(), runtime.clone(), rayon.clone());
            workers.spawn(async move { worker.work(&runtime, &rayon).await });
        }
        let tallies: Vec<Result<Tally, BackendError>> = collect(workers).await?;
        tallies.into_iter().sum::<Result<Tally, _>>()?.with_log(log)
    })
}

/// What each task needs: the spec, where to call, the next call's id and the gate.
#[derive(Clone)]
struct Worker {
    spec: CallSpec,
    target: Arc<Target>,
    timeout: Duration,
    next: Arc<AtomicU64>,
    gate: Arc<Gate>,
    log: Arc<LatencyLog>,
}

impl Worker {
    /// Opens a connection where the calls will run, waits for the others to, then calls
    /// until none are left.
    async fn work<R: AsyncRuntime>(
        self,
        runtime: &R,
        rayon: &impl Offload,
    ) -> Result<Tally, BackendError> {
        let mode = self.spec.mode.unwrap_or(BlockingMode::Offload);
        let (spec, target, timeout) = (self.spec, self.target.clone(), self.timeout);
        let opened = placed(runtime, mode, rayon, move || {
            Caller::open(&spec, &target, timeout)
        })
        .await?;
        self.gate.arrive_async().await;
        let mut caller = match opened {
            Ok(caller) => caller,
            Err(err) => return Ok(Tally::failed(Outcome::ZERO, err)),
        };
        let mut outcome = Outcome::ZERO;
        let failed = loop {
            let id = self.next.fetch_add(1, Ordering::Relaxed);
            if id >= self.spec.calls {
                break None;
            }
            let start = Instant::now();
            let (back, called) = placed(runtime, mode, rayon, move || {
                let called = caller.call(id);
                (caller, called)
            })
            .await?;
            caller = back;
            match called {
                Ok(call) => outcome += counted([call]),
                Err(err) => break Some(err),
            }
            tally::timed(&self.log, id, start);
        };
        // Closing a connection is a blocking call too (the postgres crate's blocks on its
        // own runtime, which tokio refuses on a worker): made where the calls were.
        placed(runtime, mode, rayon, move || drop(caller)).await?;
        Ok(Tally { outcome, failed })
    }
}
