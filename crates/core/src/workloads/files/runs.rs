//! `files` on each family, on the file set its target's folder holds, the page cache put in
//! the cell's state first (outside the clock: the clock starts at the workers' gate).

use super::processes::{in_worker, on_processes};
use super::{FileSet, FilesSpec, on_cores, on_executor, on_threads};
use crate::backend::BackendError;
use crate::cores::{LocalRuntime, PerCore};
use crate::executor::Executor;
use crate::fetch::Target;
use crate::outcome::RunOutcome;
use crate::processes::Pool;
use crate::runs::RunsOn;
use crate::threaded::Threaded;

impl FilesSpec {
    /// The set this cell reads, in `target`'s folder of file sets, made by the run.
    pub fn set_in(&self, target: Option<&Target>) -> Result<FileSet, BackendError> {
        let dir = target
            .and_then(|t| t.databases.files_dir.as_ref())
            .ok_or_else(|| {
                BackendError::Config("files needs the run's folder of file sets".into())
            })?;
        FileSet::made(dir, self.set_key()).map_err(|err| BackendError::Failed(err.to_string()))
    }

    /// The set, its page cache in the cell's state.
    fn prepared(&self, target: Option<&Target>) -> Result<FileSet, BackendError> {
        let set = self.set_in(target)?;
        set.prepare(self.cache).map_err(|err| {
            BackendError::Failed(format!(
                "preparing the page cache ({}): {err}",
                self.cache.name()
            ))
        })?;
        Ok(set)
    }
}

impl RunsOn for FilesSpec {
    fn on_threads<B: Threaded>(
        &self,
        backend: &B,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        on_threads(backend, self, &self.prepared(target)?).map(Into::into)
    }

    fn on_executor<E: Executor>(
        &self,
        executor: &E,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        on_executor(executor, self, &self.prepared(target)?).map(Into::into)
    }

    fn on_cores<R: LocalRuntime, C: PerCore>(
        &self,
        cores: &C,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        on_cores::<R, C>(cores, self, &self.prepared(target)?).map(Into::into)
    }

    fn on_processes<P: Pool>(
        &self,
        pool: &P,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        self.prepared(target)?;
        on_processes(pool, self, target).map(Into::into)
    }

    fn in_worker(
        &self,
        part: u64,
        parts: u64,
        target: Option<&Target>,
    ) -> Result<crate::processes::Answer, String> {
        let set = self.set_in(target).map_err(|err| err.to_string())?;
        let outcome = in_worker(self, part, parts, &set);
        crate::processes::answer(outcome.map_err(|err| err.to_string())?)
    }
}
