//! `blocking` on a shared-executor runtime: tickers on the runtime's deadline timer, then
//! the CPU jobs placed by mode. Inline jobs are plain tasks that never yield: they hold a
//! worker (the only one on a current-thread runtime) for the whole job, the pitfall the
//! tutorials warn about.

use std::time::Instant;

use crate::backend::BackendError;
use crate::executor::{Executor, collect, drive, place};
use crate::runtime::{AsyncRuntime, TaskGroup};

use super::{BlockingSpec, JobDone, TickLog, TickOutcome, Ticker, job};

/// Runs the `blocking` workload.
pub fn on_executor<E: Executor>(
    executor: &E,
    spec: &BlockingSpec,
) -> Result<TickOutcome, BackendError> {
    let (runtime, spec, rayon) = (executor.runtime(), *spec, executor.handoff().clone());
    drive(executor, async move {
        let start = Instant::now();
        let mut tickers = runtime.group(spec.tickers as usize);
        for id in 0..spec.tickers {
            tickers.spawn(async move {
                let mut ticker = Ticker::new(id, &spec, start);
                while let Some(deadline) = ticker.next_deadline() {
                    E::Runtime::sleep_until(deadline).await;
                    ticker.tick();
                }
                ticker.finish()
            });
        }
        let mut jobs = runtime.group(spec.jobs as usize);
        for range in spec.cpu().ranges() {
            place::<E::Runtime, _>(&mut jobs, spec.mode, &rayon, move || job(range, start))?;
        }
        let jobs: Vec<JobDone> = collect(jobs).await?;
        let logs: Vec<TickLog> = collect(tickers).await?;
        Ok(TickOutcome::collect(logs, jobs))
    })
}
