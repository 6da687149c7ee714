//! The `blocking` workload on async-std: tickers on `task::sleep`, CPU jobs placed by mode.

use std::time::Instant;

use async_std::task::{self, JoinHandle};
use shootout_core::blocking::{self, JobDone, TickLog, Ticker};
use shootout_core::join::await_each;
use shootout_core::{BackendError, BlockingSpec, TickOutcome};
use shootout_handoff::Handoff;

use crate::placement::place;

/// Starts the tickers, then the jobs, and waits for all of them. Inline jobs are tasks
/// that never yield, so they hold an executor thread each. async-std has no sleep-until,
/// so a ticker sleeps for the time left to its deadline.
pub async fn run(spec: BlockingSpec, rayon: Handoff) -> Result<TickOutcome, BackendError> {
    let start = Instant::now();
    let tickers: Vec<JoinHandle<TickLog>> = (0..spec.tickers)
        .map(|id| {
            task::spawn(async move {
                let mut ticker = Ticker::new(id, &spec, start);
                while let Some(deadline) = ticker.next_deadline() {
                    task::sleep(deadline.saturating_duration_since(Instant::now())).await;
                    ticker.tick();
                }
                ticker.finish()
            })
        })
        .collect();
    let mut jobs: Vec<JoinHandle<JobDone>> = Vec::with_capacity(spec.jobs as usize);
    for range in spec.cpu().ranges() {
        jobs.push(place(spec.mode, &rayon, move || {
            blocking::job(range, start)
        })?);
    }
    let done = await_each(jobs).await;
    Ok(TickOutcome::collect(await_each(tickers).await, done))
}
