//! `fetch` on a shared-executor runtime: the shared worker-task client
//! ([`crate::workers`]), or a task per request (the `task-per-request` variant) in the
//! runtime's own shape ([`Executor::per_request`]).

use crate::backend::BackendError;
use crate::design::Client;
use crate::executor::{Executor, drive};
use crate::request::Requests;
use crate::tally::FetchOutcome;
use crate::workers;

use super::{FetchSpec, Target};

/// Runs the `fetch` workload against `target`.
pub fn on_executor<E: Executor>(
    executor: &E,
    spec: &FetchSpec,
    target: &Target,
) -> Result<FetchOutcome, BackendError> {
    let (runtime, spec, target) = (executor.runtime(), spec.clone(), target.clone());
    match spec.client {
        Client::Workers => drive(executor, workers::fetch(runtime, spec, target)),
        Client::TaskPerRequest => drive(executor, async move {
            let requests = Requests::<E::Runtime>::new(spec, target);
            E::per_request(runtime, requests.clone()).await?;
            Ok(requests.tally())
        }),
    }
}
