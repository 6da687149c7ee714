//! Thread-per-core scaffolding, shared by the io_uring backends (monoio, compio, glommio): W
//! threads, each running its own runtime, fed jobs over an `async-channel`. A job is a
//! closure sent to one worker that starts local (`!Send`) tasks there; its result comes
//! back over a channel. Nothing is shared between the runtimes but what a workload shares
//! on purpose. Each backend supplies only how to run a runtime on a thread and how to spawn
//! a local task on it. Not a backend: no backend depends on another.

#![forbid(unsafe_code)]

mod disable;

pub use disable::{DISABLE_ENV, check_enabled};
pub use shootout_core::cores::{Local, LocalRuntime, PerCore, share};

/// How every thread-per-core backend drives a workload (what [`Workers::scatter`] does),
/// for its `config()` under `driver`.
pub const DRIVER: &str = "the work is split into W shares; each share's driver is a local task on its own thread's runtime";

use std::io;
use std::sync::mpsc;
use std::thread::{self, JoinHandle};

use shootout_core::BackendError;

/// Work for one worker: it runs on that worker's thread, inside its runtime.
pub type Job = Box<dyn FnOnce() + Send>;

/// A runtime's own pieces: how a worker thread runs it, and how to spawn a local task.
#[derive(Clone, Copy, Debug)]
pub struct Runtime {
    /// The prefix of the worker threads' names, e.g. `monoio-worker`.
    pub name: &'static str,
    /// Builds the runtime on the calling thread and runs `serve` on it until it ends;
    /// errs if the runtime cannot be built (nothing has run then).
    pub run: fn(serve: Local<()>) -> io::Result<()>,
    /// Spawns a local task on the current thread's runtime and lets it run detached.
    pub spawn: fn(Local<()>),
}

/// W runtimes, one per thread.
#[derive(Debug)]
pub struct Workers {
    runtime: Runtime,
    queues: Vec<async_channel::Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Starts `count` worker threads, each with its own runtime.
    pub fn start(count: usize, runtime: Runtime) -> Result<Workers, BackendError> {
        let mut workers = Workers {
            runtime,
            queues: Vec::with_capacity(count),
            threads: Vec::with_capacity(count),
        };
        for i in 0..count {
            let (queue, jobs) = async_channel::unbounded::<Job>();
            let (ready, built) = mpsc::channel::<io::Result<()>>();
            let thread = thread::Builder::new()
                .name(format!("{}-{i}", runtime.name))
                .spawn(move || {
                    let started = ready.clone();
                    let serve: Local<()> = Box::pin(async move {
                        let _ = started.send(Ok(()));
                        // Ends when the backend is dropped and the queue closes.
                        while let Ok(job) = jobs.recv().await {
                            job();
                        }
                    });
                    if let Err(err) = (runtime.run)(serve) {
                        let _ = ready.send(Err(err));
                    }
                })
                .map_err(|source| BackendError::Build {
                    what: format!("{} {i} of {count}", runtime.name),
                    source,
                })?;
            workers.threads.push(thread);
            workers.queues.push(queue);
            match built.recv() {
                Ok(Ok(())) => {}
                Ok(Err(source)) => {
                    return Err(BackendError::Build {
                        what: format!("runtime {i} of {count} ({})", runtime.name),
                        source,
                    });
                }
                Err(_) => {
                    return Err(BackendError::Task(format!(
                        "{} {i} died starting",
                        runtime.name
                    )));
                }
            }
        }
        Ok(workers)
    }
}

impl PerCore for Workers {
    /// How many runtimes.
    fn count(&self) -> usize {
        self.queues.len()
    }

    /// Runs `share(i)` as a task on every worker `i` and waits for all of them; each
    /// share is made on its worker, so it may hold `!Send` state.
    fn scatter<T, F>(&self, share: F) -> Result<Vec<T>, BackendError>
    where
        T: Send + 'static,
        F: Fn(usize) -> Local<T> + Send + Sync + Clone + 'static,
    {
        let (done, results) = mpsc::channel();
        let spawn = self.runtime.spawn;
        for (i, queue) in self.queues.iter().enumerate() {
            let (done, share) = (done.clone(), share.clone());
            let job: Job = Box::new(move || {
                spawn(Box::pin(async move {
                    let _ = done.send((i, share(i).await));
                }));
            });
            queue.send_blocking(job).map_err(|_| {
                BackendError::Task(format!("{} {i} has stopped", self.runtime.name))
            })?;
        }
        drop(done);
        let mut out: Vec<Option<T>> = (0..self.count()).map(|_| None).collect();
        for _ in 0..self.count() {
            let (i, value) = results.recv().map_err(|_| {
                BackendError::Task(format!("a {} died (a task panicked)", self.runtime.name))
            })?;
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
