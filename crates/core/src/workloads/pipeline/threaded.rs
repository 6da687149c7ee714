//! `pipeline` on a backend of OS threads: every producer and consumer a job of its own,
//! all running at once, on crossbeam's bounded MPMC channel (the shared design) or on std's
//! `sync_channel` (the `own-channel` variant: one receiver, shared behind a Mutex). On the
//! calling thread alone producers and consumers cannot run at once, so it takes turns
//! through a queue of the same capacity.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use crate::backend::BackendError;
use crate::design::Channel;
use crate::outcome::Outcome;
use crate::threaded::Threaded;

use super::{PipelineSpec, consume_value, message};

/// Runs the `pipeline` workload.
pub fn on_threads<B: Threaded>(backend: &B, spec: &PipelineSpec) -> Result<Outcome, BackendError> {
    let spec = *spec;
    let ends = spec.producers + spec.consumers;
    match backend.width() {
        Some(1) => return backend.each(1, move |_| in_turns(spec)),
        Some(width) if width < ends => {
            return Err(BackendError::Config(format!(
                "a pool of {width} workers cannot run {} producers and {} consumers at once: \
                 producers blocked on a full queue would starve the consumers",
                spec.producers, spec.consumers
            )));
        }
        _ => {}
    }
    match spec.channel {
        Channel::Shared => shared_channel(backend, spec),
        Channel::Own => own_channel(backend, spec),
    }
}

/// One end of the channel, taken by the job that uses it.
enum End {
    Producer(u64, crossbeam_channel::Sender<u64>),
    Consumer(crossbeam_channel::Receiver<u64>),
}

/// The pipeline on crossbeam's bounded MPMC channel: every job takes its own end, so when
/// the producers finish no sender is left and the consumers see the end.
fn shared_channel<B: Threaded>(backend: &B, spec: PipelineSpec) -> Result<Outcome, BackendError> {
    let (sender, receiver) = crossbeam_channel::bounded::<u64>(spec.capacity as usize);
    let ends: Arc<Vec<Mutex<Option<End>>>> = Arc::new(
        (0..spec.producers + spec.consumers)
            .map(|end| {
                Mutex::new(Some(if end < spec.producers {
                    End::Producer(end, sender.clone())
                } else {
                    End::Consumer(receiver.clone())
                }))
            })
            .collect(),
    );
    drop((sender, receiver));
    backend.each(spec.producers + spec.consumers, move |end| {
        let taken = ends[end as usize].lock().expect("ends lock").take();
        match taken.expect("each end is taken once") {
            End::Producer(producer, sender) => {
                for id in spec.share(producer) {
                    // Consumers run until every sender is gone, so a send cannot fail.
                    let _ = sender.send(message(id));
                }
                Outcome::ZERO
            }
            End::Consumer(receiver) => receiver.iter().map(consume_value).sum(),
        }
    })
}

/// The pipeline on std's `sync_channel`: one receiver, shared by consumers behind a Mutex.
fn own_channel<B: Threaded>(backend: &B, spec: PipelineSpec) -> Result<Outcome, BackendError> {
    let (sender, receiver) = sync_channel::<u64>(spec.capacity as usize);
    let receiver: Arc<Mutex<Receiver<u64>>> = Arc::new(Mutex::new(receiver));
    // Ends below `producers` produce, the rest consume; the one closure serves both.
    let sender: Arc<Mutex<Option<SyncSender<u64>>>> = Arc::new(Mutex::new(Some(sender)));
    let producers_left = Arc::new(AtomicU64::new(spec.producers));
    backend.each(spec.producers + spec.consumers, move |end| {
        if end < spec.producers {
            let own = sender.lock().expect("sender lock").clone();
            if let Some(own) = own {
                for id in spec.share(end) {
                    // Consumers run until every sender is gone, so a send cannot fail.
                    let _ = own.send(message(id));
                }
            }
            if producers_left.fetch_sub(1, Ordering::SeqCst) == 1 {
                // The last producer drops the original sender so consumers see the end.
                sender.lock().expect("sender lock").take();
            }
            Outcome::ZERO
        } else {
            let mut total = Outcome::ZERO;
            loop {
                let next = receiver.lock().expect("receiver lock").recv();
                match next {
                    Ok(value) => total += consume_value(value),
                    Err(_) => return total,
                }
            }
        }
    })
}

/// The pipeline on one thread: a queue of `capacity`, producers' shares in turn, the queue
/// drained by the consumer whenever it is full.
fn in_turns(spec: PipelineSpec) -> Outcome {
    let mut queue = VecDeque::with_capacity(spec.capacity as usize);
    let mut total = Outcome::ZERO;
    for producer in 0..spec.producers {
        for id in spec.share(producer) {
            if queue.len() as u64 == spec.capacity {
                total += queue.drain(..).map(consume_value).sum();
            }
            queue.push_back(message(id));
        }
    }
    total + queue.drain(..).map(consume_value).sum()
}
