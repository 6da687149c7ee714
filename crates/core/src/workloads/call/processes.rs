//! `call` on a pool of worker processes: a part per call in flight, each a connection of
//! its own in the worker that takes it, making every `concurrency`-th call. A pool of W
//! holds W parts, so W calls, at once: the tutorials' multiprocessing, shown waiting.

use std::time::Duration;

use super::spec::counted;
use super::{CallError, CallSpec, Caller};
use crate::backend::BackendError;
use crate::fetch::Target;
use crate::outcome::Outcome;
use crate::processes::{Pool, Run, quiet, sum};

/// Sends a part per call in flight and sums the answers.
pub fn on_processes<P: Pool>(
    pool: &P,
    spec: &CallSpec,
    target: &Target,
) -> Result<Outcome, BackendError> {
    crate::driver::started();
    let run = Run {
        workload: (*spec).into(),
        parts: spec.concurrency.min(spec.calls),
        target: Some(target.clone()),
    };
    sum(pool.parts(run, quiet, quiet)?)
}

/// Part `part` of `parts`, in the worker: calls `part`, `part + parts`, … on one connection.
pub fn in_worker(
    spec: &CallSpec,
    part: u64,
    parts: u64,
    target: &Target,
    timeout: Duration,
) -> Result<Outcome, CallError> {
    let mut caller = Caller::open(spec, target, timeout)?;
    let mut outcome = Outcome::ZERO;
    for id in (part..spec.calls).step_by(parts.max(1) as usize) {
        outcome += counted([caller.call(id)?]);
    }
    Ok(outcome)
}
