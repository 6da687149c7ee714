//! `fetch` on thread-per-core runtimes: the shared client design (C long-lived workers
//! pulling request ids, each on its own keep-alive connection), spread over the W
//! runtimes, on each runtime's own completion-based stream (owned buffers: the kernel reads
//! into the buffer the runtime lends it) and timers. The HTTP framing is core's
//! `ResponseReader`. Every runtime spawns its workers before the clock starts
//! ([`crate::clock`]).

use std::cell::Cell;
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::backend::BackendError;
use crate::clock::Gate;
use crate::cores::{Local, LocalRuntime, PerCore, share};
use crate::driver;
use crate::exchange::{Fairness, with_retries};
use crate::http::{Response, ResponseReader};
use crate::latencies::{self, LatencyLog};
use crate::tally::{Failure, FetchOutcome};

use super::{FetchSpec, Schedule, Target};

/// Bytes read per `read` call.
const READ_BUFFER: usize = 16 * 1024;

/// One keep-alive connection with its response reader and read buffer.
pub(crate) struct Connection<S> {
    stream: S,
    reader: ResponseReader,
    buffer: Vec<u8>,
}

/// Sends `request` on `slot`'s connection (opening one if there is none) and reads one
/// response; leaves the connection in `slot` only if it can carry another request.
pub(crate) async fn exchange<R: LocalRuntime>(
    slot: &mut Option<Connection<R::Stream>>,
    addr: SocketAddr,
    request: Vec<u8>,
) -> Result<Response, Failure> {
    let io = |err: std::io::Error| Failure::from_io(&err);
    if slot.is_none() {
        let stream = R::connect(addr).await.map_err(io)?;
        *slot = Some(Connection {
            stream,
            reader: ResponseReader::new(),
            buffer: Vec::with_capacity(READ_BUFFER),
        });
    }
    let connection = slot.as_mut().expect("connected above");
    R::write_all(&mut connection.stream, request)
        .await
        .map_err(io)?;
    let mut fairness = Fairness::default();
    loop {
        let buffer = std::mem::take(&mut connection.buffer);
        let (read, buffer) = R::read(&mut connection.stream, buffer).await;
        let read = read.map_err(io)?;
        let complete = if read == 0 {
            Some(connection.reader.finish())
        } else {
            connection.reader.feed(&buffer[..read]).transpose()
        };
        connection.buffer = buffer;
        if let Some(response) = complete {
            return response.map_err(|err| Failure::from_http(&err));
        }
        fairness.read_done().await;
    }
}

/// One client worker on this runtime: takes ids from `next` until none are left.
async fn worker<R: LocalRuntime>(
    spec: Arc<FetchSpec>,
    target: Arc<Target>,
    next: Arc<AtomicU64>,
    schedule: Schedule,
    epoch: Rc<Cell<Option<Instant>>>,
    mut tally: FetchOutcome,
) -> FetchOutcome {
    // Set when the clock started, before this worker first runs.
    let schedule = schedule.starting(epoch.get().unwrap_or_else(Instant::now));
    let check = spec.check();
    let timeout = spec.timeout();
    let slot: Rc<std::cell::RefCell<Option<Connection<R::Stream>>>> = Rc::default();
    loop {
        let id = next.fetch_add(1, Ordering::Relaxed);
        if id >= spec.requests {
            return tally;
        }
        let due = schedule.due(id);
        // An overdue request goes at once: some timers (monoio's) wait for their next
        // tick even for a zero sleep, which would add up to a tick to every late request.
        let wait = due.map_or(Duration::ZERO, |at| {
            at.saturating_duration_since(Instant::now())
        });
        if !wait.is_zero() {
            R::sleep(wait).await;
        }
        let start = Instant::now();
        let attempt = |attempt| {
            let request = target.request_attempt(&spec, id, attempt);
            let (slot, addr) = (slot.clone(), target.addr);
            async move {
                // The connection is taken out for the exchange and put back only when it
                // can carry another request; a timed-out exchange leaves none behind.
                let mut connection = slot.borrow_mut().take();
                let result = R::timeout(timeout, exchange::<R>(&mut connection, addr, request))
                    .await
                    .unwrap_or(Err(Failure::Timeout));
                if matches!(&result, Ok(response) if response.keep_alive) {
                    *slot.borrow_mut() = connection;
                }
                result
            }
        };
        let sleep = |pause: Duration| R::sleep(pause);
        let (result, attempts) = with_retries(&spec, id, attempt, sleep).await;
        tally.record_final(id, result, start.elapsed(), attempts, &check);
        if let Some(due) = due {
            tally.record_due(id, due, start, Instant::now());
        }
    }
}

/// This runtime's share of the client: `workers` of the C workers.
async fn runtime_share<R: LocalRuntime>(
    spec: Arc<FetchSpec>,
    target: Arc<Target>,
    next: Arc<AtomicU64>,
    schedule: Schedule,
    workers: u64,
    log: Arc<LatencyLog>,
    gate: Arc<Gate>,
) -> FetchOutcome {
    let epoch = Rc::new(Cell::new(None));
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            R::spawn(worker::<R>(
                spec.clone(),
                target.clone(),
                next.clone(),
                schedule.clone(),
                epoch.clone(),
                FetchOutcome::logging(log.clone()),
            ))
        })
        .collect();
    // The workers are spawned, not yet run. This runtime's thread waits (blocked, briefly)
    // for the others to have spawned theirs: the clock starts when the last one arrives.
    epoch.set(Some(gate.arrive()));
    let mut total = FetchOutcome::logging(log);
    for handle in handles {
        total.merge(handle.await);
    }
    total
}

/// Runs the `fetch` workload against `target`, its C client workers split across the
/// runtimes.
pub fn on_cores<R: LocalRuntime, C: PerCore>(
    cores: &C,
    spec: &FetchSpec,
    target: &Target,
) -> Result<FetchOutcome, BackendError> {
    let (spec, target) = (Arc::new(spec.clone()), Arc::new(target.clone()));
    let next = Arc::new(AtomicU64::new(0));
    let log = latencies::for_run(&spec);
    let schedule = spec.schedule();
    let clients = spec.concurrency.min(spec.requests).max(1);
    let count = cores.count();
    let gate = Arc::new(Gate::new(count));
    let mut total = FetchOutcome::logging(log.clone());
    let parts = cores.scatter(move |i| {
        driver::started();
        let workers = share(clients, i, count);
        Box::pin(runtime_share::<R>(
            spec.clone(),
            target.clone(),
            next.clone(),
            schedule.clone(),
            workers.end - workers.start,
            log.clone(),
            gate.clone(),
        )) as Local<FetchOutcome>
    })?;
    for part in parts {
        total.merge(part);
    }
    Ok(total)
}
