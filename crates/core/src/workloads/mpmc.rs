//! The pipeline on the bounded MPMC channel every async backend shares (`async-channel`,
//! the channel smol and async-std re-export), written once over [`AsyncRuntime`] so only
//! the scheduler differs between async rows of the pipeline table.

use crate::backend::BackendError;
use crate::outcome::Outcome;
use crate::pipeline::{PipelineSpec, consume_value, message};
use crate::runtime::AsyncRuntime;

/// The channel's name, for each backend's config.
pub const CHANNEL: &str = "async_channel::bounded(capacity) (MPMC, every consumer receives)";

/// Runs `spec` on `runtime`: producers and consumers are tasks, the channel is
/// `async_channel::bounded(capacity)`. Call it from a task on the runtime.
pub async fn pipeline<R: AsyncRuntime>(
    runtime: R,
    spec: PipelineSpec,
) -> Result<Outcome, BackendError> {
    let (sender, receiver) = async_channel::bounded::<u64>(spec.capacity as usize);
    let mut producers = Vec::with_capacity(spec.producers as usize);
    for producer in 0..spec.producers {
        let sender = sender.clone();
        producers.push(runtime.spawn(async move {
            for id in spec.share(producer) {
                // Consumers run until every sender is gone, so a send cannot fail.
                let _ = sender.send(message(id)).await;
            }
            Outcome::ZERO
        }));
    }
    drop(sender);
    let mut consumers = Vec::with_capacity(spec.consumers as usize);
    for _ in 0..spec.consumers {
        let receiver = receiver.clone();
        consumers.push(runtime.spawn(async move {
            let mut total = Outcome::ZERO;
            while let Ok(value) = receiver.recv().await {
                total += consume_value(value);
            }
            total
        }));
    }
    drop(receiver);
    let mut total = Outcome::ZERO;
    for producer in producers {
        total += producer.await?;
    }
    for consumer in consumers {
        total += consumer.await?;
    }
    Ok(total)
}
