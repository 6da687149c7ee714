//! `blocking` on thread-per-core runtimes: tickers and CPU jobs dealt round-robin to the
//! runtimes; each ticker a local task on its runtime's timer, each job placed by mode.

use std::time::Instant;

use crate::backend::BackendError;
use crate::cores::{Local, LocalRuntime, PerCore, place};
use crate::driver;

use super::{BlockingSpec, JobDone, TickLog, TickOutcome, Ticker, job};

/// The `blocking` workload, split across the runtimes.
pub fn on_cores<R: LocalRuntime, C: PerCore>(
    cores: &C,
    spec: &BlockingSpec,
) -> Result<TickOutcome, BackendError> {
    let spec = *spec;
    let count = cores.count() as u64;
    let start = Instant::now();
    let parts = cores.scatter(move |i| {
        driver::started();
        Box::pin(async move {
            // Tickers and jobs dealt round-robin to the runtimes.
            let mine = |n: u64| n % count == i as u64;
            let tickers: Vec<_> = (0..spec.tickers)
                .filter(|&id| mine(id))
                .map(|id| {
                    R::spawn(async move {
                        let mut ticker = Ticker::new(id, &spec, start);
                        while let Some(deadline) = ticker.next_deadline() {
                            R::sleep(deadline.saturating_duration_since(Instant::now())).await;
                            ticker.tick();
                        }
                        ticker.finish()
                    })
                })
                .collect();
            let jobs: Vec<_> = (0..spec.jobs)
                .filter(|&n| mine(n))
                .map(|n| place::<R, _>(spec.mode, move || job(spec.cpu().range(n), start)))
                .collect();
            let mut done: Vec<JobDone> = Vec::with_capacity(jobs.len());
            for handle in jobs {
                done.push(handle.await);
            }
            let mut logs: Vec<TickLog> = Vec::with_capacity(tickers.len());
            for ticker in tickers {
                logs.push(ticker.await);
            }
            (logs, done)
        }) as Local<(Vec<TickLog>, Vec<JobDone>)>
    })?;
    let (logs, jobs): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
    Ok(TickOutcome::collect(
        logs.into_iter().flatten(),
        jobs.into_iter().flatten(),
    ))
}
