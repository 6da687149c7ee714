//! Ctrl-C, SIGTERM and SIGHUP during a run: caught as a flag (signal-hook, no unsafe code), so
//! the run kills the trial in flight, keeps everything finished, regenerates the report
//! marked partial and says how to go on, instead of dying mid-write.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

/// The signal caught, 0 while none.
static CAUGHT: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// Catches SIGINT, SIGTERM and SIGHUP from now on. A second signal of the same kind while the
/// first is being handled still only sets the flag: the run is already stopping.
pub fn install() -> std::io::Result<()> {
    let flag = CAUGHT.get_or_init(|| Arc::new(AtomicUsize::new(0)));
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        signal_hook::flag::register_usize(signal, Arc::clone(flag), signal as usize)?;
    }
    Ok(())
}

/// The signal caught since [`install`], if any.
pub fn caught() -> Option<i32> {
    CAUGHT
        .get()
        .map(|flag| flag.load(Ordering::SeqCst))
        .filter(|&signal| signal != 0)
        .map(|signal| signal as i32)
}

/// `SIGINT` and its shell exit code (128 + the signal: 130 for Ctrl-C, 143 for SIGTERM).
pub fn describe(signal: i32) -> (&'static str, u8) {
    let name = match signal {
        SIGINT => "SIGINT (Ctrl-C)",
        SIGTERM => "SIGTERM",
        SIGHUP => "SIGHUP",
        _ => "a signal",
    };
    (name, 128u8.saturating_add(signal as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_shell_convention() {
        assert_eq!(describe(SIGINT).1, 130);
        assert_eq!(describe(SIGTERM).1, 143);
        assert_eq!(describe(SIGHUP).1, 129);
    }
}
