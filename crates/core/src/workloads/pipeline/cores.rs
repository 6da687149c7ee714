//! `pipeline` on thread-per-core runtimes: producers and consumers dealt round-robin to
//! the runtimes as local tasks, on one shared `async_channel::bounded(capacity)`.

use std::sync::{Arc, Mutex};

use crate::backend::BackendError;
use crate::cores::{Local, LocalRuntime, PerCore, join};
use crate::driver;
use crate::outcome::Outcome;

use super::{PipelineSpec, consume_value, message};

/// A runtime's pair of pipeline ends.
type Ends = (async_channel::Sender<u64>, async_channel::Receiver<u64>);

/// The `pipeline` workload, split across the runtimes.
pub fn on_cores<R: LocalRuntime, C: PerCore>(
    cores: &C,
    spec: &PipelineSpec,
) -> Result<Outcome, BackendError> {
    let spec = *spec;
    let (sender, receiver) = async_channel::bounded::<u64>(spec.capacity as usize);
    let count = cores.count() as u64;
    // Each runtime takes its own pair of ends, so that no other copy outlives the
    // producers (consumers stop when the last sender is gone).
    let ends: Arc<Vec<Mutex<Option<Ends>>>> = Arc::new(
        (0..count)
            .map(|_| Mutex::new(Some((sender.clone(), receiver.clone()))))
            .collect(),
    );
    drop((sender, receiver));
    let parts = cores.scatter(move |i| {
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
