//! The workloads on thread-per-core runtimes, written once over [`LocalRuntime`]: each
//! is split into one share per runtime, and each share runs as local tasks there.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use shootout_core::blocking::{self, JobDone, TickLog, Ticker};
use shootout_core::pipeline::{consume_value, message};
use shootout_core::{
    BackendError, BlockingMode, BlockingSpec, CpuSpec, FetchOutcome, FetchSpec, Outcome,
    PipelineSpec, SleepSpec, SpawnSpec, Target, TickOutcome, cpu, driver, sleep, spawn,
};

use crate::local::LocalRuntime;
use crate::{Local, Workers, fetch, share};

/// Runs `make(range)` on every runtime, for its share of `0..total`, and sums.
fn split<F>(workers: &Workers, total: u64, make: F) -> Result<Outcome, BackendError>
where
    F: Fn(std::ops::Range<u64>) -> Local<Outcome> + Send + Sync + Clone + 'static,
{
    let count = workers.count();
    let parts = workers.scatter(move |i| {
        driver::started();
        make(share(total, i, count))
    })?;
    Ok(parts.into_iter().sum())
}

/// Runs `job` where `mode` says, on the current runtime: `inline` as a local task (it
/// holds this runtime's thread until done), `offload` on the runtime's blocking pool.
fn place<R: LocalRuntime, T: Send + 'static>(
    mode: BlockingMode,
    job: impl FnOnce() -> T + Send + 'static,
) -> Local<T> {
    match mode {
        BlockingMode::Offload => Box::pin(R::spawn_blocking(job)),
        _ => Box::pin(R::spawn(async move { job() })),
    }
}

/// A runtime's pair of pipeline ends.
type Ends = (async_channel::Sender<u64>, async_channel::Receiver<u64>);

/// Awaits every local task of a share, summing.
async fn join<T: Into<Outcome>>(handles: Vec<impl std::future::Future<Output = T>>) -> Outcome {
    let mut total = Outcome::ZERO;
    for handle in handles {
        total += handle.await.into();
    }
    total
}

/// The `sleep` workload, split across the runtimes.
pub fn sleep<R: LocalRuntime>(
    workers: &Workers,
    spec: &SleepSpec,
) -> Result<Outcome, BackendError> {
    let duration = spec.duration();
    split(workers, spec.tasks, move |ids| {
        Box::pin(async move {
            let handles = ids
                .map(|id| {
                    R::spawn(async move {
                        sleep::waiting();
                        R::sleep(duration).await;
                        sleep::woke(id)
                    })
                })
                .collect();
            join(handles).await
        })
    })
}

/// The `sleep_bare` workload, split across the runtimes.
pub fn sleep_bare<R: LocalRuntime>(
    workers: &Workers,
    spec: &SleepSpec,
) -> Result<u64, BackendError> {
    let duration = spec.duration();
    let outcome = split(workers, spec.tasks, move |ids| {
        Box::pin(async move {
            let handles: Vec<_> = ids
                .map(|_| R::spawn(async move { R::sleep(duration).await }))
                .collect();
            let mut joined = 0;
            for handle in handles {
                handle.await;
                joined += 1;
            }
            Outcome {
                ops: joined,
                checksum: 0,
            }
        })
    })?;
    Ok(outcome.ops)
}

/// The `spawn` workload, split across the runtimes.
pub fn spawn<R: LocalRuntime>(
    workers: &Workers,
    spec: &SpawnSpec,
) -> Result<Outcome, BackendError> {
    split(workers, spec.tasks, |ids| {
        Box::pin(async move {
            let handles = ids
                .map(|id| R::spawn(async move { spawn::task(id) }))
                .collect();
            join(handles).await
        })
    })
}

/// The `cpu` workload, split across the runtimes.
pub fn cpu<R: LocalRuntime>(workers: &Workers, spec: &CpuSpec) -> Result<Outcome, BackendError> {
    let spec = *spec;
    let mode = spec.mode.unwrap_or(BlockingMode::Offload);
    split(workers, spec.jobs, move |jobs| {
        Box::pin(async move {
            let handles: Vec<_> = jobs
                .map(|job| place::<R, _>(mode, move || cpu::job(spec.range(job))))
                .collect();
            let mut total = Outcome::ZERO;
            for handle in handles {
                total += handle.await;
            }
            total
        })
    })
}

/// The `blocking` workload, split across the runtimes.
pub fn blocking<R: LocalRuntime>(
    workers: &Workers,
    spec: &BlockingSpec,
) -> Result<TickOutcome, BackendError> {
    let spec = *spec;
    let count = workers.count() as u64;
    let start = Instant::now();
    let parts = workers.scatter(move |i| {
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
                .filter(|&job| mine(job))
                .map(|job| {
                    place::<R, _>(spec.mode, move || {
                        blocking::job(spec.cpu().range(job), start)
                    })
                })
                .collect();
            let mut done: Vec<JobDone> = Vec::with_capacity(jobs.len());
            for job in jobs {
                done.push(job.await);
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

/// The `pipeline` workload, split across the runtimes.
pub fn pipeline<R: LocalRuntime>(
    workers: &Workers,
    spec: &PipelineSpec,
) -> Result<Outcome, BackendError> {
    let spec = *spec;
    let (sender, receiver) = async_channel::bounded::<u64>(spec.capacity as usize);
    let count = workers.count() as u64;
    // Each runtime takes its own pair of ends, so that no other copy outlives the
    // producers (consumers stop when the last sender is gone).
    let ends: Arc<Vec<Mutex<Option<Ends>>>> = Arc::new(
        (0..count)
            .map(|_| Mutex::new(Some((sender.clone(), receiver.clone()))))
            .collect(),
    );
    drop((sender, receiver));
    let parts = workers.scatter(move |i| {
        driver::started();
        let (sender, receiver) = ends[i]
            .lock()
            .expect("ends lock")
            .take()
            .expect("each runtime takes its ends once");
        Box::pin(async move {
            // Ends dealt round-robin: producer p and consumer c on runtime p % W and
            // (producers + c) % W.
            let mine = |end: u64| end % count == i as u64;
            let producers: Vec<_> = (0..spec.producers)
                .filter(|&p| mine(p))
                .map(|p| {
                    let sender = sender.clone();
                    R::spawn(async move {
                        for id in spec.share(p) {
                            // Consumers run until every sender is gone.
                            let _ = sender.send(message(id)).await;
                        }
                        Outcome::ZERO
                    })
                })
                .collect();
            drop(sender);
            let consumers: Vec<_> = (0..spec.consumers)
                .filter(|&c| mine(spec.producers + c))
                .map(|_| {
                    let receiver = receiver.clone();
                    R::spawn(async move {
                        let mut total = Outcome::ZERO;
                        while let Ok(value) = receiver.recv().await {
                            total += consume_value(value);
                        }
                        total
                    })
                })
                .collect();
            drop(receiver);
            join(producers).await + join(consumers).await
        }) as Local<Outcome>
    })?;
    Ok(parts.into_iter().sum())
}

/// The `fetch` workload, split across the runtimes.
pub fn fetch<R: LocalRuntime>(
    workers: &Workers,
    spec: &FetchSpec,
    target: &Target,
) -> Result<FetchOutcome, BackendError> {
    let (spec, target) = (Arc::new(spec.clone()), Arc::new(target.clone()));
    let next = Arc::new(AtomicU64::new(0));
    let schedule = spec.schedule();
    let clients = spec.concurrency.min(spec.requests).max(1);
    let count = workers.count();
    let parts = workers.scatter(move |i| {
        driver::started();
        let workers = share(clients, i, count);
        Box::pin(fetch::share::<R>(
            spec.clone(),
            target.clone(),
            next.clone(),
            schedule.clone(),
            workers.end - workers.start,
        )) as Local<FetchOutcome>
    })?;
    let mut total = FetchOutcome::default();
    for part in parts {
        total.merge(part);
    }
    Ok(total)
}
