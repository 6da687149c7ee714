//! Sizing a cell to a backend: requests in flight, the fitted sample of a latency cell,
//! the predicted trial time and the trial timeout.

use shootout_core::fetch::Scenario;
use shootout_core::{FetchSpec, Workload};

use super::profile::Cell;
use crate::backends::BackendName;

/// The shortest trial a fitted custom fetch cell is sized for: long enough that a sample of
/// a few requests per worker still gives a p99.
pub(super) const CUSTOM_FIT_S: f64 = 1.0;

/// How many requests or tasks `backend` keeps in flight at once in `workload`.
pub fn in_flight(backend: BackendName, workload: &Workload, threads: u64) -> u64 {
    match workload {
        Workload::Sleep(spec) => backend.info().sleep_model.in_flight(threads, spec.tasks),
        Workload::Cpu(_) | Workload::Spawn(_) | Workload::Pipeline(_) | Workload::Blocking(_) => {
            threads
        }
        Workload::Fetch(spec) => backend
            .info()
            .fetch_slots
            .in_flight(threads, spec.concurrency),
    }
}

/// Pairs each of a profile's cells with the run's worker threads; a cell that sweeps them
/// (the full profile's main cpu cell, for the parallel-efficiency chart) also runs at every
/// other count from 1 to the cores.
pub(super) fn with_threads<'a>(
    cells: impl Iterator<Item = &'a Cell>,
    threads: u64,
) -> Vec<(Workload, u64)> {
    let mut planned = Vec::new();
    for cell in cells {
        if cell.sweep_threads {
            let cores = crate::machine::available_cores();
            for t in (1..=cores.max(threads)).filter(|&t| t != threads) {
                planned.push((cell.workload.clone(), t));
            }
        }
        planned.push((cell.workload.clone(), threads));
    }
    planned
}

/// Sleep and fetch-latency time is predictable: rounds of in-flight tasks times the
/// wait. CPU and throughput time is not; it depends on the machine.
pub(super) fn predict(backend: BackendName, workload: &Workload, threads: u64) -> Option<f64> {
    let (count, wait_ms) = match workload {
        Workload::Sleep(spec) => (spec.tasks, spec.sleep_ms as f64),
        Workload::Fetch(spec) => (spec.requests, fetch_wait_ms(spec)?),
        Workload::Cpu(_) | Workload::Spawn(_) | Workload::Pipeline(_) | Workload::Blocking(_) => {
            return None;
        }
    };
    let rounds = count.div_ceil(in_flight(backend, workload, threads));
    let paced = match workload {
        Workload::Fetch(spec) if spec.rate > 0.0 => spec.requests as f64 / spec.rate,
        _ => 0.0,
    };
    Some((rounds as f64 * wait_ms / 1e3).max(paced))
}

/// The expected time one fetch request waits: its server latency, plus the timeout for
/// the slow fraction, plus expected backoffs and repeats when it retries. `None` where
/// the time is the client's own work (no latency to wait on).
pub(super) fn fetch_wait_ms(spec: &FetchSpec) -> Option<f64> {
    let latency = spec.latency_ms as f64;
    let slow = spec.slow * ((spec.latency_ms + spec.slow_ms).min(spec.timeout_ms)) as f64;
    let failing = spec.fail + spec.reset;
    let retries: f64 = (0..spec.retries)
        .map(|k| {
            failing.powi(k as i32 + 1) * (spec.backoff_ms as f64 * 2f64.powi(k as i32) + latency)
        })
        .sum();
    let wait = latency + slow + retries;
    (wait > 0.0).then_some(wait)
}

/// A profile's fetch cell that waits on latency, with fewer requests for a backend that
/// keeps fewer in flight, so that it takes about `fit_s` per trial instead of being skipped.
pub(super) fn fit(backend: BackendName, workload: &Workload, threads: u64, fit_s: f64) -> Workload {
    match workload {
        // An open-loop cell is never fitted: falling behind its schedule is what it shows.
        Workload::Fetch(spec) if spec.scenario == Scenario::Load => workload.clone(),
        Workload::Fetch(spec) => match fetch_wait_ms(spec) {
            Some(wait_ms) => {
                let in_flight = in_flight(backend, workload, threads);
                let rounds = ((fit_s * 1e3 / wait_ms) as u64).max(1);
                let requests = spec
                    .requests
                    .min((rounds * in_flight).max(least_sample(spec, in_flight)));
                Workload::Fetch(sample(spec, requests))
            }
            None => workload.clone(),
        },
        other => other.clone(),
    }
}

/// The fewest requests a fitted sample of `spec` may keep with `in_flight` slots: one
/// request of its rarest fate (one timeout in four: 4), and where slow requests time out,
/// more timeouts than slots (counted in the sample itself), so that a slot or connection
/// a timed-out request leaked would still show.
pub(super) fn least_sample(spec: &FetchSpec, in_flight: u64) -> u64 {
    let rarest = [spec.fail, spec.reset, spec.slow]
        .into_iter()
        .filter(|&f| f > 0.0)
        .fold(1.0, f64::min);
    let mut least = ((1.0 / rarest).ceil() as u64).min(spec.requests);
    let timeouts = |requests: u64| requests - sample(spec, requests).expected_ok();
    while spec.slow_times_out() && least < spec.requests && timeouts(least) <= in_flight {
        least += 1;
    }
    least
}

/// `requests` of `spec`'s requests, as a sample with its mix of fates.
pub(super) fn sample(spec: &FetchSpec, requests: u64) -> FetchSpec {
    FetchSpec {
        requests,
        // A sample of the full cell with its mix of fates, not its first ids.
        sampled_from: (requests < spec.requests).then_some(spec.requests),
        ..spec.clone()
    }
}

/// Generous: a timeout is for hangs, not for slow machines.
pub(super) fn default_timeout(workload: &Workload, predicted_s: Option<f64>) -> u64 {
    let secs = match workload {
        Workload::Sleep(_) => 30.0 + 3.0 * predicted_s.unwrap_or(0.0),
        // A single thread does about 2.5e9 elements/s here; allow 20x slower.
        Workload::Cpu(spec) => 30.0 + spec.n as f64 * 8e-9,
        Workload::Blocking(spec) => 30.0 + spec.n as f64 * 8e-9 + 3.0 * spec.window().as_secs_f64(),
        Workload::Spawn(spec) => 30.0 + spec.tasks as f64 * 1e-4,
        Workload::Pipeline(spec) => 30.0 + spec.messages as f64 * 1e-5,
        // Allow 10k requests/s on slow loopback, plus one full timeout.
        Workload::Fetch(spec) => {
            30.0 + 3.0 * predicted_s.unwrap_or(0.0)
                + spec.requests as f64 * 1e-4
                + spec.timeout_ms as f64 / 1e3
        }
    };
    secs.ceil() as u64
}
