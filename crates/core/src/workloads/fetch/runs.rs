//! `fetch` on each family, against the server it is given or else its own `url`.

use crate::backend::BackendError;
use crate::cores::{LocalRuntime, PerCore};
use crate::executor::Executor;
use crate::outcome::RunOutcome;
use crate::runs::RunsOn;
use crate::threaded::Threaded;

use super::processes::{in_worker, on_processes};
use super::{FetchSpec, Target, on_cores, on_executor, on_threads};
use crate::processes::Pool;

impl FetchSpec {
    /// The server to send to: `target` when given, else the spec's own `url`.
    pub fn target_or_url(&self, target: Option<&Target>) -> Result<Target, BackendError> {
        match (target, &self.url) {
            (Some(target), _) => Ok(target.clone()),
            (None, Some(url)) => {
                Target::from_url(url).map_err(|err| BackendError::Config(err.message))
            }
            (None, None) => Err(BackendError::Config(
                "fetch needs a server: no target and no url".into(),
            )),
        }
    }
}

impl RunsOn for FetchSpec {
    fn on_threads<B: Threaded>(
        &self,
        backend: &B,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        let target = self.target_or_url(target)?;
        on_threads(backend, self, &target).map(Into::into)
    }

    fn on_executor<E: Executor>(
        &self,
        executor: &E,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        let target = self.target_or_url(target)?;
        on_executor(executor, self, &target).map(Into::into)
    }

    fn on_cores<R: LocalRuntime, C: PerCore>(
        &self,
        cores: &C,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        let target = self.target_or_url(target)?;
        on_cores::<R, C>(cores, self, &target).map(Into::into)
    }

    fn on_processes<P: Pool>(
        &self,
        pool: &P,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        let target = self.target_or_url(target)?;
        on_processes(pool, self, &target).map(Into::into)
    }

    fn in_worker(
        &self,
        part: u64,
        parts: u64,
        target: Option<&Target>,
    ) -> Result<crate::processes::Answer, String> {
        let target = self.target_or_url(target).map_err(|err| err.to_string())?;
        in_worker(self, part, parts, &target)
    }
}
