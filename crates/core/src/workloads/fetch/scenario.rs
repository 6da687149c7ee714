//! The fetch scenarios: the tutorials' patterns that are fetch runs with a particular
//! server behaviour, each a variant carrying only its own fields, and how a spec reads
//! them.

use super::{Arrival, FetchSpec};

/// The tutorials' patterns that are fetch runs with a particular server behaviour, each
/// with the fields it alone sets.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Scenario {
    /// Plain concurrent fetching with a limit.
    #[default]
    Plain,
    /// Some requests fail or are reset; every result is collected (`return_exceptions`).
    PartialFailure(Faults),
    /// Some requests outlast the per-request timeout and must be cancelled exactly.
    Timeout(Slow),
    /// Requests start at a target rate, no faster.
    RateLimit(Pace),
    /// A flaky endpoint, retried with exponential backoff and jitter.
    Retry(Retries),
    /// Open loop: requests due on a schedule at an offered rate, timed from when they were
    /// due, so a client that falls behind pays for it in latency.
    Load {
        /// The offered rate and how requests arrive at it.
        pace: Pace,
        /// The embedded server stops answering for this long, once, when the middle
        /// request arrives (a stalled server, as a GC pause or a full disk would stall
        /// it); 0: never.
        pause_ms: u64,
    },
    /// Open loop searched: the highest offered rate the client holds with its p99 from due
    /// within an SLO, found by a search of paced runs ([`super::capacity`]).
    Capacity(Search),
}

/// The faults the embedded server injects.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Faults {
    /// Fraction of requests the server answers with 500.
    pub fail: f64,
    /// Fraction of requests whose connection the server drops without answering.
    pub reset: f64,
}

/// Slow answers, which outlast the timeout or not.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Slow {
    /// Fraction of requests the server answers only after `slow_ms` more.
    pub slow: f64,
    /// The extra delay of slow requests, milliseconds.
    pub slow_ms: u64,
}

/// A rate requests start at, no faster.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pace {
    /// Requests per second.
    pub rate: f64,
    /// How requests arrive at `rate`: evenly, or as a Poisson process from the seed.
    pub arrival: Arrival,
}

/// A search for the most load a client holds within an SLO.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Search {
    /// The highest rate tried (the search starts at a 64th of it), and how requests arrive.
    pub pace: Pace,
    /// The SLO: the p99 from due a step must stay within to hold, milliseconds.
    pub slo_ms: u64,
}

/// Retries of a flaky endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Retries {
    /// The faults each attempt meets.
    pub faults: Faults,
    /// Retries per request after a 5xx, a reset or a timeout (exponential backoff with
    /// jitter).
    pub retries: u64,
    /// The first backoff, milliseconds; each retry doubles it, times a jitter in 0.5..1.5.
    pub backoff_ms: u64,
}

impl Scenario {
    /// The same scenario with nothing injected, paced or retried: what a warm-up runs.
    pub fn at_rest(self) -> Scenario {
        match self {
            Scenario::Plain => Scenario::Plain,
            Scenario::PartialFailure(_) => Scenario::PartialFailure(Faults::default()),
            Scenario::Timeout(_) => Scenario::Timeout(Slow::default()),
            Scenario::RateLimit(_) => Scenario::RateLimit(Pace::default()),
            Scenario::Retry(_) => Scenario::Retry(Retries::default()),
            Scenario::Load { .. } => Scenario::Load {
                pace: Pace::default(),
                pause_ms: 0,
            },
            Scenario::Capacity(search) => Scenario::Capacity(Search {
                pace: Pace::default(),
                ..search
            }),
        }
    }
}

/// The scenario's fields, read from any spec: a field its scenario does not have is zero
/// (no faults, no rate, no retries).
impl FetchSpec {
    /// The injected faults (none but in partial-failure and retry).
    pub fn faults(&self) -> Faults {
        match self.scenario {
            Scenario::PartialFailure(faults) | Scenario::Retry(Retries { faults, .. }) => faults,
            _ => Faults::default(),
        }
    }

    /// Fraction of requests the server answers with 500.
    pub fn fail(&self) -> f64 {
        self.faults().fail
    }

    /// Fraction of requests whose connection the server drops.
    pub fn reset(&self) -> f64 {
        self.faults().reset
    }

    /// The slow answers (none but in the timeout scenario).
    fn slow_answers(&self) -> Slow {
        match self.scenario {
            Scenario::Timeout(slow) => slow,
            _ => Slow::default(),
        }
    }

    /// Fraction of requests answered `slow_ms` late.
    pub fn slow(&self) -> f64 {
        self.slow_answers().slow
    }

    /// The extra delay of slow requests, milliseconds.
    pub fn slow_ms(&self) -> u64 {
        self.slow_answers().slow_ms
    }

    /// The pace requests start at, if the scenario holds one (rate-limit, load).
    pub fn pace(&self) -> Option<Pace> {
        match self.scenario {
            Scenario::RateLimit(pace)
            | Scenario::Load { pace, .. }
            | Scenario::Capacity(Search { pace, .. }) => Some(pace),
            _ => None,
        }
    }

    /// Requests per second to hold; 0 means as fast as possible.
    pub fn rate_per_s(&self) -> f64 {
        self.pace().map_or(0.0, |pace| pace.rate)
    }

    /// How paced requests arrive.
    pub fn arrival(&self) -> Arrival {
        self.pace().map_or(Arrival::Fixed, |pace| pace.arrival)
    }

    /// How long the server stalls once, milliseconds (load only).
    pub fn pause_ms(&self) -> u64 {
        match self.scenario {
            Scenario::Load { pause_ms, .. } => pause_ms,
            _ => 0,
        }
    }

    /// The search for the most load within an SLO (capacity only).
    pub fn search(&self) -> Option<Search> {
        match self.scenario {
            Scenario::Capacity(search) => Some(search),
            _ => None,
        }
    }

    /// The SLO on p99 from due, milliseconds (capacity only; 0 elsewhere).
    pub fn slo_ms(&self) -> u64 {
        self.search().map_or(0, |search| search.slo_ms)
    }

    /// The retry policy (none but in the retry scenario).
    fn retry_policy(&self) -> Retries {
        match self.scenario {
            Scenario::Retry(retries) => retries,
            _ => Retries::default(),
        }
    }

    /// Retries per request.
    pub fn retries(&self) -> u64 {
        self.retry_policy().retries
    }

    /// The first backoff, milliseconds.
    pub fn backoff_ms(&self) -> u64 {
        self.retry_policy().backoff_ms
    }
}
