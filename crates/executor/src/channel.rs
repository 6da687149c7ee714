//! The pipeline on a runtime's own channel (the `own-channel` variant), written once: the
//! producers and consumers are tasks of the runtime's task group; only the channel is the
//! runtime's.

use std::future::Future;

use shootout_core::pipeline::{consume_value, message};
use shootout_core::runtime::{AsyncRuntime, TaskGroup};
use shootout_core::{BackendError, Outcome, PipelineSpec};

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

/// Runs `spec` on `runtime` over the channel `C`: producers and consumers are tasks of one
/// task group, joined until empty.
pub async fn pipeline<R: AsyncRuntime, C: OwnChannel>(
    runtime: R,
    spec: PipelineSpec,
) -> Result<Outcome, BackendError> {
    let (sender, receiver) = C::bounded(spec.capacity as usize);
    let mut group = runtime.group(spec.producers as usize + spec.consumers as usize);
    for producer in 0..spec.producers {
        let sender = sender.clone();
        group.spawn(async move {
            for id in spec.share(producer) {
                C::send(&sender, message(id)).await;
            }
            Outcome::ZERO
        });
    }
    drop(sender);
    for _ in 0..spec.consumers {
        let receiver = receiver.clone();
        group.spawn(async move {
            let mut total = Outcome::ZERO;
            while let Some(value) = C::recv(&receiver).await {
                total += consume_value(value);
            }
            total
        });
    }
    drop(receiver);
    let mut total = Outcome::ZERO;
    group.join(|outcome| total += outcome).await?;
    Ok(total)
}
