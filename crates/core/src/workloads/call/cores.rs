//! `call` on thread-per-core runtimes: the `concurrency` workers shared out to the
//! runtimes, each a local task with its own connection, each call placed where the spec's
//! mode says: on the runtime's blocking pool by default (its own offload), or inline on the
//! runtime's one thread (the pitfall: a blocking call stops every task of that core).

use std::time::{Duration, Instant};

use super::spec::counted;
use super::tally::{self, CallOutcome, Tally};
use super::workers::{Shared, on_local_tasks};
use super::{CallError, CallSpec, Caller};
use crate::backend::BackendError;
use crate::cores::{LocalRuntime, PerCore};
use crate::fetch::Target;
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
    let shared = Shared::new(spec, target, timeout);
    let (log, on) = (shared.log.clone(), shared.clone());
    let opening = shared.clone();
    let open = move || open::<R>(opening.clone());
    let run = move |opened| work::<R>(shared.clone(), opened);
    on_local_tasks::<R, C, _, _, _, _, _>(cores, &on, open, run)?.with_log(log)
}

/// Runs `job` where `mode` says, on the current runtime: on its blocking pool, or right here
/// (inline: it holds the runtime's thread until done). Not `cores::place`, which runs an
/// inline job as a task of its own: a spawn per call the executors' inline calls do not pay.
async fn placed<R: LocalRuntime, T: Send + 'static>(
    mode: BlockingMode,
    job: impl FnOnce() -> T + Send + 'static,
) -> T {
    match mode {
        BlockingMode::Offload => R::spawn_blocking(job).await,
        _ => job(),
    }
}

/// One worker's connection, opened where its calls will run.
async fn open<R: LocalRuntime>(shared: Shared) -> Result<Caller, CallError> {
    let mode = shared.spec.mode.unwrap_or(BlockingMode::Offload);
    let (spec, target, timeout) = (shared.spec, shared.target.clone(), shared.timeout);
    placed::<R, _>(mode, move || Caller::open(&spec, &target, timeout)).await
}

/// One worker: calls on its connection until none are left.
async fn work<R: LocalRuntime>(shared: Shared, opened: Result<Caller, CallError>) -> Tally {
    let mode = shared.spec.mode.unwrap_or(BlockingMode::Offload);
    let mut caller = match opened {
        Ok(caller) => caller,
        Err(err) => return Tally::failed(Outcome::ZERO, err),
    };
    let mut outcome = Outcome::ZERO;
    let failed = loop {
        let Some(id) = shared.next_id() else {
            break None;
        };
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
        tally::timed(&shared.log, id, start);
    };
    // Closing a connection is a blocking call too: made where the calls were.
    placed::<R, _>(mode, move || drop(caller)).await;
    Tally::ended(outcome, failed)
}
