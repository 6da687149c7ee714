//! The workloads on a shared-executor runtime, written once over [`AsyncRuntime`]: each
//! workload's driver is a task on the runtime, as a server spawns from inside its tasks,
//! and the calling thread waits on it with the runtime's `block_on`.

use std::future::Future;
use std::time::Instant;

use shootout_core::blocking::{self, JobDone, TickLog, Ticker};
use shootout_core::runtime::{AsyncRuntime, TaskGroup};
use shootout_core::{
    BackendError, BlockingMode, BlockingSpec, Channel, Client, CpuSpec, FetchOutcome, FetchSpec,
    Outcome, PipelineSpec, SleepSpec, SpawnFrom, SpawnSpec, Target, TickOutcome, cpu, driver, mpmc,
    sleep, spawn, workers,
};

use crate::{Executor, place};

/// Runs `driver` as a task on the runtime and waits for it from the calling thread.
pub fn drive<E: Executor, T: Send + 'static>(
    executor: &E,
    driver: impl Future<Output = Result<T, BackendError>> + Send + 'static,
) -> Result<T, BackendError> {
    let runtime = executor.runtime();
    executor.block_on(async move {
        runtime
            .spawn(async move {
                driver::started();
                driver.await
            })
            .await?
    })
}

/// Runs `driver` inside `block_on` on the calling thread, outside the runtime's workers
/// (the `from-outside` spawn variant): every spawn and join crosses threads.
fn drive_outside<E: Executor, T>(
    executor: &E,
    driver: impl Future<Output = Result<T, BackendError>>,
) -> Result<T, BackendError> {
    executor.block_on(async move {
        driver::started();
        driver.await
    })
}

/// Joins every task of `group`, summing outcomes.
async fn sum<T: Send + Into<Outcome> + 'static>(
    group: impl TaskGroup<T>,
) -> Result<Outcome, BackendError> {
    let mut total = Outcome::ZERO;
    group.join(|outcome| total += outcome.into()).await?;
    Ok(total)
}

/// Joins every task of `group`, keeping the outputs.
async fn collect<T: Send + 'static>(group: impl TaskGroup<T>) -> Result<Vec<T>, BackendError> {
    let mut all = Vec::new();
    group.join(|output| all.push(output)).await?;
    Ok(all)
}

/// The `sleep` workload: a task per id in the runtime's task group, each on its timer.
pub fn sleep<E: Executor>(executor: &E, spec: &SleepSpec) -> Result<Outcome, BackendError> {
    let (runtime, spec) = (executor.runtime(), *spec);
    drive(executor, async move {
        let duration = spec.duration();
        let mut group = runtime.group(spec.tasks as usize);
        for id in 0..spec.tasks {
            group.spawn(async move {
                sleep::waiting();
                E::Runtime::sleep(duration).await;
                sleep::woke(id)
            });
        }
        sum(group).await
    })
}

/// The harness-free `sleep`: the minimal program, counting only the tasks joined.
pub fn sleep_bare<E: Executor>(executor: &E, spec: &SleepSpec) -> Result<u64, BackendError> {
    let (runtime, spec) = (executor.runtime(), *spec);
    drive(executor, async move {
        let duration = spec.duration();
        let mut group = runtime.group(spec.tasks as usize);
        for _ in 0..spec.tasks {
            group.spawn(E::Runtime::sleep(duration));
        }
        let mut joined = 0;
        group.join(|()| joined += 1).await?;
        Ok(joined)
    })
}

/// The `spawn` workload: a task per id in the runtime's task group, joined until empty,
/// from a task on the runtime or (the variant) from the calling thread.
pub fn spawn<E: Executor>(executor: &E, spec: &SpawnSpec) -> Result<Outcome, BackendError> {
    let (runtime, tasks) = (executor.runtime(), spec.tasks);
    let driver = async move {
        let mut group = runtime.group(tasks as usize);
        for id in 0..tasks {
            group.spawn(async move { spawn::task(id) });
        }
        sum(group).await
    };
    match spec.from {
        SpawnFrom::Runtime => drive(executor, driver),
        SpawnFrom::Outside => drive_outside(executor, driver),
    }
}

/// The `cpu` workload: every job placed by mode (the blocking pool unless told).
pub fn cpu<E: Executor>(executor: &E, spec: &CpuSpec) -> Result<Outcome, BackendError> {
    let (runtime, spec, rayon) = (executor.runtime(), *spec, executor.handoff().clone());
    drive(executor, async move {
        let mode = spec.mode.unwrap_or(BlockingMode::Offload);
        let mut group = runtime.group(spec.jobs as usize);
        for range in spec.ranges() {
            place::<E::Runtime, _>(&mut group, mode, &rayon, move || cpu::job(range))?;
        }
        sum(group).await
    })
}

/// The `blocking` workload: tickers on the runtime's deadline timer, then the CPU jobs
/// placed by mode. Inline jobs are plain tasks that never yield: they hold a worker (the
/// only one on a current-thread runtime) for the whole job, the pitfall the tutorials warn
/// about.
pub fn blocking<E: Executor>(
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
            place::<E::Runtime, _>(&mut jobs, spec.mode, &rayon, move || {
                blocking::job(range, start)
            })?;
        }
        let jobs: Vec<JobDone> = collect(jobs).await?;
        let logs: Vec<TickLog> = collect(tickers).await?;
        Ok(TickOutcome::collect(logs, jobs))
    })
}

/// The `pipeline` workload: the shared channel, or the runtime's own (the variant).
pub fn pipeline<E: Executor>(executor: &E, spec: &PipelineSpec) -> Result<Outcome, BackendError> {
    match spec.channel {
        Channel::Shared => drive(executor, mpmc::pipeline(executor.runtime(), *spec)),
        Channel::Own => drive(executor, E::own_channel(executor.runtime(), *spec)),
    }
}

/// The `fetch` workload: the shared worker-task client, or a task per request (the
/// variant).
pub fn fetch<E: Executor>(
    executor: &E,
    spec: &FetchSpec,
    target: &Target,
) -> Result<FetchOutcome, BackendError> {
    let (spec, target) = (spec.clone(), target.clone());
    match spec.client {
        Client::Workers => drive(executor, workers::fetch(executor.runtime(), spec, target)),
        Client::TaskPerRequest => drive(executor, E::per_request(executor.runtime(), spec, target)),
    }
}
