//! The answers and times the mock gives: each workload's exact expected outcome, and a
//! synthetic time from its spec.

use std::time::{Duration, Instant};

use shootout_core::blocking::{JobDone, TickLog};
use shootout_core::tally::Failure;
use shootout_core::{
    BlockingMode, BlockingSpec, FetchOutcome, FetchSpec, Outcome, SleepSpec, TickOutcome, Workload,
    body, http, random, sleep,
};

/// The base synthetic time of `workload` with `in_flight` at once: the kernel's elements at
/// 0.1 Gelem/s (slower than any machine computes them, so a run stays plausible), else
/// what it would take if it only waited (its predicted time), else a millisecond per ten
/// thousand tasks or messages; at least 2 ms and at most 100 ms unless it computes.
pub fn base_time(workload: &Workload, in_flight: u64) -> Duration {
    if let Some(elements) = workload.kernel_elements() {
        return Duration::from_secs_f64((elements as f64 / 1e8).max(0.002));
    }
    let secs = workload
        .predict_s(in_flight)
        .unwrap_or_else(|| workload.rate(1.0) / 1e7)
        .clamp(0.002, 0.1);
    Duration::from_secs_f64(secs)
}

/// Every task of `spec` woken once, as a real backend's tasks report themselves.
pub fn sleep(spec: &SleepSpec) -> Outcome {
    (0..spec.tasks)
        .map(|id| {
            sleep::waiting();
            Outcome::from(sleep::woke(id))
        })
        .sum()
}

/// Every tick of `spec` on time within 50 µs times `factor` when the jobs are offloaded,
/// and 20 ms times `factor` late when they run inline (the pitfall); the jobs' exact sum.
pub fn blocking(spec: &BlockingSpec, factor: u32, took: Duration) -> TickOutcome {
    let late_us = match spec.mode {
        BlockingMode::Inline => 20_000,
        _ => 50,
    } * u64::from(factor);
    let logs = (0..spec.tickers).map(|id| TickLog {
        ticks: Outcome {
            ops: spec.ticks,
            checksum: u128::from(random::token(id)) * u128::from(spec.ticks),
        },
        lateness_us: vec![late_us; spec.ticks as usize],
        last: spec.window(),
    });
    let jobs = [JobDone {
        outcome: spec.cpu().expected(),
        at: took,
    }];
    TickOutcome::collect(logs, jobs)
}

/// Every request of `spec` with the fate the embedded server deals it, as a correct client
/// records it: answered, 500, reset or timed out, each after the spec's latency times
/// `factor`.
pub fn fetch(spec: &FetchSpec, factor: u32) -> FetchOutcome {
    let (ok, status, reset, attempts) = if spec.retries > 0 {
        spec.expected_with_retries()
    } else {
        let (_, status, reset) = spec.expected_counts();
        (spec.expected_ok(), status, reset, spec.requests)
    };
    let timeout = spec.requests - ok - status - reset;
    let check = spec.check();
    let latency = Duration::from_millis(spec.latency_ms.max(1)) * factor;
    let answer = |code: u16| {
        Ok(http::Response {
            status: code,
            body_len: spec.body_bytes,
            body_hash: body::expected_hash(spec.body_bytes, spec.seed),
            keep_alive: true,
            delay_us: None,
        })
    };
    let mut outcome = FetchOutcome::default();
    let fates = [
        (ok, answer(200)),
        (status, answer(500)),
        (reset, Err(Failure::Reset("mock".into()))),
        (timeout, Err(Failure::Timeout)),
    ];
    let now = Instant::now();
    for (count, result) in fates {
        for _ in 0..count {
            outcome.record_final(result.clone(), latency, 1, &check);
            if spec.rate > 0.0 {
                outcome.record_due(now, now, now + latency);
            }
        }
    }
    outcome.attempts = attempts;
    outcome
}
