//! The conformance suite: the same workloads and expected answers for every backend.
//!
//! Each backend crate runs it from `tests/conformance.rs` in a few lines:
//!
//! ```
//! # use shootout_core::{BackendInfo, FetchSlots, Maintenance, SleepModel, WorkloadKind};
//! # struct Sequential;
//! # static INFO: BackendInfo = BackendInfo { name: "sequential",
//! #     family: shootout_core::Family::Sequential, crates: &[], summary: "",
//! #     maintenance: Maintenance::Std, sleep_model: SleepModel::Sequential,
//! #     fetch_slots: FetchSlots::One,
//! #     not_applicable: &[(WorkloadKind::Spawn, "toy"), (WorkloadKind::Pipeline, "toy"),
//! #         (WorkloadKind::Blocking, "toy")],
//! #     blocking_modes: &[], driver: shootout_core::Driver::Caller, variants: &[],
//! #     available: None,
//! #     memory: shootout_core::Memory { per_worker: 0, per_task: 4096 }, helper: None };
//! # impl shootout_core::Threaded for Sequential {
//! #     fn each<T, F>(&self, count: u64, work: F) -> Result<T, shootout_core::BackendError>
//! #     where T: std::iter::Sum + Send + 'static, F: Fn(u64) -> T + Send + Sync + Clone + 'static {
//! #         shootout_core::driver::started();
//! #         Ok((0..count).map(work).sum())
//! #     }
//! #     fn width(&self) -> Option<u64> { Some(1) }
//! # }
//! # impl shootout_core::Backend for Sequential {
//! #     fn info(&self) -> &'static BackendInfo { &INFO }
//! #     fn config(&self) -> shootout_core::Config { Default::default() }
//! #     shootout_core::workload_methods!(threads);
//! # }
//! shootout_core::conformance::check_all(&Sequential);
//! ```

use crate::backend::{Backend, Driver};
use crate::blocking::{BlockingMode, BlockingSpec};
use crate::cpu::CpuSpec;
use crate::design::{Client, SpawnFrom, Variant};
use crate::driver;
use crate::fetch::{FetchSpec, Target};
use crate::outcome::RunOutcome;
use crate::pipeline::PipelineSpec;
use crate::sleep::SleepSpec;
use crate::spawn::SpawnSpec;
use crate::workload::Workload;

/// Sleep cases: one task, no wait, and a batch small enough for a sequential backend.
pub const SLEEP_CASES: [SleepSpec; 4] = [
    SleepSpec {
        tasks: 1,
        sleep_ms: 0,
    },
    SleepSpec {
        tasks: 1,
        sleep_ms: 5,
    },
    SleepSpec {
        tasks: 7,
        sleep_ms: 1,
    },
    SleepSpec {
        tasks: 200,
        sleep_ms: 0,
    },
];

/// CPU cases: n = 0 and 1, more jobs than elements, n not divisible by jobs.
pub const CPU_CASES: [CpuSpec; 7] = [
    CpuSpec::new(0, 1),
    CpuSpec::new(0, 4),
    CpuSpec::new(1, 1),
    CpuSpec::new(3, 8),
    CpuSpec::new(1_000, 7),
    CpuSpec::new(1_000_003, 64),
    CpuSpec::new(5_000_000, 1),
];

/// Spawn cases: one task, and enough to exercise a task group.
pub const SPAWN_CASES: [SpawnSpec; 2] = [SpawnSpec::new(1), SpawnSpec::new(5_000)];

/// Pipeline cases: one of each end, more ends than capacity, uneven shares.
pub const PIPELINE_CASES: [PipelineSpec; 3] = [
    PipelineSpec::new(1, 1, 1, 1),
    PipelineSpec::new(3, 4, 2, 1_001),
    PipelineSpec::new(2, 2, 64, 20_000),
];

/// Blocking cases (run in every mode a backend offers): one ticker with one tick and no
/// CPU work, and several tickers next to more jobs than workers.
pub const BLOCKING_CASES: [BlockingSpec; 2] = [
    BlockingSpec {
        tickers: 1,
        ticks: 1,
        tick_us: 100,
        n: 0,
        jobs: 1,
        mode: BlockingMode::Inline,
    },
    BlockingSpec {
        tickers: 5,
        ticks: 20,
        tick_us: 1_000,
        n: 3_000_001,
        jobs: 6,
        mode: BlockingMode::Inline,
    },
];

/// Every blocking case in every mode.
pub fn blocking_cases() -> impl Iterator<Item = Workload> {
    BLOCKING_CASES.into_iter().flat_map(|spec| {
        BlockingMode::ALL
            .into_iter()
            .map(move |mode| Workload::Blocking(BlockingSpec { mode, ..spec }))
    })
}

/// Every cpu case, with the default placement and in every mode.
pub fn cpu_cases() -> impl Iterator<Item = Workload> {
    CPU_CASES.into_iter().flat_map(|spec| {
        std::iter::once(None)
            .chain(BlockingMode::ALL.into_iter().map(Some))
            .map(move |mode| Workload::Cpu(CpuSpec { mode, ..spec }))
    })
}

/// Every case of every workload, in order, then every case again in each variant.
pub fn cases() -> impl Iterator<Item = Workload> {
    let shared = || {
        SLEEP_CASES
            .into_iter()
            .map(Workload::Sleep)
            .chain(cpu_cases())
            .chain(SPAWN_CASES.into_iter().map(Workload::Spawn))
            .chain(PIPELINE_CASES.into_iter().map(Workload::Pipeline))
            .chain(blocking_cases())
    };
    shared().chain(shared().flat_map(|workload| in_variants(&workload)))
}

/// `workload` in every variant that applies to it.
fn in_variants(workload: &Workload) -> Vec<Workload> {
    Variant::ALL
        .into_iter()
        .filter_map(|variant| variant.apply(workload))
        .collect()
}

/// One case of each workload whose driver the conformance suite locates: in the shared
/// design, in each variant, and in every blocking and cpu mode.
fn driver_cases() -> Vec<Workload> {
    let mut cases = vec![
        Workload::Sleep(SLEEP_CASES[2]),
        Workload::Spawn(SPAWN_CASES[1]),
        Workload::Pipeline(PIPELINE_CASES[2]),
    ];
    cases.extend(cpu_cases().filter(|w| matches!(w, Workload::Cpu(spec) if spec.n == 1_000)));
    cases.extend(blocking_cases().take(BlockingMode::ALL.len()));
    let variants: Vec<Workload> = cases.iter().flat_map(in_variants).collect();
    cases.extend(variants);
    cases
}

/// Checks that `backend` runs `workload`'s driver where its [`Driver`] says: for an async
/// runtime, a task on its own threads, never the thread that called it. The spawn
/// variant [`SpawnFrom::Outside`] is the one exception: it drives from the caller by design.
/// Cases the backend does not offer are left to [`check_all`].
pub fn check_driver(backend: &dyn Backend, workload: &Workload, target: Option<&Target>) {
    let name = backend.info().name;
    let label = format!("{} {}", workload.kind(), workload.params_label());
    let caller = driver::this_thread();
    let (outcome, seen) = driver::probe(|| backend.run(workload, target));
    match outcome {
        Err(crate::BackendError::NotApplicable(_)) => return,
        Err(err) => panic!("{name} failed {label}: {err}"),
        Ok(outcome) => {
            if let Err(mismatch) = workload.verify(&outcome) {
                panic!("{name} gave a wrong answer on {label}: {mismatch}");
            }
            assert_recorded_as_expected(name, workload, &outcome);
        }
    }
    assert!(
        !seen.is_empty(),
        "{name} never marked its driver on {label} (call shootout_core::driver::started)"
    );
    let outside = matches!(workload, Workload::Spawn(spec) if spec.from == SpawnFrom::Outside);
    let expected = if outside {
        Driver::Caller
    } else {
        backend.info().driver
    };
    for thread in &seen {
        let thread_name = thread.name.as_deref().unwrap_or("unnamed");
        match expected {
            Driver::Caller | Driver::EventLoop => assert_eq!(
                thread.id, caller.id,
                "{name} drove {label} on thread {thread_name}, not on the calling thread"
            ),
            Driver::Runtime { threads } => assert!(
                thread.id != caller.id && thread_name.starts_with(threads),
                "{name} drove {label} on {}, not as a task on its runtime's {threads} threads",
                if thread.id == caller.id {
                    "the calling thread".to_string()
                } else {
                    format!("thread {thread_name}")
                }
            ),
        }
    }
}

/// Fetch cases against the embedded server: plain, empty and large bodies, concurrency
/// of one and above the request count, and injected failures and resets whose exact
/// counts the run must reproduce.
pub fn fetch_cases() -> Vec<FetchSpec> {
    let base = FetchSpec {
        requests: 40,
        concurrency: 8,
        latency_ms: 1,
        body_bytes: 512,
        timeout_ms: 10_000,
        fail: 0.0,
        reset: 0.0,
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
            fail: 0.2,
            reset: 0.1,
            ..base.clone()
        },
        FetchSpec {
            requests: 30,
            concurrency: 3,
            latency_ms: 0,
            reset: 0.3,
            seed: 9,
            ..base.clone()
        },
        // A fitted cell: 24 of 300 requests with the full cell's mix of 500s and resets.
        FetchSpec {
            requests: 24,
            fail: 0.3,
            reset: 0.1,
            seed: 11,
            sampled_from: Some(300),
            scenario: crate::fetch::Scenario::PartialFailure,
            ..base.clone()
        },
        // The timeout scenario: 30% of requests take 1 s more against a 200 ms timeout, a
        // margin wide enough that a loaded test machine cannot time out a fast request.
        FetchSpec {
            requests: 24,
            concurrency: 4,
            latency_ms: 0,
            timeout_ms: 200,
            slow: 0.3,
            slow_ms: 1_000,
            seed: 3,
            scenario: crate::fetch::Scenario::Timeout,
            ..base
        },
    ]
}

/// Runs every sleep, cpu, spawn, pipeline and blocking case on `backend`; panics with the
/// backend's name and the case on the first error or wrong answer. A workload the backend
/// declares not applicable, or a blocking or cpu mode it does not offer, must fail as not
/// applicable instead.
pub fn check_all(backend: &dyn Backend) {
    for workload in cases() {
        if let Some(why) = backend.info().not_applicable(workload.kind()) {
            match backend.run(&workload, None) {
                Err(crate::BackendError::NotApplicable(reason)) => assert_eq!(reason, why),
                other => panic!(
                    "{} declares {} not applicable but ran it: {other:?}",
                    backend.info().name,
                    workload.kind()
                ),
            }
            continue;
        }
        if let Workload::Cpu(CpuSpec {
            mode: Some(mode), ..
        }) = &workload
            && !backend.info().cpu_modes().contains(mode)
        {
            let outcome = backend.run(&workload, None);
            assert!(
                matches!(outcome, Err(crate::BackendError::NotApplicable(_))),
                "{} does not place cpu jobs by mode but ran --mode {mode}: {outcome:?}",
                backend.info().name,
            );
            continue;
        }
        if let Workload::Blocking(spec) = &workload
            && !backend.info().blocking_modes.contains(&spec.mode)
        {
            let outcome = backend.run(&workload, None);
            assert!(
                matches!(outcome, Err(crate::BackendError::NotApplicable(_))),
                "{} does not offer blocking mode {} but ran it: {outcome:?}",
                backend.info().name,
                spec.mode
            );
            continue;
        }
        if let Some(variant) = backend.info().lacks_variant(&workload) {
            let outcome = backend.run(&workload, None);
            assert!(
                matches!(outcome, Err(crate::BackendError::NotApplicable(_))),
                "{} does not offer the {variant} variant but ran it: {outcome:?}",
                backend.info().name,
            );
            continue;
        }
        check(backend, &workload, None);
    }
    for workload in driver_cases() {
        check_driver(backend, &workload, None);
    }
}

/// Runs every fetch case on `backend` against the embedded server at `target`, then
/// checks that it honours the concurrency limit.
pub fn check_fetch(backend: &dyn Backend, target: &Target) {
    for spec in fetch_cases() {
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
    let first = Workload::Fetch(fetch_cases().remove(0));
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
        fail: 0.4,
        reset: 0.1,
        retries: 2,
        backoff_ms: 1,
        seed: 5,
        scenario: crate::fetch::Scenario::Retry,
        ..Default::default()
    };
    let (ok, status, reset, attempts) = retry.expected_with_retries();
    assert!(
        status + reset > 0 && attempts > 40 && ok > 0,
        "the retry case exercises every path"
    );
    check(backend, &Workload::Fetch(retry), Some(target));
}

/// At 200 requests per second, the 11th request cannot start before 50 ms: a lower bound
/// that a backend ignoring the rate fails and a slow machine cannot.
pub fn check_rate_limit(backend: &dyn Backend, target: &Target) {
    let spec = FetchSpec {
        requests: 11,
        concurrency: 8,
        latency_ms: 0,
        body_bytes: 8,
        rate: 200.0,
        scenario: crate::fetch::Scenario::RateLimit,
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
pub fn check_open_loop(backend: &dyn Backend, target: &Target) {
    let spec = FetchSpec {
        requests: 40,
        concurrency: 4,
        latency_ms: 1,
        body_bytes: 8,
        rate: 400.0,
        arrival: crate::fetch::Arrival::Poisson,
        seed: 3,
        scenario: crate::fetch::Scenario::Load,
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
        let (from_due, late) = (
            outcome
                .from_due_us
                .as_ref()
                .expect("timed from the schedule"),
            outcome.send_late_us.as_ref().expect("send lateness"),
        );
        assert_eq!(
            from_due.len(),
            spec.requests,
            "{name}: every request timed from due"
        );
        assert_eq!(late.len(), spec.requests, "{name}: every send's lateness");
        assert!(
            from_due.max() >= outcome.latency_us.max(),
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
pub fn check_concurrency_limit(backend: &dyn Backend, target: &Target) {
    let spec = FetchSpec {
        requests: 4,
        concurrency: 1,
        latency_ms: 25,
        body_bytes: 8,
        timeout_ms: 10_000,
        fail: 0.0,
        reset: 0.0,
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

/// Whether the backend described by `info` can run here. When it cannot (io_uring blocked,
/// say), names it and the reason on stderr past the test harness's capture, so that the
/// test that returns early shows as a skip in every test run, not as a silent pass.
pub fn available(info: &crate::BackendInfo) -> bool {
    match info.unavailable() {
        None => true,
        Some(why) => {
            skipped(info.name, &why);
            false
        }
    }
}

/// Says on stderr, past the test harness's capture (which holds only what the print
/// macros write), that the running test leaves `backend` out, and why.
pub fn skipped(backend: &str, why: &str) {
    use std::io::Write;
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {backend} in {test}: unavailable here: {why}"
    );
}

/// Runs one case on `backend` and panics unless it verifies.
pub fn check(backend: &dyn Backend, workload: &Workload, target: Option<&Target>) {
    let _shared = driver::EXCLUSIVE
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let name = backend.info().name;
    let label = workload.params_label();
    let kind = workload.kind();
    let outcome = backend
        .run(workload, target)
        .unwrap_or_else(|err| panic!("{name} failed {kind} {label}: {err}"));
    if let Err(mismatch) = workload.verify(&outcome) {
        panic!("{name} gave a wrong answer on {kind} {label}: {mismatch}");
    }
    assert_recorded_as_expected(name, workload, &outcome);
}

/// A verified outcome is recorded with the checksum core expects, digit for digit: results
/// are checked by comparing `checksum` with `expected_checksum`, so a verified trial whose
/// two differ (a checksum kept in another width, say) reads as a wrong answer.
fn assert_recorded_as_expected(name: &str, workload: &Workload, outcome: &crate::RunOutcome) {
    assert_eq!(
        outcome.checksum(),
        workload.expected_checksum(),
        "{name} verified {} {} but records another checksum than the expected one",
        workload.kind(),
        workload.params_label()
    );
}
