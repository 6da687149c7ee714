//! Handing CPU work from an async runtime to rayon: the `rayon` placement of CPU jobs (cpu
//! and blocking workloads) on the async backends. The pool is the same kind of W-thread pool
//! the `rayon` backend runs on, built on first use (in a trial's warm-up, never timed). Its
//! own crate, so that no backend depends on another.

#![forbid(unsafe_code)]

use std::sync::{Arc, OnceLock};

use rayon::ThreadPool;
use shootout_core::BackendError;
use shootout_core::executor::Offload;

/// A rayon pool of `threads` workers, built when the first job arrives. Clones share the
/// pool, so a driver task can own one.
#[derive(Clone, Debug)]
pub struct Handoff {
    threads: usize,
    pool: Arc<OnceLock<ThreadPool>>,
}

impl Handoff {
    /// A handoff to `threads` rayon workers; no thread starts until the first job.
    pub fn new(threads: usize) -> Self {
        Handoff {
            threads,
            pool: Arc::new(OnceLock::new()),
        }
    }

    /// Runs `job` on the pool. The caller sends the result back to its runtime, usually
    /// over a oneshot channel it awaits.
    pub fn spawn(&self, job: impl FnOnce() + Send + 'static) -> Result<(), BackendError> {
        self.pool()?.spawn(job);
        Ok(())
    }

    fn pool(&self) -> Result<&ThreadPool, BackendError> {
        if let Some(pool) = self.pool.get() {
            return Ok(pool);
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .thread_name(|i| format!("rayon-handoff-{i}"))
            .build()
            .map_err(|err| BackendError::Build {
                what: "rayon handoff pool".into(),
                source: std::io::Error::other(err.to_string()),
            })?;
        Ok(self.pool.get_or_init(|| pool))
    }
}

impl Offload for Handoff {
    fn spawn(&self, job: impl FnOnce() + Send + 'static) -> Result<(), BackendError> {
        Handoff::spawn(self, job)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_run_on_the_pool_built_on_first_use() {
        let handoff = Handoff::new(2);
        assert!(handoff.pool.get().is_none(), "no threads before a job");
        let (send, recv) = std::sync::mpsc::channel();
        for i in 0..4 {
            let send = send.clone();
            handoff
                .spawn(move || {
                    let name = std::thread::current().name().map(str::to_string);
                    send.send((i, name)).unwrap();
                })
                .unwrap();
        }
        let mut got: Vec<(i32, Option<String>)> = (0..4).map(|_| recv.recv().unwrap()).collect();
        got.sort();
        assert_eq!(
            got.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
            [0, 1, 2, 3]
        );
        assert!(got.iter().all(|(_, name)| {
            name.as_deref()
                .is_some_and(|n| n.starts_with("rayon-handoff-"))
        }));
        assert_eq!(handoff.pool.get().unwrap().current_num_threads(), 2);
    }
}
