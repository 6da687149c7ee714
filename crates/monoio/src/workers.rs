//! Thread-per-core: W threads, each running its own monoio runtime (io_uring driver and
//! timer), fed jobs over a channel. A job is a closure sent to one worker that starts
//! local (`!Send`) tasks there; its result comes back over a channel. Nothing is shared
//! between the runtimes but what a workload shares on purpose.

use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc;
use std::thread::{self, JoinHandle};

use monoio::blocking::DefaultThreadPool;
use monoio::{IoUringDriver, RuntimeBuilder};
use shootout_core::BackendError;

/// Work for one worker: it runs on that worker's thread, inside its runtime.
type Job = Box<dyn FnOnce() + Send>;

/// A local future, made on the worker that runs it.
pub type Local<T> = Pin<Box<dyn Future<Output = T>>>;

/// W runtimes, one per thread.
#[derive(Debug)]
pub struct Workers {
    queues: Vec<async_channel::Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Starts `count` worker threads, each with its own io_uring runtime, all attached to
    /// one blocking pool of `count` threads (what `monoio::spawn_blocking` runs on).
    pub fn start(count: usize) -> Result<Workers, BackendError> {
        let blocking = DefaultThreadPool::new(count);
        let mut workers = Workers {
            queues: Vec::with_capacity(count),
            threads: Vec::with_capacity(count),
        };
        for i in 0..count {
            let (queue, jobs) = async_channel::unbounded::<Job>();
            let (ready, built) = mpsc::channel();
            let blocking = blocking.clone();
            let thread = thread::Builder::new()
                .name(format!("monoio-worker-{i}"))
                .spawn(move || {
                    let runtime = RuntimeBuilder::<IoUringDriver>::new()
                        .enable_timer()
                        .attach_thread_pool(Box::new(blocking))
                        .build();
                    let mut runtime = match runtime {
                        Ok(runtime) => {
                            let _ = ready.send(Ok(()));
                            runtime
                        }
                        Err(err) => {
                            let _ = ready.send(Err(err));
                            return;
                        }
                    };
                    runtime.block_on(async move {
                        // Ends when the backend is dropped and the queue closes.
                        while let Ok(job) = jobs.recv().await {
                            job();
                        }
                    });
                })
                .map_err(|source| BackendError::Build {
                    what: format!("monoio worker {i} of {count}"),
                    source,
                })?;
            workers.threads.push(thread);
            workers.queues.push(queue);
            match built.recv() {
                Ok(Ok(())) => {}
                Ok(Err(source)) => {
                    return Err(BackendError::Build {
                        what: format!("monoio io_uring runtime {i} of {count}"),
                        source,
                    });
                }
                Err(_) => {
                    return Err(BackendError::Task(format!(
                        "monoio worker {i} died starting"
                    )));
                }
            }
        }
        Ok(workers)
    }

    /// How many runtimes.
    pub fn count(&self) -> usize {
        self.queues.len()
    }

    /// Runs `share(i)` as a task on every worker `i` and waits for all of them; each
    /// share is made on its worker, so it may hold `!Send` state.
    pub fn scatter<T, F>(&self, share: F) -> Result<Vec<T>, BackendError>
    where
        T: Send + 'static,
        F: Fn(usize) -> Local<T> + Send + Sync + Clone + 'static,
    {
        let (done, results) = mpsc::channel();
        for (i, queue) in self.queues.iter().enumerate() {
            let (done, share) = (done.clone(), share.clone());
            let job: Job = Box::new(move || {
                monoio::spawn(async move {
                    let _ = done.send((i, share(i).await));
                });
            });
            queue
                .send_blocking(job)
                .map_err(|_| BackendError::Task(format!("monoio worker {i} has stopped")))?;
        }
        drop(done);
        let mut out: Vec<Option<T>> = (0..self.count()).map(|_| None).collect();
        for _ in 0..self.count() {
            let (i, value) = results
                .recv()
                .map_err(|_| BackendError::Task("a monoio worker died (a task panicked)".into()))?;
            out[i] = Some(value);
        }
        Ok(out
            .into_iter()
            .map(|v| v.expect("every worker answered"))
            .collect())
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        self.queues.clear();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// The part of `0..total` that worker `i` of `count` takes: contiguous, the first
/// `total % count` workers one more.
pub fn share(total: u64, i: usize, count: usize) -> std::ops::Range<u64> {
    let (count, i) = (count as u64, i as u64);
    let (base, extra) = (total / count, total % count);
    let start = i * base + i.min(extra);
    let len = base + u64::from(i < extra);
    start..start + len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_the_range_once() {
        let parts: Vec<_> = (0..3).map(|i| share(10, i, 3)).collect();
        assert_eq!(parts, vec![0..4, 4..7, 7..10]);
        assert_eq!(share(1, 1, 2), 1..1);
    }
}
