//! A latency-sensitive task beside the calls: it wakes every `tick_us` on absolute deadlines
//! (`start + k × period`) from the clock's start until the calls are done, and records how
//! late each wake-up fired. Where the calls run inline on an event loop a tick waits for a
//! whole call; on the blocking pool, or on threads the OS preempts, it fires on time. A tick
//! whose deadlines passed while it was held fires them at once (a burst), each with its full
//! lateness, as the blocking workload's tickers do; a ticker held until the calls are done
//! (inline calls on a single event loop) fires, when it runs at last, every deadline that
//! passed before they were done, so a ticker that never got to run reads as the latest of
//! all, not as no ticks.
//!
//! On an async runtime it is a task of the runtime (on a thread-per-core runtime, a local
//! task of the first); on a backend of threads, a thread of its own. It arrives at the
//! clock's gate with the workers, so it is made before the clock, and it stops as the
//! workers finish (their side of the stop dropped), so it adds no wait to the run.

use std::future::Future;
use std::sync::{Arc, OnceLock, mpsc};
use std::time::{Duration, Instant};

/// The longest the ticker records: a million ticks (17 minutes at 1 ms); past it, it stops.
const TICKS_MAX: usize = 1_000_000;

/// How late each tick fired, microseconds, in order.
pub type Lateness = Vec<u64>;

/// The ticks' lateness as a histogram: 1 µs to 10 minutes at 3 significant digits, as the
/// blocking workload's. Built after the clock.
pub fn histogram(lateness: &[u64]) -> hdrhistogram::Histogram<u64> {
    let mut histogram = hdrhistogram::Histogram::new_with_bounds(1, 600_000_000, 3)
        .expect("valid histogram bounds");
    for &late in lateness {
        histogram.saturating_record(late);
    }
    histogram
}

/// When the workers were done: set as [`Stop`] is dropped, read by the ticker as it stops.
type Ended = Arc<OnceLock<Instant>>;

/// The workers' side of a ticker's stop: dropped when every worker is done.
pub(super) struct Stop {
    ended: Ended,
    _async: async_channel::Sender<()>,
    _thread: mpsc::Sender<()>,
}

impl Drop for Stop {
    /// Notes the instant before the channels close (fields drop after this).
    fn drop(&mut self) {
        let _ = self.ended.set(Instant::now());
    }
}

/// The ticker's side: closed when [`Stop`] is dropped.
#[derive(Clone)]
pub(super) struct Stopped {
    ended: Ended,
    async_side: async_channel::Receiver<()>,
}

/// The ticker of a thread: its stop, not clonable across threads' receivers.
pub(super) struct StoppedThread {
    ended: Ended,
    receiver: mpsc::Receiver<()>,
}

/// A stop and the two ways a ticker waits on it.
pub(super) fn stop() -> (Stop, Stopped, StoppedThread) {
    let ended = Ended::default();
    let (async_tx, async_rx) = async_channel::bounded(1);
    let (thread_tx, thread_rx) = mpsc::channel();
    (
        Stop {
            ended: ended.clone(),
            _async: async_tx,
            _thread: thread_tx,
        },
        Stopped {
            ended: ended.clone(),
            async_side: async_rx,
        },
        StoppedThread {
            ended,
            receiver: thread_rx,
        },
    )
}

/// The deadlines of one ticker and how late each fired.
struct Deadlines {
    start: Instant,
    period: Duration,
    k: u32,
    lateness: Lateness,
}

impl Deadlines {
    /// Deadlines every `period` from `start`; room for about `expected_s` of ticks.
    fn new(start: Instant, period: Duration, expected_s: f64) -> Deadlines {
        let room = (expected_s / period.as_secs_f64().max(1e-6)) as usize;
        Deadlines {
            start,
            period,
            k: 1,
            lateness: Vec::with_capacity(room.clamp(16, TICKS_MAX)),
        }
    }

    fn next(&self) -> Option<Instant> {
        (self.lateness.len() < TICKS_MAX).then(|| self.start + self.period * self.k)
    }

    /// Records the tick due at `deadline` if it is due now (a timer that woke early waits
    /// again).
    fn fire(&mut self, deadline: Instant) {
        let now = Instant::now();
        if now >= deadline {
            let late = (now - deadline).as_micros().min(u128::from(u64::MAX)) as u64;
            self.lateness.push(late);
            self.k += 1;
        }
    }

    /// At the stop: fires, late until now, every deadline that passed before the workers
    /// were done at `ended` (none when the ticker was free; all of them when it was held
    /// to the end).
    fn fire_passed(mut self, ended: Option<&Instant>) -> Lateness {
        if let Some(&ended) = ended {
            while let Some(deadline) = self.next().filter(|deadline| *deadline <= ended) {
                self.fire(deadline);
            }
        }
        self.lateness
    }
}

/// A ticker on an async runtime whose timer `sleep_until` waits; from `start` until
/// `stopped`.
pub(super) async fn on_runtime<S, F>(
    start: Instant,
    period: Duration,
    expected_s: f64,
    stopped: Stopped,
    sleep_until: S,
) -> Lateness
where
    S: Fn(Instant) -> F,
    F: Future<Output = ()>,
{
    let mut deadlines = Deadlines::new(start, period, expected_s);
    while let Some(deadline) = deadlines.next() {
        let slept = async {
            sleep_until(deadline).await;
            true
        };
        let stop = async {
            let _ = stopped.async_side.recv().await;
            false
        };
        // The stop first: a timer that is always ready must not keep a stopped ticker going.
        if !futures_lite::future::or(stop, slept).await {
            break;
        }
        deadlines.fire(deadline);
    }
    deadlines.fire_passed(stopped.ended.get())
}

/// A ticker on a thread of its own, from `start` until `stopped`.
pub(super) fn on_thread(
    start: Instant,
    period: Duration,
    expected_s: f64,
    stopped: StoppedThread,
) -> Lateness {
    let mut deadlines = Deadlines::new(start, period, expected_s);
    while let Some(deadline) = deadlines.next() {
        let left = deadline.saturating_duration_since(Instant::now());
        match stopped.receiver.recv_timeout(left) {
            Err(mpsc::RecvTimeoutError::Timeout) => deadlines.fire(deadline),
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    deadlines.fire_passed(stopped.ended.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_ticker_ticks_on_time_until_stopped() {
        let (stop, _, stopped) = stop();
        let start = Instant::now();
        let ticker =
            std::thread::spawn(move || on_thread(start, Duration::from_millis(2), 0.05, stopped));
        std::thread::sleep(Duration::from_millis(50));
        drop(stop);
        let lateness = ticker.join().unwrap();
        // About 25 ticks in 50 ms; a loaded machine may fire fewer, never more.
        assert!((10..=26).contains(&lateness.len()), "{}", lateness.len());
    }

    #[test]
    fn a_held_ticker_fires_its_missed_deadlines_late() {
        let (stop, stopped, _) = stop();
        let start = Instant::now();
        // Held 20 ms before it first waits: the first deadlines are 19, 17, … ms late.
        std::thread::sleep(Duration::from_millis(20));
        let ticker = std::thread::spawn(move || {
            futures_lite::future::block_on(on_runtime(
                start,
                Duration::from_millis(1),
                0.05,
                stopped,
                |deadline| async move {
                    std::thread::sleep(deadline.saturating_duration_since(Instant::now()))
                },
            ))
        });
        std::thread::sleep(Duration::from_millis(30));
        drop(stop);
        let lateness = ticker.join().unwrap();
        assert!(lateness[0] >= 18_000, "{lateness:?}");
        assert!(lateness.len() >= 20, "{}", lateness.len());
    }

    #[test]
    fn a_ticker_held_until_the_calls_are_done_fires_every_deadline_late() {
        let (stop, stopped, _) = stop();
        let start = Instant::now();
        // The calls hold the only thread 20 ms and are done before the ticker first runs.
        std::thread::sleep(Duration::from_millis(20));
        drop(stop);
        let lateness = futures_lite::future::block_on(on_runtime(
            start,
            Duration::from_millis(1),
            0.05,
            stopped,
            |_| std::future::pending(),
        ));
        assert!(lateness.len() >= 19, "{lateness:?}");
        assert!(lateness[0] >= 19_000, "{lateness:?}");
    }
}
