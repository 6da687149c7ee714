//! Injected faults: which requests the server fails or resets, decided per request id.
//!
//! The decision is a pure function of the seed and the request id, so the server can
//! make it and core can predict exactly how many of each a run must see.

use crate::random::token;

/// What the server does with one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Answers 200 with the body.
    Answer,
    /// Answers 500.
    Fail,
    /// Drops the connection without answering.
    Reset,
    /// Answers 200, but only after an extra delay (to exceed a client's timeout).
    Slow,
}

/// The fate of request `id`: `fail` and `reset` are fractions in 0..=1.
pub fn fate(seed: u64, id: u64, fail: f64, reset: f64) -> Fate {
    fate_with_slow(seed, id, fail, reset, 0.0)
}

/// The fate of request `id` when a further fraction `slow` answers late.
pub fn fate_with_slow(seed: u64, id: u64, fail: f64, reset: f64, slow: f64) -> Fate {
    if fail <= 0.0 && reset <= 0.0 && slow <= 0.0 {
        return Fate::Answer;
    }
    // 53 random bits as a uniform number in [0, 1).
    let uniform = (token(seed ^ token(id)) >> 11) as f64 / (1u64 << 53) as f64;
    if uniform < fail {
        Fate::Fail
    } else if uniform < fail + reset {
        Fate::Reset
    } else if uniform < fail + reset + slow {
        Fate::Slow
    } else {
        Fate::Answer
    }
}

/// How many of ids `0..requests` meet each fate: (answered, failed, reset).
pub fn count(seed: u64, requests: u64, fail: f64, reset: f64) -> (u64, u64, u64) {
    let counts = count_all(seed, requests, fail, reset, 0.0);
    (counts.answered, counts.failed, counts.reset)
}

/// How many requests meet each fate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Answered at once.
    pub answered: u64,
    /// Answered 500.
    pub failed: u64,
    /// Dropped without an answer.
    pub reset: u64,
    /// Answered after the extra delay.
    pub slow: u64,
}

/// How many of ids `0..requests` meet each fate, with a `slow` fraction.
pub fn count_all(seed: u64, requests: u64, fail: f64, reset: f64, slow: f64) -> Counts {
    let mut counts = Counts::default();
    for id in 0..requests {
        match fate_with_slow(seed, id, fail, reset, slow) {
            Fate::Answer => counts.answered += 1,
            Fate::Fail => counts.failed += 1,
            Fate::Reset => counts.reset += 1,
            Fate::Slow => counts.slow += 1,
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_are_close_and_exactly_repeatable() {
        let (answered, failed, reset) = count(42, 10_000, 0.1, 0.05);
        assert_eq!(answered + failed + reset, 10_000);
        assert!((900..1100).contains(&failed), "{failed}");
        assert!((400..600).contains(&reset), "{reset}");
        assert_eq!(count(42, 10_000, 0.1, 0.05), (answered, failed, reset));
        assert_ne!(count(43, 10_000, 0.1, 0.05), (answered, failed, reset));
        assert_eq!(count(42, 100, 0.0, 0.0), (100, 0, 0));
        assert_eq!(count(42, 100, 1.0, 0.0), (0, 100, 0));
    }
}
