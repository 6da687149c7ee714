//! `fetch` on a backend of OS threads, with blocking `std::net` connections. A queue-fed
//! pool takes a job per request, at most `concurrency` queued or running, each worker
//! keeping its own keep-alive connection for the run (the thread-pool-for-I/O pattern);
//! a backend without a queue keeps `concurrency` long-lived jobs (one on the calling
//! thread alone), each pulling request ids and sending them on its own connection; where
//! they are threads of their own, started before the clock.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::backend::BackendError;
use crate::client::{BlockingClient, Fetched};
use crate::clock::Gate;
use crate::latencies;
use crate::tally::FetchOutcome;
use crate::threaded::Threaded;

use super::{FetchSpec, Target};

thread_local! {
    /// A pool worker's keep-alive connection, kept between the jobs of one fetch run like a
    /// connection pool, with the run it belongs to.
    static CLIENT: RefCell<Option<(u64, BlockingClient)>> = const { RefCell::new(None) };
}

/// Numbers fetch runs, so no run reuses a connection an earlier one (its warm-up) opened:
/// every backend starts the timed run with no connection.
static RUN: AtomicU64 = AtomicU64::new(0);

/// Runs the `fetch` workload against `target`.
pub fn on_threads<B: Threaded>(
    backend: &B,
    spec: &FetchSpec,
    target: &Target,
) -> Result<FetchOutcome, BackendError> {
    let run = RUN.fetch_add(1, Ordering::Relaxed);
    let log = latencies::for_run(spec);
    let check = spec.check();
    let schedule = spec.schedule();
    let shared = Arc::new((spec.clone(), target.clone()));
    let request = {
        let (shared, schedule) = (shared.clone(), schedule.clone());
        move |id: u64| -> Fetched {
            let (spec, target) = &*shared;
            CLIENT.with(|cell| {
                let mut slot = cell.borrow_mut();
                if slot.as_ref().is_none_or(|(of, _)| *of != run) {
                    *slot = Some((run, BlockingClient::new(target.clone(), spec.timeout())));
                }
                let (_, client) = slot.as_mut().expect("client set above");
                client.fetch_paced(spec, id, &schedule)
            })
        }
    };
    // The window keeps the concurrency whatever size the pool was built with.
    let window = spec.concurrency as usize;
    let tally = FetchOutcome::logging(log.clone());
    let record = |tally: &mut FetchOutcome, fetched: Fetched| fetched.record_into(tally, &check);
    if let Some(done) = backend.windowed(spec.requests, window, request, tally, record) {
        return done;
    }
    let slots = match backend.width() {
        Some(1) => 1,
        _ => spec.concurrency.min(spec.requests),
    };
    let next = Arc::new(AtomicU64::new(0));
    // Every slot runs at once only where the backend starts them all (a thread each): those
    // start before the clock ([`crate::clock`]); a backend of W runs them as its W allow.
    let gate = backend
        .width()
        .is_none_or(|width| slots <= width)
        .then(|| Arc::new(Gate::new(slots as usize)));
    backend.each(slots, move |_| {
        let (spec, target) = &*shared;
        let schedule = match &gate {
            Some(gate) => schedule.starting(gate.arrive()),
            None => schedule.clone(),
        };
        let tally = FetchOutcome::logging(log.clone());
        BlockingClient::new(target.clone(), spec.timeout()).work(spec, &next, &schedule, tally)
    })
}
