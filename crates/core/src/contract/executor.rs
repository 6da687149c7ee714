//! What a shared-executor async runtime (one executor on W threads: tokio, smol,
//! async-std) provides to the workloads written once over it: its primitives (an
//! [`AsyncRuntime`]), how the calling thread waits on it, the rayon pool CPU jobs may be
//! handed to, and the idioms it is measured with on purpose (its own channel, its
//! task-per-request client). Each workload's design on it is in the workload's own module
//! (`on_executor`).

use std::future::Future;
use std::sync::Arc;

use crate::backend::BackendError;
use crate::driver;
use crate::placement::BlockingMode;
use crate::request::{self, Requests};
use crate::runtime::{AsyncRuntime, TaskGroup};

/// A built runtime as the calling thread sees it: how to wait on it, and what it holds.
pub trait Executor: Send + Sync + 'static {
    /// The runtime's primitives, as its tasks use them.
    type Runtime: AsyncRuntime;

    /// The pool the `rayon` placement hands CPU jobs to.
    type Handoff: Offload;

    /// The runtime's own bounded channel, for the `own-channel` variant ([`Unoffered`]
    /// where the backend does not list it).
    type Channel: OwnChannel;

    /// A handle on the runtime for the driver task.
    fn runtime(&self) -> Self::Runtime;

    /// Runs `future` to its end on the calling thread (the runtime's `block_on`).
    fn block_on<T>(&self, future: impl Future<Output = T>) -> T;

    /// The rayon pool the `rayon` placement hands CPU jobs to.
    fn handoff(&self) -> &Self::Handoff;

    /// The fetch client with a task per request (the `task-per-request` variant), sending
    /// every request of `requests`: by default the shape smol and async-std share,
    /// [`request::detached`]. Asked only of a backend whose `BackendInfo::variants` lists it.
    fn per_request(
        runtime: Self::Runtime,
        requests: Arc<Requests<Self::Runtime>>,
    ) -> impl Future<Output = Result<(), BackendError>> + Send + 'static {
        request::detached(runtime, requests)
    }
}

/// A pool that CPU jobs can be handed to from inside an async task.
pub trait Offload: Clone + Send + Sync + 'static {
    /// Queues `job` on the pool.
    fn spawn(&self, job: impl FnOnce() + Send + 'static) -> Result<(), BackendError>;
}

/// A runtime's own bounded channel of `u64`.
pub trait OwnChannel: 'static {
    /// A sending end; every producer holds a clone.
    type Sender: Clone + Send + Sync + 'static;
    /// A receiving end; every consumer holds a clone.
    type Receiver: Clone + Send + Sync + 'static;

    /// A channel holding at most `capacity` values.
    fn bounded(capacity: usize) -> (Self::Sender, Self::Receiver);

    /// Sends `value`. Consumers run until every sender is gone, so it cannot fail.
    fn send(sender: &Self::Sender, value: u64) -> impl Future<Output = ()> + Send;

    /// The next value; `None` once every sender is gone and the channel is empty.
    fn recv(receiver: &Self::Receiver) -> impl Future<Output = Option<u64>> + Send;
}

/// The channel of a runtime that offers none of its own: never asked for one, since its
/// backend does not list the `own-channel` variant.
pub struct Unoffered;

impl OwnChannel for Unoffered {
    type Sender = ();
    type Receiver = ();

    fn bounded(_: usize) -> ((), ()) {
        unreachable!("own-channel is asked only of backends that list it")
    }

    async fn send(_: &(), _: u64) {}

    async fn recv(_: &()) -> Option<u64> {
        None
    }
}

/// Runs `driver` as a task on the runtime and waits for it from the calling thread: the
/// driver spawns from inside the runtime, as a server spawns from inside its tasks.
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
pub fn drive_outside<E: Executor, T>(
    executor: &E,
    driver: impl Future<Output = Result<T, BackendError>>,
) -> Result<T, BackendError> {
    executor.block_on(async move {
        driver::started();
        driver.await
    })
}

/// Adds `job` to `group`, run where `mode` says: `inline` as a plain task on a worker (the
/// pitfall: it never yields, so it holds a worker thread), `offload` on the runtime's
/// blocking pool, `rayon` on the rayon pool answering on an `async_channel::bounded(1)`,
/// `block-in-place` inside a task (tokio's multi-thread runtime only).
pub fn place<R: AsyncRuntime, T: Send + 'static>(
    group: &mut R::Group<T>,
    mode: BlockingMode,
    rayon: &impl Offload,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<(), BackendError> {
    match mode {
        BlockingMode::Inline => group.spawn(async move { job() }),
        BlockingMode::Offload => group.spawn_blocking(job),
        BlockingMode::Rayon => {
            let (done, result) = async_channel::bounded(1);
            rayon.spawn(move || {
                // The receiver lives until the group is joined.
                let _ = done.try_send(job());
            })?;
            group.spawn(async move { result.recv().await.expect("a rayon job always answers") });
        }
        BlockingMode::BlockInPlace => group.spawn(async move { R::block_in_place(job) }),
    }
    Ok(())
}

/// Runs `job` where `mode` says and awaits its output, from inside a task: `inline` right
/// here (the pitfall: it holds this worker until done), `offload` on the runtime's blocking
/// pool, `rayon` on the rayon pool answering on an `async_channel::bounded(1)`,
/// `block-in-place` here after tokio hands this worker's other tasks to another.
pub async fn placed<R: AsyncRuntime, T: Send + 'static>(
    runtime: &R,
    mode: BlockingMode,
    rayon: &impl Offload,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, BackendError> {
    match mode {
        BlockingMode::Inline => Ok(job()),
        BlockingMode::Offload => runtime.unblock(job).await,
        BlockingMode::Rayon => {
            let (done, result) = async_channel::bounded(1);
            rayon.spawn(move || {
                // The receiver waits below until the job answers.
                let _ = done.try_send(job());
            })?;
            result
                .recv()
                .await
                .map_err(|_| BackendError::Task("a rayon job ended without answering".into()))
        }
        BlockingMode::BlockInPlace => Ok(R::block_in_place(job)),
    }
}

/// Joins every task of `group`, summing outcomes.
pub async fn sum<T: Send + Into<crate::outcome::Outcome> + 'static>(
    group: impl TaskGroup<T>,
) -> Result<crate::outcome::Outcome, BackendError> {
    let mut total = crate::outcome::Outcome::ZERO;
    group.join(|outcome| total += outcome.into()).await?;
    Ok(total)
}

/// Joins every task of `group`, keeping the outputs.
pub async fn collect<T: Send + 'static>(group: impl TaskGroup<T>) -> Result<Vec<T>, BackendError> {
    let mut all = Vec::new();
    group.join(|output| all.push(output)).await?;
    Ok(all)
}
