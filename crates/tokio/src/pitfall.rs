//! The `blocking` workload on tokio: tickers on `sleep_until`, CPU jobs placed by mode.

use std::time::Instant;

use shootout_core::blocking::{self, JobDone, TickLog, Ticker};
use shootout_core::{BackendError, BlockingSpec, TickOutcome};
use shootout_handoff::Handoff;
use tokio::task::JoinSet;

use crate::placement::place;

/// Starts the tickers, then the jobs, and waits for all of them. Inline jobs are plain
/// tasks that never yield: they hold a worker (the only one on `current_thread`) for the
/// whole job, which is the pitfall the tutorials warn about.
pub async fn run(spec: BlockingSpec, rayon: Handoff) -> Result<TickOutcome, BackendError> {
    let start = Instant::now();
    let mut tickers = JoinSet::new();
    for id in 0..spec.tickers {
        tickers.spawn(async move {
            let mut ticker = Ticker::new(id, &spec, start);
            while let Some(deadline) = ticker.next_deadline() {
                tokio::time::sleep_until(deadline.into()).await;
                ticker.tick();
            }
            ticker.finish()
        });
    }
    let mut jobs = JoinSet::new();
    for range in spec.cpu().ranges() {
        place(&mut jobs, spec.mode, &rayon, move || {
            blocking::job(range, start)
        })?;
    }
    let jobs: Vec<JobDone> = join_all(jobs).await?;
    let logs: Vec<TickLog> = join_all(tickers).await?;
    Ok(TickOutcome::collect(logs, jobs))
}

async fn join_all<T: 'static>(mut set: JoinSet<T>) -> Result<Vec<T>, BackendError> {
    let mut all = Vec::with_capacity(set.len());
    while let Some(joined) = set.join_next().await {
        all.push(joined.map_err(|err| BackendError::Task(err.to_string()))?);
    }
    Ok(all)
}
