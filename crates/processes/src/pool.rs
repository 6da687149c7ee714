//! The parent side: W worker processes, each fed one job at a time over its pipes by a
//! thread of its own (the thread only waits on pipes; the work runs in the process), as
//! Python's `multiprocessing.Pool` feeds its workers.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;

use shootout_core::BackendError;
use shootout_core::processes::{self, Line, Reply, Run};

use crate::worker::PARENT_ENV;

/// The longest line a worker's reply may take: a fetch share's latency histogram is the
/// largest, well under a MiB.
const LONGEST_REPLY: u64 = 16 << 20;

/// One worker process and its pipes.
#[derive(Debug)]
struct Worker {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Worker {
    /// Sends `line` without waiting for an answer (a run's start).
    fn send(&mut self, line: &Line) -> Result<(), BackendError> {
        let mut text = serde_json::to_string(line).expect("lines serialize");
        text.push('\n');
        if self.input.write_all(text.as_bytes()).is_err() || self.input.flush().is_err() {
            return Err(self.died("stopped taking jobs"));
        }
        Ok(())
    }

    /// The error for a worker that stopped answering, with its exit.
    fn died(&mut self, what: &str) -> BackendError {
        let status = self
            .child
            .try_wait()
            .ok()
            .flatten()
            .map_or("still running".to_string(), |s| s.to_string());
        BackendError::Task(format!("a worker process {what} ({status})"))
    }

    /// Sends part `part` and reads its answer; a worker that dies is an error with its
    /// exit.
    fn round_trip(&mut self, part: u64) -> Result<processes::Answer, BackendError> {
        self.send(&Line::Part(part))?;
        // Read no further than the longest reply a worker sends: a worker that writes an
        // endless line fails the job, it does not fill the parent's memory.
        let mut answer = Vec::new();
        match (&mut self.output)
            .take(LONGEST_REPLY + 1)
            .read_until(b'\n', &mut answer)
        {
            Ok(0) | Err(_) => return Err(self.died("died before answering")),
            Ok(_) if !answer.ends_with(b"\n") && answer.len() as u64 > LONGEST_REPLY => {
                return Err(BackendError::Task(format!(
                    "the worker process (pid {}) sent a line over {} MiB without ending it: \
                     not a worker's reply",
                    self.child.id(),
                    LONGEST_REPLY >> 20
                )));
            }
            Ok(_) => {}
        }
        let answer = String::from_utf8_lossy(&answer);
        let reply: Reply = serde_json::from_str(&answer).map_err(|err| {
            let shown: String = answer.chars().take(200).collect();
            BackendError::Task(format!(
                "the worker process (pid {}) answered '{shown}': {err}",
                self.child.id()
            ))
        })?;
        match reply {
            Reply::Ok(answer) => Ok(answer),
            Reply::Error(error) => Err(BackendError::Task(error)),
        }
    }
}

/// W worker processes, started once, killed when the pool is dropped.
#[derive(Debug)]
pub struct Pool {
    workers: Vec<Arc<Mutex<Worker>>>,
}

impl Pool {
    /// Starts `size` workers: `exe` run with `args` (e.g. `shootout worker`).
    pub fn start(size: usize, exe: &Path, args: &[&str]) -> Result<Pool, BackendError> {
        let mut workers = Vec::with_capacity(size);
        for i in 0..size {
            let mut child = Command::new(exe)
                .args(args)
                .env(PARENT_ENV, std::process::id().to_string())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .map_err(|source| BackendError::Build {
                    what: format!("worker process {i} of {size} ({})", exe.display()),
                    source,
                })?;
            let input = child.stdin.take().expect("piped");
            let output = BufReader::new(child.stdout.take().expect("piped"));
            workers.push(Arc::new(Mutex::new(Worker {
                child,
                input,
                output,
            })));
        }
        Ok(Pool { workers })
    }

    /// The workers' process ids.
    pub fn pids(&self) -> Vec<u32> {
        self.workers
            .iter()
            .filter_map(|w| w.lock().ok().map(|w| w.child.id()))
            .collect()
    }
}

impl processes::Pool for Pool {
    fn size(&self) -> u64 {
        self.workers.len() as u64
    }

    fn parts(
        &self,
        run: Run,
        sent: fn(u64),
        done: fn(u64),
    ) -> Result<Vec<processes::Answer>, BackendError> {
        let parts = run.parts;
        let start = Line::Run(Box::new(run));
        for worker in &self.workers {
            worker.lock().expect("no feeder holds it").send(&start)?;
        }
        let queue = Arc::new(Mutex::new((0..parts).collect::<VecDeque<u64>>()));
        let feeders: Vec<_> = self
            .workers
            .iter()
            .map(|worker| {
                let (worker, queue) = (worker.clone(), queue.clone());
                thread::spawn(move || -> Result<Vec<processes::Answer>, BackendError> {
                    let mut worker = worker.lock().expect("one feeder per worker");
                    let mut answers = Vec::new();
                    loop {
                        let Some(part) = queue.lock().expect("queue lock").pop_front() else {
                            return Ok(answers);
                        };
                        sent(part);
                        let answer = worker.round_trip(part);
                        if answer.is_err() {
                            // Stop the others taking more work; they finish what they hold.
                            queue.lock().expect("queue lock").clear();
                        }
                        answers.push(answer?);
                        done(part);
                    }
                })
            })
            .collect();
        let mut all = Vec::new();
        let mut first_error = None;
        for feeder in feeders {
            match feeder.join() {
                Ok(Ok(answers)) => all.extend(answers),
                Ok(Err(err)) => first_error = first_error.or(Some(err)),
                Err(_) => {
                    first_error =
                        first_error.or(Some(BackendError::Task("a feeding thread panicked".into())))
                }
            }
        }
        match first_error {
            Some(err) => Err(err),
            None => Ok(all),
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        for worker in &self.workers {
            if let Ok(mut worker) = worker.lock() {
                let _ = worker.child.kill();
                let _ = worker.child.wait();
            }
        }
    }
}
