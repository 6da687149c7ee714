//! `files` on each family, on the file set its target's folder holds, the page cache put in
//! the cell's state first (outside the clock: the clock starts at the workers' gate).

use super::processes::{in_worker, on_processes};
use super::{FileSet, FilesOutcome, FilesSpec, on_cores, on_executor, on_threads};
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

    /// The set, its page cache in the cell's state (a write shape's: its file new and
    /// empty).
    fn prepared(&self, target: Option<&Target>) -> Result<FileSet, BackendError> {
        let set = self.set_in(target)?;
        set.prepare(self.cache).map_err(|err| {
            BackendError::Failed(match self.shape.writes() {
                true => format!("making the new file to write: {err}"),
                false => format!("preparing the page cache ({}): {err}", self.cache.name()),
            })
        })?;
        Ok(set)
    }

    /// A design's result, a write shape's file named in it to be read back after the
    /// clock, or deleted here where the run failed (a full disk, say): the run goes on
    /// without it.
    fn ended(
        &self,
        set: &FileSet,
        result: Result<FilesOutcome, BackendError>,
    ) -> Result<RunOutcome, BackendError> {
        if !self.shape.writes() {
            return result.map(Into::into);
        }
        match result {
            Ok(outcome) => Ok(FilesOutcome {
                written: Some(set.path(0)),
                ..outcome
            }
            .into()),
            Err(err) => {
                let _ = std::fs::remove_file(set.path(0));
                Err(err)
            }
        }
    }
}

impl RunsOn for FilesSpec {
    fn on_threads<B: Threaded>(
        &self,
        backend: &B,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        let set = self.prepared(target)?;
        self.ended(&set, on_threads(backend, self, &set))
    }

    fn on_executor<E: Executor>(
        &self,
        executor: &E,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        let set = self.prepared(target)?;
        self.ended(&set, on_executor(executor, self, &set))
    }

    fn on_cores<R: LocalRuntime, C: PerCore>(
        &self,
        cores: &C,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        let set = self.prepared(target)?;
        self.ended(&set, on_cores::<R, C>(cores, self, &set))
    }

    // The parts count their operations without timing them: no latency log.
    fn on_processes<P: Pool>(
        &self,
        pool: &P,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        let set = self.prepared(target)?;
        let outcome = on_processes(pool, self, &set, target);
        if !self.shape.writes() {
            return outcome.map(Into::into);
        }
        let written = outcome.map(|reads| FilesOutcome {
            reads,
            log: None,
            written: None,
        });
        self.ended(&set, written)
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
