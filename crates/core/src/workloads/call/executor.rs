//! `call` on a shared-executor runtime: `concurrency` long-lived tasks, each with its own
//! connection, each call placed where the spec's mode says ([`placed`]): on the runtime's
//! blocking pool by default, as its docs advise; inline on the worker (the pitfall: a
//! blocking call holds the worker, so W calls are in flight at most); on the rayon pool; or
//! in place (tokio). The connection moves to where the call runs and back.

use std::time::{Duration, Instant};

use super::spec::counted;
use super::tally::{self, CallOutcome, Tally};
use super::workers::{Shared, on_tasks};
use super::{CallSpec, Caller};
use crate::backend::BackendError;
use crate::executor::{Executor, Offload, placed};
use crate::fetch::Target;
use crate::outcome::Outcome;
use crate::placement::BlockingMode;
use crate::runtime::AsyncRuntime;

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
    let shared = Shared::new(spec, target, timeout);
    let (log, rayon) = (shared.log.clone(), executor.handoff().clone());
    on_tasks(executor, &shared.clone(), move |runtime| {
        let (shared, rayon) = (shared.clone(), rayon.clone());
        async move { work(shared, &runtime, &rayon).await }
    })?
    .with_log(log)
}

/// One worker: opens a connection where the calls will run, waits for the others to, then
/// calls until none are left.
async fn work<R: AsyncRuntime>(
    shared: Shared,
    runtime: &R,
    rayon: &impl Offload,
) -> Result<Tally, BackendError> {
    let mode = shared.spec.mode.unwrap_or(BlockingMode::Offload);
    let (spec, target, timeout) = (shared.spec, shared.target.clone(), shared.timeout);
    let opened = placed(runtime, mode, rayon, move || {
        Caller::open(&spec, &target, timeout)
    })
    .await?;
    shared.gate.arrive_async().await;
    let mut caller = match opened {
        Ok(caller) => caller,
        Err(err) => return Ok(Tally::failed(Outcome::ZERO, err)),
    };
    let mut outcome = Outcome::ZERO;
    let failed = loop {
        let Some(id) = shared.next_id() else {
            break None;
        };
        let start = Instant::now();
        // The connection goes where the call runs and comes back with its answer.
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
        tally::timed(&shared.log, id, start);
    };
    // Closing a connection is a blocking call too (the postgres crate's blocks on its
    // own runtime, which tokio refuses on a worker): made where the calls were.
    placed(runtime, mode, rayon, move || drop(caller)).await?;
    Ok(Tally::ended(outcome, failed))
}
