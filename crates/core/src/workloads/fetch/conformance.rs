//! The fetch workload's conformance cases and checks, run against the embedded server:
//! every scenario's exact counts, and the bounds that show a backend honours the
//! concurrency limit, holds a rate and runs an open loop.

use std::time::{Duration, Instant};

use super::{Arrival, Faults, FetchSpec, Pace, Retries, Scenario, Slow, Target};
use crate::backend::Backend;
use crate::conformance::{check, check_driver, in_variants};
use crate::design::{Client, Variant};
use crate::driver;
use crate::outcome::RunOutcome;
use crate::tally::{Failure, FetchOutcome};
use crate::workload::Workload;
use crate::{body, http};

/// Fetch cases against the embedded server: plain, empty and large bodies, concurrency
/// of one and above the request count, and injected failures and resets whose exact
/// counts the run must reproduce.
fn cases() -> Vec<FetchSpec> {
    let base = FetchSpec {
        requests: 40,
        concurrency: 8,
        latency_ms: 1,
        body_bytes: 512,
        timeout_ms: 10_000,
        seed: 7,
        url: None,
        ..Default::default()
    };
    vec![
        base.clone(),
        FetchSpec {
            requests: 1,
            concurrency: 1,
            body_bytes: 0,
            ..base.clone()
        },
        FetchSpec {
            requests: 5,
            concurrency: 64,
            body_bytes: 200_000,
            ..base.clone()
        },
        FetchSpec {
            requests: 60,
            scenario: Scenario::PartialFailure(Faults {
                fail: 0.2,
                reset: 0.1,
            }),
            ..base.clone()
        },
        FetchSpec {
            requests: 30,
            concurrency: 3,
            latency_ms: 0,
            seed: 9,
            scenario: Scenario::PartialFailure(Faults {
                fail: 0.0,
                reset: 0.3,
            }),
            ..base.clone()
        },
        // A fitted cell: 24 of 300 requests with the full cell's mix of 500s and resets.
        FetchSpec {
            requests: 24,
            seed: 11,
            sampled_from: Some(300),
            scenario: Scenario::PartialFailure(Faults {
                fail: 0.3,
                reset: 0.1,
            }),
            ..base.clone()
        },
        // The timeout scenario: 30% of requests take 1 s more against a 200 ms timeout, a
        // margin wide enough that a loaded test machine cannot time out a fast request.
        FetchSpec {
            requests: 24,
            concurrency: 4,
            latency_ms: 0,
            timeout_ms: 200,
            seed: 3,
            scenario: Scenario::Timeout(Slow {
                slow: 0.3,
                slow_ms: 1_000,
            }),
            ..base
        },
    ]
}

/// Runs every fetch case on `backend` against the embedded server at `target`, then
/// checks that it honours the concurrency limit.
pub fn check_fetch(backend: &dyn Backend, target: &Target) {
    for spec in cases() {
        // The task-per-request idiom handles every scenario too, though the suite runs it
        // on plain fetch cells only.
        if backend.info().variants.contains(&Variant::TaskPerRequest) {
            let idiom = FetchSpec {
                client: Client::TaskPerRequest,
                ..spec.clone()
            };
            check(backend, &Workload::Fetch(idiom), Some(target));
        }
        check(backend, &Workload::Fetch(spec), Some(target));
    }
    let first = Workload::Fetch(cases().remove(0));
    check_driver(backend, &first, Some(target));
    for variant in in_variants(&first) {
        check_driver(backend, &variant, Some(target));
    }
    check_concurrency_limit(backend, target);
    check_rate_limit(backend, target);
    check_open_loop(backend, target);
    // The retry scenario: exact final successes, failures and attempts.
    let retry = FetchSpec {
        requests: 40,
        concurrency: 8,
        latency_ms: 0,
        body_bytes: 16,
        seed: 5,
        scenario: Scenario::Retry(Retries {
            faults: Faults {
                fail: 0.4,
                reset: 0.1,
            },
            retries: 2,
            backoff_ms: 1,
        }),
        ..Default::default()
    };
    let (ok, status, reset, attempts) = retry.expected_with_retries();
    assert!(
        status + reset > 0 && attempts > 40 && ok > 0,
        "the retry case exercises every path"
    );
    check(backend, &Workload::Fetch(retry), Some(target));
    // A call through a blocking library, against the same server and the databases.
    crate::call::conformance::check_call(backend, target);
}

/// At 200 requests per second, the 11th request cannot start before 50 ms: a lower bound
/// that a backend ignoring the rate fails and a slow machine cannot.
fn check_rate_limit(backend: &dyn Backend, target: &Target) {
    let spec = FetchSpec {
        requests: 11,
        concurrency: 8,
        latency_ms: 0,
        body_bytes: 8,
        scenario: Scenario::RateLimit(Pace {
            rate: 200.0,
            arrival: Arrival::Fixed,
        }),
        ..Default::default()
    };
    let start = std::time::Instant::now();
    check(backend, &Workload::Fetch(spec), Some(target));
    let elapsed = start.elapsed();
    assert!(
        elapsed >= std::time::Duration::from_millis(50),
        "{} ran 11 requests at 200/s in {elapsed:?}: it did not hold the rate",
        backend.info().name
    );
}

/// An open-loop run: Poisson arrivals at 400/s on 4 connections. It verifies like any
/// fetch, every request is timed from when it was due as well as from its send (never
/// less), and the last request cannot start before its due time.
fn check_open_loop(backend: &dyn Backend, target: &Target) {
    let spec = FetchSpec {
        requests: 40,
        concurrency: 4,
        latency_ms: 1,
        body_bytes: 8,
        seed: 3,
        scenario: Scenario::Load {
            pace: Pace {
                rate: 400.0,
                arrival: Arrival::Poisson,
            },
            pause_ms: 0,
        },
        ..Default::default()
    };
    let name = backend.info().name;
    let mut clients = vec![spec.clone()];
    if backend.info().variants.contains(&Variant::TaskPerRequest) {
        clients.push(FetchSpec {
            client: Client::TaskPerRequest,
            ..spec.clone()
        });
    }
    for spec in clients {
        let last_due = spec.schedule().due(spec.requests - 1).expect("paced");
        let offset = last_due - spec.schedule().epoch();
        // Shared with other conformance runs, never alongside a driver probe.
        let _shared = driver::EXCLUSIVE
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let start = std::time::Instant::now();
        let outcome = match backend.run(&Workload::Fetch(spec.clone()), Some(target)) {
            Ok(RunOutcome::Fetched(outcome)) => outcome,
            Ok(other) => panic!("{name} open loop: not a fetch outcome: {other:?}"),
            Err(err) => panic!("{name} open loop: {err}"),
        };
        let elapsed = start.elapsed();
        Workload::Fetch(spec.clone())
            .verify(&outcome.clone().into())
            .unwrap_or_else(|err| panic!("{name} open loop ({:?}): {err}", spec.client));
        let latencies = outcome.latencies();
        let (from_due, late) = (
            latencies
                .from_due_us
                .as_ref()
                .expect("timed from the schedule"),
            latencies.send_late_us.as_ref().expect("send lateness"),
        );
        assert_eq!(
            from_due.len(),
            spec.requests,
            "{name}: every request timed from due"
        );
        assert_eq!(late.len(), spec.requests, "{name}: every send's lateness");
        assert!(
            from_due.max() >= latencies.latency_us.max(),
            "{name}: a request took longer from its send than from when it was due"
        );
        assert!(
            elapsed >= offset,
            "{name} finished {} Poisson arrivals in {elapsed:?}, before the last was due at {offset:?}",
            spec.requests
        );
    }
}

/// With at most one request in flight, four requests of 25 ms each cannot finish in less
/// than 100 ms. A lower bound only, so a slow machine cannot fail it; a backend that
/// ignores the limit and runs them together finishes in about 25 ms and fails.
fn check_concurrency_limit(backend: &dyn Backend, target: &Target) {
    let spec = FetchSpec {
        requests: 4,
        concurrency: 1,
        latency_ms: 25,
        body_bytes: 8,
        timeout_ms: 10_000,
        seed: 1,
        url: None,
        ..Default::default()
    };
    let start = std::time::Instant::now();
    check(backend, &Workload::Fetch(spec), Some(target));
    let elapsed = start.elapsed();
    assert!(
        elapsed >= std::time::Duration::from_millis(100),
        "{} ran 4 requests of 25 ms with concurrency 1 in {elapsed:?}: more than one was in flight",
        backend.info().name
    );
}

/// The mock backend's answer: every request with the fate the embedded server deals it, as
/// a correct client records it (answered, 500, reset or timed out), each after the spec's
/// latency times `slowness`.
pub(crate) fn synthetic(spec: &FetchSpec, slowness: u32) -> RunOutcome {
    let (ok, status, reset, attempts) = if spec.retries() > 0 {
        spec.expected_with_retries()
    } else {
        let (_, status, reset) = spec.expected_counts();
        (spec.expected_ok(), status, reset, spec.requests)
    };
    let timeout = spec.requests - ok - status - reset;
    let check = spec.check();
    let latency = Duration::from_millis(spec.latency_ms.max(1)) * slowness;
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
    let mut id = 0;
    for (count, result) in fates {
        for _ in 0..count {
            outcome.record_final(id, result.clone(), latency, 1, &check);
            if spec.rate_per_s() > 0.0 {
                outcome.record_due(id, now, now, now + latency);
            }
            id += 1;
        }
    }
    outcome.attempts = attempts;
    outcome.into()
}
