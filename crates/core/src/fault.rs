//! Injected faults: which requests the server fails or resets, decided per request id.
//!
//! The decision is a pure function of the seed and the request id, so the server can
//! make it and core can predict exactly how many of each a run must see.

use crate::sleep::token;

/// What the server does with one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Answers 200 with the body.
    Answer,
    /// Answers 500.
    Fail,
    /// Drops the connection without answering.
    Reset,
}

/// The fate of request `id`: `fail` and `reset` are fractions in 0..=1.
pub fn fate(seed: u64, id: u64, fail: f64, reset: f64) -> Fate {
    if fail <= 0.0 && reset <= 0.0 {
        return Fate::Answer;
    }
    // 53 random bits as a uniform number in [0, 1).
    let uniform = (token(seed ^ token(id)) >> 11) as f64 / (1u64 << 53) as f64;
    if uniform < fail {
        Fate::Fail
    } else if uniform < fail + reset {
        Fate::Reset
    } else {
        Fate::Answer
    }
}

/// How many of ids `0..requests` meet each fate: (answered, failed, reset).
pub fn count(seed: u64, requests: u64, fail: f64, reset: f64) -> (u64, u64, u64) {
    let mut counts = (0, 0, 0);
    for id in 0..requests {
        match fate(seed, id, fail, reset) {
            Fate::Answer => counts.0 += 1,
            Fate::Fail => counts.1 += 1,
            Fate::Reset => counts.2 += 1,
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
