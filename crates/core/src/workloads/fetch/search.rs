//! The search for the highest offered rate a client sustains: wrk2's question ("what
//! throughput can it hold within its latency target?") answered by search rather than on a
//! grid, so that the answer's resolution is finer than the margin the verdicts use.
//!
//! From the lowest rate the search doubles until a step fails (or the highest rate holds),
//! then bisects geometrically between the last rate that held and the first that did not
//! until they are within the resolution. Each step is one paced run; whether it held is the
//! caller's to say (its p99 from due within the SLO, and it kept up).

/// Where to search and how finely.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// The first rate tried, requests per second.
    pub low: f64,
    /// The most tried.
    pub high: f64,
    /// The search stops when the rates that held and failed are this close, as a fraction
    /// of the one that held.
    pub resolution: f64,
}

/// One step of a search: the rate tried and whether it held.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// Requests per second offered.
    pub rate: f64,
    /// Whether the run held it.
    pub held: bool,
}

/// What a search found: the highest rate that held (`None` when even the lowest failed),
/// and every step in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// The highest rate that held.
    pub rate: Option<f64>,
    /// Whether the highest rate of the bounds held (the client may sustain more).
    pub at_ceiling: bool,
    /// The steps, in the order they ran.
    pub steps: Vec<Step>,
}

/// Runs `step` at the rates the search picks; `step(rate)` says whether `rate` held, or
/// fails the search with its error.
pub fn search<E>(bounds: Bounds, mut step: impl FnMut(f64) -> Result<bool, E>) -> Result<Found, E> {
    let mut steps = Vec::new();
    let mut run = |rate: f64, steps: &mut Vec<Step>| -> Result<bool, E> {
        let held = step(rate)?;
        steps.push(Step { rate, held });
        Ok(held)
    };
    let (mut held, mut failed) = (None, None);
    let mut rate = bounds.low;
    loop {
        if !run(rate, &mut steps)? {
            failed = Some(rate);
            break;
        }
        held = Some(rate);
        if rate >= bounds.high {
            break;
        }
        rate = (rate * 2.0).min(bounds.high);
    }
    let (Some(mut low), Some(mut high)) = (held, failed) else {
        return Ok(Found {
            rate: held,
            at_ceiling: held.is_some(),
            steps,
        });
    };
    while (high - low) / low > bounds.resolution {
        let middle = (low * high).sqrt();
        if run(middle, &mut steps)? {
            low = middle;
        } else {
            high = middle;
        }
    }
    Ok(Found {
        rate: Some(low),
        at_ceiling: false,
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: Bounds = Bounds {
        low: 1_000.0,
        high: 64_000.0,
        resolution: 0.02,
    };

    fn against(capacity: f64) -> Found {
        search(BOUNDS, |rate| Ok::<_, ()>(rate <= capacity)).unwrap()
    }

    #[test]
    fn the_search_lands_within_its_resolution_below_the_capacity() {
        for capacity in [1_000.0, 1_500.0, 7_300.0, 9_999.0, 41_000.0] {
            let found = against(capacity);
            let rate = found.rate.unwrap();
            assert!(rate <= capacity, "{capacity}: {rate}");
            assert!(
                rate >= capacity / (1.0 + BOUNDS.resolution),
                "{capacity}: {rate}"
            );
            assert!(!found.at_ceiling);
            // Doublings then bisection: a handful of steps, not a grid.
            assert!(
                found.steps.len() <= 14,
                "{capacity}: {} steps",
                found.steps.len()
            );
        }
    }

    #[test]
    fn below_the_lowest_and_past_the_highest_say_so() {
        let none = against(500.0);
        assert_eq!(none.rate, None);
        assert_eq!(none.steps.len(), 1);
        let all = against(1e9);
        assert_eq!(all.rate, Some(BOUNDS.high));
        assert!(all.at_ceiling);
    }

    #[test]
    fn a_failed_run_ends_the_search_with_its_error() {
        let mut calls = 0;
        let failed = search(BOUNDS, |rate| {
            calls += 1;
            if rate > 3_000.0 {
                Err("a wrong answer")
            } else {
                Ok(true)
            }
        });
        assert_eq!(failed, Err("a wrong answer"));
        assert_eq!(calls, 3);
    }
}
