//! One OS thread per task: the "threads for blocking libraries" side of the classic advice,
//! and its limit, the OS thread cap (about 16k threads per process on this kernel).

#![forbid(unsafe_code)]

mod limit;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Instant;

use shootout_core::blocking::{self, Ticker};
use shootout_core::client::BlockingClient;
use shootout_core::pipeline::{consume_value, message};
use shootout_core::{
    Backend, BackendError, BackendInfo, BlockingMode, BlockingSpec, Channel, Config, CpuSpec,
    Driver, Family, FetchOutcome, FetchSlots, FetchSpec, Maintenance, Memory, Outcome,
    PipelineSpec, SleepModel, SleepSpec, SpawnSpec, Target, TickOutcome, Variant, cpu, driver,
    sleep, spawn,
};

/// Spawns a fresh `std::thread` for every task and every job, then joins them all.
#[derive(Clone, Copy, Debug, Default)]
pub struct Threads;

/// What `threads` is.
pub static INFO: BackendInfo = BackendInfo {
    name: "threads",
    family: Family::Threads,
    crates: &[],
    summary: "one std::thread per task or job (default 2 MiB stacks), all joined at the end",
    maintenance: Maintenance::Std,
    sleep_model: SleepModel::ThreadPerTask,
    fetch_slots: FetchSlots::Concurrency,
    not_applicable: &[],
    // No event loop to block: CPU jobs are threads next to the tickers' threads, and the
    // OS preempts them. The control for the async runtimes' pitfall.
    blocking_modes: &[BlockingMode::Inline],
    driver: Driver::Caller,
    // std's mpsc has one receiver: consumers behind a Mutex is the std idiom.
    variants: &[Variant::OwnChannel],
    available: None,
    // A thread's resident cost: about 10 KB each at 10k threads (its stack reserved, not
    // resident).
    memory: Memory {
        per_worker: 256 << 10,
        per_task: 16 << 10,
    },
    helper: None,
};

impl Backend for Threads {
    fn info(&self) -> &'static BackendInfo {
        &INFO
    }

    fn config(&self) -> Config {
        Config::from([
            (
                "spawn".into(),
                "thread::spawn per task into a Vec<JoinHandle>, joined in order".into(),
            ),
            (
                "driver".into(),
                "the calling thread spawns and joins every thread".into(),
            ),
            (
                "pipeline".into(),
                "crossbeam_channel::bounded(capacity) (MPMC, every consumer receives), a thread \
                 per producer and consumer"
                    .into(),
            ),
            (
                "pipeline.own-channel".into(),
                "std::sync::mpsc::sync_channel(capacity), a thread per producer and consumer; \
                 mpsc has one receiver, so consumers share it behind a Mutex"
                    .into(),
            ),
            (
                "fetch".into(),
                "concurrency threads, one per in-flight slot, each pulling request ids and sending \
                 them on its own keep-alive std::net connection"
                    .into(),
            ),
            ("workers".into(), "one OS thread per task or job".into()),
            (
                "stack".into(),
                "Rust default (2 MiB, or RUST_MIN_STACK)".into(),
            ),
            ("sleep".into(), "std::thread::sleep in each thread".into()),
            ("cpu_jobs".into(), "one thread per job".into()),
            (
                "blocking".into(),
                "a thread per ticker on thread::sleep to its deadline and a thread per CPU job: \
                 no event loop, the OS preempts (the control for the async pitfall)"
                    .into(),
            ),
        ])
    }

    fn sleep(&self, spec: &SleepSpec) -> Result<Outcome, BackendError> {
        driver::started();
        let duration = spec.duration();
        spawn_all(spec.tasks, move |id| {
            sleep::waiting();
            thread::sleep(duration);
            sleep::woke(id).into()
        })
    }

    fn sleep_bare(&self, spec: &SleepSpec) -> Result<u64, BackendError> {
        driver::started();
        let duration = spec.duration();
        let handles = start_each(spec.tasks, move |_| thread::sleep(duration))?;
        Ok(join_each(handles)?.len() as u64)
    }

    fn spawn(&self, spec: &SpawnSpec) -> Result<Outcome, BackendError> {
        driver::started();
        spawn_all(spec.tasks, spawn::task)
    }

    fn pipeline(&self, spec: &PipelineSpec) -> Result<Outcome, BackendError> {
        driver::started();
        match spec.channel {
            Channel::Shared => shared_channel(*spec),
            Channel::Own => own_channel(*spec),
        }
    }

    fn blocking(&self, spec: &BlockingSpec) -> Result<TickOutcome, BackendError> {
        driver::started();
        // Inline is the only mode (INFO.blocking_modes): there is no event loop to offload from.
        let spec = *spec;
        let start = Instant::now();
        let tickers = start_each(spec.tickers, move |id| {
            let mut ticker = Ticker::new(id, &spec, start);
            while let Some(deadline) = ticker.next_deadline() {
                thread::sleep(deadline.saturating_duration_since(Instant::now()));
                ticker.tick();
            }
            ticker.finish()
        })?;
        let jobs = match start_each(spec.jobs, move |job| {
            blocking::job(spec.cpu().range(job), start)
        }) {
            Ok(jobs) => jobs,
            Err(err) => {
                join_each(tickers)?;
                return Err(err);
            }
        };
        let jobs = join_each(jobs)?;
        Ok(TickOutcome::collect(join_each(tickers)?, jobs))
    }

    fn cpu(&self, spec: &CpuSpec) -> Result<Outcome, BackendError> {
        driver::started();
        let spec = *spec;
        spawn_all(spec.jobs, move |job| cpu::job(spec.range(job)))
    }

    fn fetch(&self, spec: &FetchSpec, target: &Target) -> Result<FetchOutcome, BackendError> {
        driver::started();
        fetch(spec, target)
    }
}

/// The pipeline on crossbeam's bounded MPMC channel: every consumer owns a receiver.
fn shared_channel(spec: PipelineSpec) -> Result<Outcome, BackendError> {
    let (sender, receiver) = crossbeam_channel::bounded::<u64>(spec.capacity as usize);
    let producers = start_each(spec.producers, move |producer| {
        for id in spec.share(producer) {
            // Consumers run until every sender is gone, so a send cannot fail.
            let _ = sender.send(message(id));
        }
    })?;
    let consumers = start_each(spec.consumers, move |_| {
        receiver.iter().map(consume_value).sum::<Outcome>()
    });
    // Producers' clones of the sender end with them; consumers then see the end.
    let joined = join_each(producers);
    let total: Outcome = join_each(consumers?)?.into_iter().sum();
    joined?;
    Ok(total)
}

/// The pipeline on std's `sync_channel`: one receiver, shared by consumers behind a Mutex.
fn own_channel(spec: PipelineSpec) -> Result<Outcome, BackendError> {
    let (sender, receiver) = sync_channel::<u64>(spec.capacity as usize);
    let receiver: Arc<Mutex<Receiver<u64>>> = Arc::new(Mutex::new(receiver));
    let ends = spec.producers + spec.consumers;
    // Ends below `producers` produce, the rest consume; the one closure serves both.
    let sender = Arc::new(Mutex::new(Some(sender)));
    let producers_left = Arc::new(AtomicU64::new(spec.producers));
    spawn_all(ends, move |end| {
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

/// The shared client design: `concurrency` threads, each pulling request ids and sending
/// them on its own keep-alive connection.
fn fetch(spec: &FetchSpec, target: &Target) -> Result<FetchOutcome, BackendError> {
    let next = Arc::new(AtomicU64::new(0));
    let slots = spec.concurrency.min(spec.requests);
    let schedule = spec.schedule();
    let (spec, target) = (Arc::new(spec.clone()), Arc::new(target.clone()));
    let mut handles = Vec::new();
    for slot in 0..slots {
        let worker = {
            let (next, spec, target) = (next.clone(), spec.clone(), target.clone());
            let schedule = schedule.clone();
            move || {
                BlockingClient::new((*target).clone(), spec.timeout()).work(&spec, &next, &schedule)
            }
        };
        match thread::Builder::new().spawn(worker) {
            Ok(handle) => handles.push(handle),
            Err(source) => {
                // Stop the others from taking more work, then wait for them.
                next.store(spec.requests, Ordering::Relaxed);
                for handle in handles {
                    let _ = handle.join();
                }
                return Err(BackendError::Spawn {
                    spawned: slot,
                    requested: slots,
                    source,
                });
            }
        }
    }
    let mut total = FetchOutcome::default();
    for handle in handles {
        total.merge(
            handle
                .join()
                .map_err(|_| BackendError::Task("a fetch thread panicked".into()))?,
        );
    }
    Ok(total)
}

/// Starts `count` threads running `work(i)`, then joins them all and sums their outcomes.
///
/// When the OS refuses a thread, the ones already started are joined before the error
/// is returned, so a failed run leaves nothing behind.
fn spawn_all<F>(count: u64, work: F) -> Result<Outcome, BackendError>
where
    F: Fn(u64) -> Outcome + Send + Clone + 'static,
{
    Ok(join_each(start_each(count, work)?)?.into_iter().sum())
}

/// Starts a thread per index running `work(index)`. When the OS refuses one, waits for
/// the started ones and reports how far it got.
fn start_each<T, F>(count: u64, work: F) -> Result<Vec<JoinHandle<T>>, BackendError>
where
    T: Send + 'static,
    F: Fn(u64) -> T + Send + Clone + 'static,
{
    if let Some((headroom, why)) = limit::headroom()
        && count > headroom
    {
        return Err(BackendError::Config(format!(
            "{count} threads would pass what this process may start (about {headroom}, set by \
             {why}): refused before starting any, since a thread past the limit can abort the \
             whole process with no record"
        )));
    }
    let mut handles = Vec::new();
    for i in 0..count {
        let work = work.clone();
        match thread::Builder::new().spawn(move || work(i)) {
            Ok(handle) => handles.push(handle),
            Err(source) => {
                let spawned = handles.len() as u64;
                join_each(handles)?;
                return Err(BackendError::Spawn {
                    spawned,
                    requested: count,
                    source,
                });
            }
        }
    }
    Ok(handles)
}

fn join_each<T>(handles: Vec<JoinHandle<T>>) -> Result<Vec<T>, BackendError> {
    handles
        .into_iter()
        .map(|handle| {
            handle
                .join()
                .map_err(|_| BackendError::Task("a thread panicked".into()))
        })
        .collect()
}
