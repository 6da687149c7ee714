//! Where a workload's driver ran, for the conformance check that async runtimes spawn
//! from inside themselves (see [`crate::Driver`]).
//!
//! Every backend calls [`started`] once at the start of each workload's driver. Outside a
//! [`probe`] that is one relaxed atomic load; inside one, it records the calling thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};
use std::thread::{self, ThreadId};

static PROBING: AtomicBool = AtomicBool::new(false);
static SEEN: Mutex<Vec<Seen>> = Mutex::new(Vec::new());
/// Held for reading by every conformance run and for writing by a probe, so a probe in one
/// test sees only its own driver even when other tests of the same binary run alongside.
pub(crate) static EXCLUSIVE: RwLock<()> = RwLock::new(());

/// A thread a driver started on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    /// Its id.
    pub id: ThreadId,
    /// Its name, if it has one.
    pub name: Option<String>,
}

impl Seen {
    fn current() -> Seen {
        let thread = thread::current();
        Seen {
            id: thread.id(),
            name: thread.name().map(str::to_string),
        }
    }
}

/// Marks the start of a workload's driver on the current thread.
pub fn started() {
    if PROBING.load(Ordering::Relaxed) {
        SEEN.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Seen::current());
    }
}

/// Runs `f` and returns what it returned with every driver start it caused.
pub fn probe<T>(f: impl FnOnce() -> T) -> (T, Vec<Seen>) {
    let _alone = EXCLUSIVE.write().unwrap_or_else(PoisonError::into_inner);
    SEEN.lock().unwrap_or_else(PoisonError::into_inner).clear();
    PROBING.store(true, Ordering::SeqCst);
    let result = f();
    PROBING.store(false, Ordering::SeqCst);
    let seen = std::mem::take(&mut *SEEN.lock().unwrap_or_else(PoisonError::into_inner));
    (result, seen)
}

/// The calling thread, as a driver start would record it.
pub fn this_thread() -> Seen {
    Seen::current()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_probe_records_the_threads_drivers_started_on() {
        let ((), seen) = probe(|| {
            started();
            thread::Builder::new()
                .name("elsewhere".into())
                .spawn(started)
                .expect("thread starts")
                .join()
                .expect("thread ends");
        });
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0], this_thread());
        assert_eq!(seen[1].name.as_deref(), Some("elsewhere"));
        started();
        let ((), none) = probe(|| ());
        assert!(none.is_empty(), "outside a probe nothing is recorded");
    }
}
