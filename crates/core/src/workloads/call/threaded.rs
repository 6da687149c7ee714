//! `call` on a backend of OS threads: `concurrency` long-lived workers (a thread each on the
//! threads backend, as many at once as a pool's W allow, one loop on sequential), each
//! opening its own connection and making the next call until none are left. A pool of W
//! holding fewer than C calls in flight is the design shown as such: the wrong tool for
//! waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::spec::counted;
use super::tally::{self, CallOutcome, Tally};
use super::ticker::{self, Lateness};
use super::{CallSpec, Caller};
use crate::backend::BackendError;
use crate::clock::Gate;
use crate::fetch::Target;
use crate::outcome::Outcome;
use crate::threaded::Threaded;
use crate::workload::WorkloadSpec;

/// Runs `spec` against `target`; each HTTP call gives up after `timeout`.
pub fn on_threads<B: Threaded>(
    backend: &B,
    spec: &CallSpec,
    target: &Target,
    timeout: Duration,
) -> Result<CallOutcome, BackendError> {
    let slots = match backend.width() {
        Some(1) => 1,
        _ => spec.concurrency.min(spec.calls),
    };
    // Where every worker runs at once (a thread each), each opens its connection before
    // the clock starts ([`crate::clock`]); a pool of W opens them as its W allow.
    let tick = (spec.tick_us > 0).then(|| Duration::from_micros(spec.tick_us));
    let gate = backend
        .width()
        .is_none_or(|width| slots <= width)
        .then(|| Arc::new(Gate::new(slots as usize + usize::from(tick.is_some()))));
    let ticker = match tick {
        Some(period) => Some(ticker_thread(*spec, period, gate.clone())?),
        None => None,
    };
    let (spec, target) = (*spec, Arc::new(target.clone()));
    let next = Arc::new(AtomicU64::new(0));
    let log = tally::log(spec.calls);
    let calls = log.clone();
    let tally: Result<Tally, BackendError> = backend.each(slots, move |_| {
        let opened = Caller::open(&spec, &target, timeout);
        if let Some(gate) = &gate {
            gate.arrive();
        }
        let mut caller = match opened {
            Ok(caller) => caller,
            Err(err) => return Tally::failed(Outcome::ZERO, err),
        };
        // Summed as the calls come back: nothing grows with the calls inside the clock.
        let mut outcome = Outcome::ZERO;
        loop {
            let id = next.fetch_add(1, Ordering::Relaxed);
            if id >= spec.calls {
                return Tally::ended(outcome, None);
            }
            let start = Instant::now();
            match caller.call(id) {
                Ok(call) => outcome += counted([call]),
                Err(err) => return Tally::failed(outcome, err),
            }
            tally::timed(&calls, id, start);
        }
    });
    let ticks = ticker.map(Ticking::stop).transpose()?;
    tally?.ticked(ticks).with_log(log)
}

/// The ticker beside the workers, a thread of its own, and its stop.
struct Ticking {
    stop: ticker::Stop,
    thread: std::thread::JoinHandle<Lateness>,
}

impl Ticking {
    /// Stops the ticker (the workers are done) and takes its record.
    fn stop(self) -> Result<Lateness, BackendError> {
        drop(self.stop);
        self.thread
            .join()
            .map_err(|_| BackendError::Failed("the ticker beside the calls panicked".into()))
    }
}

/// Starts the ticker's thread before the clock: it arrives at `gate` with the workers, or,
/// where a pool of W opens its workers' connections as its W allow (no gate), starts now.
fn ticker_thread(
    spec: CallSpec,
    period: Duration,
    gate: Option<Arc<Gate>>,
) -> Result<Ticking, BackendError> {
    let (stop, _, stopped) = ticker::stop();
    let expected_s = spec.waits_floor_s().unwrap_or(0.0) * 2.0 + 0.1;
    let thread = std::thread::Builder::new()
        .name("call-ticker".into())
        .spawn(move || {
            let start = gate.map_or_else(Instant::now, |gate| gate.arrive());
            ticker::on_thread(start, period, expected_s, stopped)
        })
        .map_err(|source| BackendError::Build {
            what: "the ticker's thread".into(),
            source,
        })?;
    Ok(Ticking { stop, thread })
}

#[cfg(test)]
mod tests {
    use std::iter::Sum;
    use std::sync::Mutex;

    use super::*;
    use crate::call::{Databases, Library, sqlite};

    /// A backend of a thread per job, the least a [`Threaded`] is; it records how many ran.
    struct Threads(Mutex<u64>);

    impl Threaded for Threads {
        fn each<T, F>(&self, count: u64, work: F) -> Result<T, BackendError>
        where
            T: Sum + Send + 'static,
            F: Fn(u64) -> T + Send + Sync + Clone + 'static,
        {
            *self.0.lock().unwrap() = count;
            let handles: Vec<_> = (0..count)
                .map(|i| {
                    let work = work.clone();
                    std::thread::spawn(move || work(i))
                })
                .collect();
            Ok(handles.into_iter().map(|h| h.join().unwrap()).sum())
        }

        fn width(&self) -> Option<u64> {
            None
        }
    }

    #[test]
    fn every_call_once_across_the_workers_and_a_wrong_file_fails_the_run() {
        let dir =
            std::env::temp_dir().join(format!("shootout-call-threads-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(crate::call::sqlite_file(500, 4));
        let _ = std::fs::remove_file(&path);
        sqlite::create(&path, 500, 4).unwrap();
        let spec = CallSpec {
            library: Library::Sqlite,
            calls: 1_000,
            concurrency: 8,
            wait_ms: 0,
            body_bytes: 0,
            rows: 500,
            seed: 4,
            mode: None,
            client: crate::design::CallClient::Blocking,
            tick_us: 0,
            sampled_from: None,
        };
        let place = Target::embedded(([127, 0, 0, 1], 9).into()).with_databases(Databases {
            sqlite_dir: Some(dir.clone()),
            ..Databases::default()
        });
        let backend = Threads(Mutex::new(0));
        let got = on_threads(&backend, &spec, &place, Duration::from_secs(5)).unwrap();
        assert_eq!(spec.verify(&got.calls), Ok(()));
        assert_eq!(
            got.log.histograms().latency_us.len(),
            1_000,
            "every call timed"
        );
        assert_eq!(
            *backend.0.lock().unwrap(),
            8,
            "one worker per call in flight"
        );
        // Another seed's answers: the run fails, naming a call.
        let wrong = CallSpec { seed: 5, ..spec };
        let err = on_threads(&backend, &wrong, &place, Duration::from_secs(5)).unwrap_err();
        assert!(err.to_string().starts_with("call "), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
