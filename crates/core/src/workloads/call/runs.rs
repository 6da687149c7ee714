//! `call` on each family, against the server and databases its target names.

use super::processes::{in_worker, on_processes};
use super::{CallSpec, on_cores, on_executor, on_threads};
use crate::backend::BackendError;
use crate::cores::{LocalRuntime, PerCore};
use crate::executor::Executor;
use crate::fetch::Target;
use crate::outcome::RunOutcome;
use crate::processes::Pool;
use crate::runs::RunsOn;
use crate::threaded::Threaded;

/// The target a call needs: the run's server and databases.
fn needed(target: Option<&Target>) -> Result<&Target, BackendError> {
    target.ok_or_else(|| {
        BackendError::Config("call needs the run's server and databases: no target".into())
    })
}

impl RunsOn for CallSpec {
    fn on_threads<B: Threaded>(
        &self,
        backend: &B,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        on_threads(backend, self, needed(target)?, self.call_timeout()).map(Into::into)
    }

    fn on_executor<E: Executor>(
        &self,
        executor: &E,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        on_executor(executor, self, needed(target)?, self.call_timeout()).map(Into::into)
    }

    fn on_cores<R: LocalRuntime, C: PerCore>(
        &self,
        cores: &C,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        on_cores::<R, C>(cores, self, needed(target)?, self.call_timeout()).map(Into::into)
    }

    fn on_processes<P: Pool>(
        &self,
        pool: &P,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        on_processes(pool, self, needed(target)?).map(Into::into)
    }

    fn in_worker(
        &self,
        part: u64,
        parts: u64,
        target: Option<&Target>,
    ) -> Result<crate::processes::Answer, String> {
        let target = needed(target).map_err(|err| err.to_string())?;
        let outcome = in_worker(self, part, parts, target, self.call_timeout());
        crate::processes::answer(outcome.map_err(|err| err.to_string())?)
    }
}
