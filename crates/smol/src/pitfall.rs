//! The `blocking` workload on smol: tickers on `Timer::at`, CPU jobs placed by mode.

use std::time::Instant;

use shootout_core::blocking::{self, JobDone, TickLog, Ticker};
use shootout_core::join::await_each;
use std::sync::Arc;

use shootout_core::{BackendError, BlockingSpec, TickOutcome};
use shootout_handoff::Handoff;
use smol::{Executor, Task, Timer};

use crate::placement::place;

/// Starts the tickers, then the jobs, on `executor`, and waits for all of them. Inline
/// jobs are executor tasks that never yield, so they hold a worker thread each.
pub async fn run(
    executor: Arc<Executor<'static>>,
    spec: BlockingSpec,
    rayon: Handoff,
) -> Result<TickOutcome, BackendError> {
    let start = Instant::now();
    let tickers: Vec<Task<TickLog>> = (0..spec.tickers)
        .map(|id| {
            executor.spawn(async move {
                let mut ticker = Ticker::new(id, &spec, start);
                while let Some(deadline) = ticker.next_deadline() {
                    Timer::at(deadline).await;
                    ticker.tick();
                }
                ticker.finish()
            })
        })
        .collect();
    let mut jobs: Vec<Task<JobDone>> = Vec::with_capacity(spec.jobs as usize);
    for range in spec.cpu().ranges() {
        jobs.push(place(&executor, spec.mode, &rayon, move || {
            blocking::job(range, start)
        })?);
    }
    let done = await_each(jobs).await;
    Ok(TickOutcome::collect(await_each(tickers).await, done))
}
