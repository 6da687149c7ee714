//! `blocking` on a backend of OS threads: a thread per ticker sleeping to its deadlines
//! and a thread per CPU job, all at once. There is no event loop to block: the OS preempts,
//! which makes it the control for the async runtimes' pitfall. A backend that runs fewer
//! jobs at once than tickers and jobs would only queue them, so it does not run it.

use std::iter::Sum;
use std::thread;
use std::time::Instant;

use crate::backend::BackendError;
use crate::threaded::Threaded;

use super::{BlockingSpec, JobDone, TickLog, TickOutcome, Ticker, job};

/// What the threads of one run came back with: tickers' logs and jobs' ends.
#[derive(Default)]
struct Parts {
    logs: Vec<TickLog>,
    jobs: Vec<JobDone>,
}

impl Sum for Parts {
    fn sum<I: Iterator<Item = Parts>>(parts: I) -> Parts {
        parts.fold(Parts::default(), |mut all, part| {
            all.logs.extend(part.logs);
            all.jobs.extend(part.jobs);
            all
        })
    }
}

/// Runs the `blocking` workload: tickers first, then the CPU jobs, every one its own job
/// of the backend, all running at once.
pub fn on_threads<B: Threaded>(
    backend: &B,
    spec: &BlockingSpec,
) -> Result<TickOutcome, BackendError> {
    let spec = *spec;
    let (tickers, jobs) = (spec.tickers, spec.jobs);
    if let Some(width) = backend.width()
        && width < tickers + jobs
    {
        return Err(BackendError::NotApplicable(format!(
            "{width} jobs at once cannot hold {tickers} tickers and {jobs} CPU jobs: tickers \
             would queue behind jobs"
        )));
    }
    let start = Instant::now();
    let parts: Parts = backend.each(tickers + jobs, move |i| {
        if i < tickers {
            let mut ticker = Ticker::new(i, &spec, start);
            while let Some(deadline) = ticker.next_deadline() {
                thread::sleep(deadline.saturating_duration_since(Instant::now()));
                ticker.tick();
            }
            Parts {
                logs: vec![ticker.finish()],
                jobs: Vec::new(),
            }
        } else {
            Parts {
                logs: Vec::new(),
                jobs: vec![job(spec.cpu().range(i - tickers), start)],
            }
        }
    })?;
    Ok(TickOutcome::collect(parts.logs, parts.jobs))
}
