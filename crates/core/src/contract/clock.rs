//! Where a trial's clock starts when a workload has workers to start first.
//!
//! The rule, the same on every backend: a fetch run's C long-lived client workers (OS
//! threads on `threads`, tasks on the async runtimes) are started **before** the clock and
//! wait at a [`Gate`]; the clock starts when the last one arrives, and the gate lets them
//! all go. What a backend keeps for its life (a runtime's worker threads, a pool) is built
//! before any trial's clock anyway, and what a design makes per request (a task per request)
//! is made inside it. Starting 1,024 OS threads takes about 40 ms here, 1,024 tasks a few
//! ms (each trial records it as `before_clock_s`): timing the one and not the other would
//! charge `threads` for its start-up and call that a runtime difference.
//!
//! The trial registers what to do when the clock starts ([`on_start`]); a gate with no
//! registration (a warm-up, a test) just opens.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Condvar, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// What the trial does when the clock starts.
pub type Hook = Box<dyn FnOnce() + Send>;

static HOOK: Mutex<Option<Hook>> = Mutex::new(None);

/// Registers `hook` to run when the next gate made opens, just before its workers go: the
/// trial's clock start. Replaces one no gate has taken.
pub fn on_start(hook: impl FnOnce() + Send + 'static) {
    *HOOK.lock().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(hook));
}

/// Drops a hook no gate took (the workload had no workers to wait for). Whether one was
/// left.
pub fn clear() -> bool {
    HOOK.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
        .is_some()
}

/// How long a worker waits for the others before the gate opens anyway: a worker that
/// never started (the OS refused a thread) must not hang the ones that did; their run then
/// fails on its own error.
const PATIENCE: Duration = Duration::from_secs(10);

/// Holds `expected` workers until all have arrived, then starts the clock and lets them go.
pub struct Gate {
    expected: usize,
    state: Mutex<State>,
    opened: Condvar,
}

#[derive(Default)]
struct State {
    arrived: usize,
    open_at: Option<Instant>,
    waiting: Vec<Waker>,
    hook: Option<Hook>,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        f.debug_struct("Gate")
            .field("expected", &self.expected)
            .field("arrived", &state.arrived)
            .field("open_at", &state.open_at)
            .finish()
    }
}

impl Gate {
    /// A gate for `expected` workers (at least one) that starts the clock the trial
    /// registered ([`on_start`]), if it did.
    pub fn new(expected: usize) -> Gate {
        let hook = HOOK.lock().unwrap_or_else(PoisonError::into_inner).take();
        Gate::with_hook(expected, hook)
    }

    /// A gate for `expected` workers that runs `hook` as it opens.
    pub fn with_hook(expected: usize, hook: Option<Hook>) -> Gate {
        Gate {
            expected: expected.max(1),
            state: Mutex::new(State {
                hook,
                ..State::default()
            }),
            opened: Condvar::new(),
        }
    }

    /// Arrives and blocks this thread until every worker has: when the clock started.
    pub fn arrive(&self) -> Instant {
        let mut state = self.lock();
        if let Some(at) = self.count_in(&mut state) {
            return at;
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(at) = state.open_at {
                return at;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return self.open(&mut state);
            }
            state = self
                .opened
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Arrives and waits, without blocking the thread, until every worker has: when the
    /// clock started. Works on any runtime (it keeps wakers, not a runtime's primitive).
    pub fn arrive_async(&self) -> impl Future<Output = Instant> + Send + '_ {
        Arrival {
            gate: self,
            counted: false,
        }
    }

    fn count_in(&self, state: &mut State) -> Option<Instant> {
        state.arrived += 1;
        (state.arrived >= self.expected).then(|| self.open(state))
    }

    /// Starts the clock (the registered hook) and releases everyone.
    fn open(&self, state: &mut State) -> Instant {
        if let Some(at) = state.open_at {
            return at;
        }
        if let Some(hook) = state.hook.take() {
            hook();
        }
        let at = Instant::now();
        state.open_at = Some(at);
        self.opened.notify_all();
        for waker in state.waiting.drain(..) {
            waker.wake();
        }
        at
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One async worker's arrival.
struct Arrival<'a> {
    gate: &'a Gate,
    counted: bool,
}

impl Future for Arrival<'_> {
    type Output = Instant;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Instant> {
        let gate = self.gate;
        let mut state = gate.lock();
        if let Some(at) = state.open_at {
            return Poll::Ready(at);
        }
        if !self.counted {
            self.counted = true;
            if let Some(at) = gate.count_in(&mut state) {
                return Poll::Ready(at);
            }
        }
        state.waiting.push(cx.waker().clone());
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;

    #[test]
    fn the_clock_starts_when_the_last_worker_arrives_and_not_before() {
        let started = Arc::new(AtomicUsize::new(0));
        let seen = started.clone();
        let hook: Hook = Box::new(move || {
            seen.fetch_add(1, Ordering::SeqCst);
        });
        let gate = Arc::new(Gate::with_hook(3, Some(hook)));
        let early: Vec<_> = (0..2)
            .map(|_| {
                let gate = gate.clone();
                thread::spawn(move || gate.arrive())
            })
            .collect();
        thread::sleep(Duration::from_millis(50));
        assert_eq!(started.load(Ordering::SeqCst), 0, "two of three arrived");
        let last = gate.arrive();
        assert_eq!(started.load(Ordering::SeqCst), 1);
        for worker in early {
            assert_eq!(worker.join().unwrap(), last, "all go at the same instant");
        }
        assert_eq!(gate.arrive(), last, "a late arrival finds it open");
        assert_eq!(started.load(Ordering::SeqCst), 1, "the clock starts once");
    }

    #[test]
    fn async_workers_on_one_thread_open_the_gate_between_them() {
        let gate = Gate::with_hook(2, None);
        let (a, b) = futures_lite::future::block_on(futures_lite::future::zip(
            gate.arrive_async(),
            gate.arrive_async(),
        ));
        assert_eq!(a, b);
    }
}
