//! `pipeline` on a shared-executor runtime: producers and consumers are tasks of one task
//! group, on the shared MPMC channel ([`crate::mpmc`]) or on the runtime's own (the
//! `own-channel` variant).

use crate::backend::BackendError;
use crate::design::Channel;
use crate::executor::{Executor, OwnChannel, drive};
use crate::mpmc;
use crate::outcome::Outcome;
use crate::runtime::{AsyncRuntime, TaskGroup};

use super::{PipelineSpec, consume_value, message};

/// Runs the `pipeline` workload.
pub fn on_executor<E: Executor>(
    executor: &E,
    spec: &PipelineSpec,
) -> Result<Outcome, BackendError> {
    let (runtime, spec) = (executor.runtime(), *spec);
    match spec.channel {
        Channel::Shared => drive(executor, mpmc::pipeline(runtime, spec)),
        Channel::Own => drive(executor, own_channel::<_, E::Channel>(runtime, spec)),
    }
}

/// The pipeline over the runtime's own channel `C`: only the channel is the runtime's.
async fn own_channel<R: AsyncRuntime, C: OwnChannel>(
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
