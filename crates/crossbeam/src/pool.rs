//! The pool itself: workers pulling boxed jobs from one shared channel.

use std::panic::{self, AssertUnwindSafe};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Sender, unbounded};
use shootout_core::{BackendError, Outcome};

type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed set of worker threads; dropping the pool closes the queue and joins them.
#[derive(Debug)]
pub struct Pool {
    queue: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl Pool {
    /// Starts `size` workers, each looping on the shared queue until it closes.
    pub fn new(size: usize) -> Result<Self, BackendError> {
        let (queue, jobs) = unbounded::<Job>();
        let mut workers = Vec::with_capacity(size);
        for i in 0..size {
            let jobs = jobs.clone();
            let worker = thread::Builder::new()
                .name(format!("crossbeam-worker-{i}"))
                .spawn(move || {
                    for job in jobs {
                        job();
                    }
                })
                .map_err(|source| BackendError::Build {
                    what: format!("crossbeam worker {i} of {size}"),
                    source,
                })?;
            workers.push(worker);
        }
        Ok(Pool {
            queue: Some(queue),
            workers,
        })
    }

    /// The number of worker threads.
    pub fn size(&self) -> usize {
        self.workers.len()
    }

    /// Queues every job, waits for all of them and sums their outcomes.
    ///
    /// A job that panics is caught on its worker (the pool keeps its size) and reported.
    pub fn run_all<I, F>(&self, jobs: I) -> Result<Outcome, BackendError>
    where
        I: IntoIterator<Item = F>,
        F: FnOnce() -> Outcome + Send + 'static,
    {
        self.run_fold(jobs, Outcome::ZERO, |total, outcome| *total += outcome)
    }

    /// Queues every job, then folds their results into `acc` as they finish, in any order.
    pub fn run_fold<I, F, T, A>(
        &self,
        jobs: I,
        acc: A,
        fold: impl FnMut(&mut A, T),
    ) -> Result<A, BackendError>
    where
        I: IntoIterator<Item = F>,
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        self.run_window(jobs, usize::MAX, acc, fold)
    }

    /// Like [`Pool::run_fold`], but with at most `window` jobs queued or running at once:
    /// the next job is queued only when a result comes back. This is how a pool bounds
    /// in-flight work independently of its size.
    pub fn run_window<I, F, T, A>(
        &self,
        jobs: I,
        window: usize,
        mut acc: A,
        mut fold: impl FnMut(&mut A, T),
    ) -> Result<A, BackendError>
    where
        I: IntoIterator<Item = F>,
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let queue = self
            .queue
            .as_ref()
            .expect("queue open while the pool lives");
        let (results, outcomes) = unbounded();
        let mut jobs = jobs.into_iter();
        let mut in_flight = 0usize;
        loop {
            while in_flight < window.max(1) {
                let Some(job) = jobs.next() else { break };
                let results = results.clone();
                let job: Job = Box::new(move || {
                    let outcome = panic::catch_unwind(AssertUnwindSafe(job));
                    // The receiver lives until every result is in; a send cannot fail.
                    let _ = results.send(outcome.ok());
                });
                queue
                    .send(job)
                    .map_err(|_| BackendError::Task("the pool's queue is closed".into()))?;
                in_flight += 1;
            }
            if in_flight == 0 {
                return Ok(acc);
            }
            match outcomes.recv() {
                Ok(Some(result)) => fold(&mut acc, result),
                Ok(None) => return Err(BackendError::Task("a job panicked".into())),
                Err(_) => return Err(BackendError::Task("a worker died".into())),
            }
            in_flight -= 1;
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.queue.take();
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_job_is_reported_and_the_pool_survives() {
        let pool = Pool::new(2).unwrap();
        let err = pool
            .run_all([|| -> Outcome { panic!("boom") }])
            .unwrap_err();
        assert!(err.to_string().contains("panicked"), "{err}");
        let ok = pool.run_all((0..10).map(|id| move || shootout_core::sleep::complete(id)));
        assert_eq!(ok.unwrap().ops, 10);
    }

    #[test]
    fn a_window_bounds_jobs_in_flight_below_the_pool_size() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let pool = Pool::new(4).unwrap();
        let (now, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let jobs = (0..20).map(|_| {
            let (now, peak) = (now.clone(), peak.clone());
            move || {
                let current = now.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(current, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(2));
                now.fetch_sub(1, Ordering::SeqCst);
            }
        });
        let count = pool
            .run_window(jobs, 2, 0, |count, ()| *count += 1)
            .unwrap();
        assert_eq!(count, 20);
        assert!(peak.load(Ordering::SeqCst) <= 2);
    }
}
