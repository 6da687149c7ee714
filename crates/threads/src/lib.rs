//! One OS thread per task: the "threads for blocking libraries" side of the classic advice,
//! and its limit, the OS thread cap (about 16k threads per process on this kernel).

#![forbid(unsafe_code)]

mod limit;

use std::iter::Sum;
use std::thread::{self, JoinHandle};

use shootout_core::{
    Backend, BackendError, BackendInfo, BlockingMode, Config, Driver, Family, FetchSlots,
    Maintenance, Memory, SleepModel, Threaded, Variant, driver,
};

/// Spawns a fresh `std::thread` for every task, then joins them all; CPU jobs run on W
/// threads, each taking the next job (a thread per job is the labelled variant).
#[derive(Clone, Copy, Debug)]
pub struct Threads {
    workers: u64,
}

impl Threads {
    /// Threads whose CPU jobs run on `workers` threads (`--threads`).
    pub fn new(workers: u64) -> Threads {
        Threads {
            workers: workers.max(1),
        }
    }
}

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
    // std's mpsc has one receiver: consumers behind a Mutex is the std idiom. A thread per
    // CPU job, whatever W, is what `thread::spawn` per job gives.
    variants: &[Variant::OwnChannel, Variant::ThreadPerJob],
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
                "files".into(),
                "a thread per read in flight, each with its own handle on the file: \
                 std::fs::read (a whole file) and FileExt::read_exact_at (a block, pread); writes: \
                 FileExt::write_all_at (pwrite) and File::sync_data"
                    .into(),
            ),
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
            (
                "workers".into(),
                "one OS thread per task; CPU jobs on --threads threads".into(),
            ),
            (
                "stack".into(),
                "Rust default (2 MiB, or RUST_MIN_STACK)".into(),
            ),
            ("sleep".into(), "std::thread::sleep in each thread".into()),
            (
                "cpu_jobs".into(),
                format!(
                    "{} threads (--threads), each taking the next job from an atomic counter",
                    self.workers
                ),
            ),
            ("cpu.thread-per-job".into(), "one thread per job, whatever W".into()),
            (
                "blocking".into(),
                "a thread per ticker on thread::sleep to its deadline and a thread per CPU job: \
                 no event loop, the OS preempts (the control for the async pitfall)"
                    .into(),
            ),
        ])
    }

    shootout_core::workload_methods!(threads, bare);
}

impl Threaded for Threads {
    fn each<T, F>(&self, count: u64, work: F) -> Result<T, BackendError>
    where
        T: Sum + Send + 'static,
        F: Fn(u64) -> T + Send + Sync + Clone + 'static,
    {
        driver::started();
        spawn_all(count, work)
    }

    fn width(&self) -> Option<u64> {
        None
    }

    fn workers(&self) -> u64 {
        self.workers
    }
}

/// Starts `count` threads running `work(i)`, then joins them all and sums their outcomes.
///
/// When the OS refuses a thread, the ones already started are joined before the error
/// is returned, so a failed run leaves nothing behind.
fn spawn_all<T, F>(count: u64, work: F) -> Result<T, BackendError>
where
    T: Sum + Send + 'static,
    F: Fn(u64) -> T + Send + Clone + 'static,
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
