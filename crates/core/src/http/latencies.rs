//! Every request's latencies, written by request id into storage prepared before the clock
//! and turned into histograms after it. A run's client records each request into the slot
//! its id owns (no lock, no allocation), so no backend's wall time includes building or
//! merging histograms, and memory follows the requests, not the workers: per-worker
//! HdrHistograms (139 KiB each) made the shared client's memory grow with C.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::fetch::FetchSpec;
use crate::tally::{Histogram, histogram};

/// A run's latencies by request id, microseconds (0: not recorded; a recorded latency is
/// at least 1 µs, and at most `u32::MAX` µs, about 71 minutes).
#[derive(Debug)]
pub struct LatencyLog {
    /// From the first attempt's send to the last answer.
    latency: Box<[AtomicU32]>,
    /// Paced runs: from when the request was due to its answer (empty unless paced).
    from_due: Box<[AtomicU32]>,
    /// Paced runs: from when the request was due to its send (empty unless paced).
    send_late: Box<[AtomicU32]>,
}

/// The histograms a run's latencies make, microseconds.
#[derive(Clone, Debug)]
pub struct Latencies {
    /// From the send.
    pub latency_us: Histogram<u64>,
    /// Paced runs: from when each request was due.
    pub from_due_us: Option<Box<Histogram<u64>>>,
    /// Paced runs: how late each request was sent.
    pub send_late_us: Option<Box<Histogram<u64>>>,
}

/// The log [`prepare`] made for the next run, taken by that run.
static PREPARED: Mutex<Option<(FetchSpec, Arc<LatencyLog>)>> = Mutex::new(None);

impl LatencyLog {
    /// Slots for `requests` requests, and for their due times when `paced`.
    pub fn new(requests: u64, paced: bool) -> LatencyLog {
        let slots = |n: u64| (0..n).map(|_| AtomicU32::new(0)).collect();
        LatencyLog {
            latency: slots(requests),
            from_due: slots(if paced { requests } else { 0 }),
            send_late: slots(if paced { requests } else { 0 }),
        }
    }

    /// The log a run of `spec` records into.
    pub fn of(spec: &FetchSpec) -> LatencyLog {
        LatencyLog::new(spec.requests, spec.rate_per_s() > 0.0)
    }

    /// Records request `id`'s latency from its send.
    pub fn record(&self, id: u64, latency: Duration) {
        store(&self.latency, id, latency);
    }

    /// Records, for paced request `id`, due at `due`, sent at `sent` and answered at
    /// `done`, its latency from when it was due and how late it was sent.
    pub fn record_due(&self, id: u64, due: Instant, sent: Instant, done: Instant) {
        store(&self.from_due, id, done.saturating_duration_since(due));
        store(&self.send_late, id, sent.saturating_duration_since(due));
    }

    /// The histograms of every latency recorded: call it after the clock.
    pub fn histograms(&self) -> Latencies {
        let paced = !self.from_due.is_empty();
        Latencies {
            latency_us: fill(&self.latency),
            from_due_us: paced.then(|| Box::new(fill(&self.from_due))),
            send_late_us: paced.then(|| Box::new(fill(&self.send_late))),
        }
    }
}

impl Default for Latencies {
    fn default() -> Self {
        Latencies {
            latency_us: histogram(),
            from_due_us: None,
            send_late_us: None,
        }
    }
}

impl Latencies {
    /// Adds `other`'s latencies to these.
    pub fn add(&mut self, other: &Latencies) {
        self.latency_us
            .add(&other.latency_us)
            .expect("same histogram bounds");
        add(&mut self.from_due_us, other.from_due_us.as_deref());
        add(&mut self.send_late_us, other.send_late_us.as_deref());
    }
}

fn add(mine: &mut Option<Box<Histogram<u64>>>, theirs: Option<&Histogram<u64>>) {
    match (mine.as_mut(), theirs) {
        (Some(mine), Some(theirs)) => mine.add(theirs).expect("same histogram bounds"),
        (None, Some(theirs)) => *mine = Some(Box::new(theirs.clone())),
        (_, None) => {}
    }
}

/// Stores `latency` in slot `id`, where the log has one.
fn store(slots: &[AtomicU32], id: u64, latency: Duration) {
    if let Some(slot) = usize::try_from(id).ok().and_then(|i| slots.get(i)) {
        let micros = latency.as_micros().clamp(1, u128::from(u32::MAX));
        slot.store(micros as u32, Ordering::Relaxed);
    }
}

/// A histogram of the recorded slots.
fn fill(slots: &[AtomicU32]) -> Histogram<u64> {
    let mut filled = histogram();
    for slot in slots {
        match slot.load(Ordering::Relaxed) {
            0 => {}
            micros => filled.saturating_record(u64::from(micros)),
        }
    }
    filled
}

/// Makes the log for the next run of `spec`, before its clock starts (the trial calls it;
/// a run that finds none makes its own), and returns it.
pub fn prepare(spec: &FetchSpec) -> Arc<LatencyLog> {
    let log = Arc::new(LatencyLog::of(spec));
    *PREPARED.lock().unwrap_or_else(PoisonError::into_inner) = Some((spec.clone(), log.clone()));
    log
}

/// The log a run of `spec` records into: the one prepared for it, taken so no other run
/// shares it, or a new one.
pub fn for_run(spec: &FetchSpec) -> Arc<LatencyLog> {
    let mut prepared = PREPARED.lock().unwrap_or_else(PoisonError::into_inner);
    match prepared.take() {
        Some((for_spec, log)) if for_spec == *spec => log,
        other => {
            *prepared = other;
            drop(prepared);
            Arc::new(LatencyLog::of(spec))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_request_lands_in_its_own_slot_and_counts_once() {
        let log = LatencyLog::new(4, true);
        let now = Instant::now();
        log.record(0, Duration::from_micros(120));
        log.record(3, Duration::from_millis(2));
        log.record(3, Duration::from_millis(3)); // a slot holds its request's last word
        log.record(9, Duration::from_millis(9)); // beyond the run: ignored
        log.record_due(
            0,
            now,
            now + Duration::from_micros(50),
            now + Duration::from_millis(1),
        );
        let all = log.histograms();
        assert_eq!(all.latency_us.len(), 2);
        assert!(all.latency_us.max() >= 2_990 && all.latency_us.max() <= 3_010);
        let due = all.from_due_us.expect("paced");
        assert_eq!(due.len(), 1);
        assert_eq!(all.send_late_us.expect("paced").max(), 50);
        assert!(LatencyLog::new(4, false).histograms().from_due_us.is_none());
    }

    #[test]
    fn a_prepared_log_goes_to_the_run_it_was_made_for_only() {
        let spec = FetchSpec {
            requests: 7,
            seed: 424_242,
            ..FetchSpec::default()
        };
        let made = prepare(&spec);
        let other = FetchSpec {
            requests: 8,
            ..spec.clone()
        };
        let fresh = for_run(&other);
        assert_eq!(fresh.latency.len(), 8);
        assert!(
            !Arc::ptr_eq(&fresh, &made),
            "another run's spec makes its own"
        );
        assert!(
            Arc::ptr_eq(&for_run(&spec), &made),
            "the run it was made for takes it"
        );
        // Taken: a second run of the same spec makes its own.
        assert!(!Arc::ptr_eq(&made, &for_run(&spec)));
    }
}
