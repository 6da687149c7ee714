//! The profiles' cells: each workload's sizes in the quick and full profiles, and the
//! trials per cell.

use shootout_core::fetch::{Arrival, Scenario};
use shootout_core::{
    BlockingMode, BlockingSpec, CpuSpec, FetchSpec, PipelineSpec, SleepSpec, SpawnSpec, Workload,
    WorkloadKind,
};

use crate::args::Profile;

/// The sizes `shootout trial` uses when none are given: the quick profile's main cell.
pub fn default_workload(kind: WorkloadKind) -> Workload {
    profile_workloads(Profile::Quick, kind).swap_remove(0)
}

/// Fetch with 10% answered 500 and 5% reset, at 5 ms latency.
pub(super) fn partial_failure(requests: u64) -> Workload {
    match fetch(requests, 64, 5, 1024) {
        Workload::Fetch(spec) => Workload::Fetch(FetchSpec {
            fail: 0.1,
            reset: 0.05,
            scenario: Scenario::PartialFailure,
            ..spec
        }),
        _ => unreachable!(),
    }
}

/// The timeout scenario's per-request timeout: 500 times the 1 ms latency of the fast
/// requests and ten times the 50 ms stalls a shared machine shows, so that only a real
/// timeout bug, never a busy neighbour, makes a fast request time out.
pub(super) const TIMEOUT_MS: u64 = 500;

/// Fetch where a quarter of the requests take 3 timeouts more against [`TIMEOUT_MS`], the
/// rest answering in 1 ms. The timeouts outnumber the `concurrency` slots, so a slot or a
/// connection a timed-out request leaked would show (two rounds of timeouts: 1 s a trial).
pub(super) fn timeout(requests: u64, concurrency: u64) -> Workload {
    match fetch(requests, concurrency, 1, 256) {
        Workload::Fetch(spec) => Workload::Fetch(FetchSpec {
            timeout_ms: TIMEOUT_MS,
            slow: 0.25,
            slow_ms: 3 * TIMEOUT_MS,
            scenario: Scenario::Timeout,
            ..spec
        }),
        _ => unreachable!(),
    }
}

/// Fetch at a target rate with 5 ms of server latency and room for 64 in flight.
pub(super) fn rate_limit(requests: u64, rate: f64) -> Workload {
    match fetch(requests, 64, 5, 256) {
        Workload::Fetch(spec) => Workload::Fetch(FetchSpec {
            rate,
            scenario: Scenario::RateLimit,
            ..spec
        }),
        _ => unreachable!(),
    }
}

/// Open-loop fetch: `requests` due as a Poisson process at `rate` per second on 16
/// keep-alive connections, 1 ms of server latency each, timed from when each was due.
pub(super) fn load(requests: u64, rate: f64) -> Workload {
    match fetch(requests, 16, 1, 256) {
        Workload::Fetch(spec) => Workload::Fetch(FetchSpec {
            rate,
            arrival: Arrival::Poisson,
            scenario: Scenario::Load,
            ..spec
        }),
        _ => unreachable!(),
    }
}

/// Fetch against an endpoint that fails 30% and resets 5% of attempts, each request retried
/// up to 3 times from a 5 ms backoff: about 1.5% still fail after every retry.
pub(super) fn retry(requests: u64) -> Workload {
    match fetch(requests, 64, 2, 256) {
        Workload::Fetch(spec) => Workload::Fetch(FetchSpec {
            fail: 0.3,
            reset: 0.05,
            retries: 3,
            backoff_ms: 5,
            scenario: Scenario::Retry,
            ..spec
        }),
        _ => unreachable!(),
    }
}

/// Ten tickers at 1 ms next to `jobs` jobs over `n` elements, once per mode. The jobs are
/// sized so the CPU work outlasts the tick window even on 2 offloaded threads, so every
/// tick is measured while jobs run.
pub(super) fn blocking(ticks: u64, n: u64, jobs: u64) -> Vec<Workload> {
    BlockingMode::ALL
        .into_iter()
        .map(|mode| {
            Workload::Blocking(BlockingSpec {
                tickers: 10,
                ticks,
                tick_us: 1_000,
                n,
                jobs,
                mode,
            })
        })
        .collect()
}

pub(super) fn spawn(tasks: u64) -> Workload {
    Workload::Spawn(SpawnSpec::new(tasks))
}

pub(super) fn pipeline(producers: u64, consumers: u64, capacity: u64, messages: u64) -> Workload {
    Workload::Pipeline(PipelineSpec::new(producers, consumers, capacity, messages))
}

/// A fetch cell against the embedded server, with the defaults every profile shares.
pub(super) fn fetch(requests: u64, concurrency: u64, latency_ms: u64, body_bytes: u64) -> Workload {
    Workload::Fetch(FetchSpec {
        requests,
        concurrency,
        latency_ms,
        body_bytes,
        timeout_ms: 10_000,
        fail: 0.0,
        reset: 0.0,
        seed: 1,
        url: None,
        ..Default::default()
    })
}

/// The sizes a profile runs for one workload.
pub fn profile_workloads(profile: Profile, kind: WorkloadKind) -> Vec<Workload> {
    let sleep = |tasks, sleep_ms| Workload::Sleep(SleepSpec { tasks, sleep_ms });
    let cpu = |n, jobs| Workload::Cpu(CpuSpec::new(n, jobs));
    match (profile, kind) {
        // The quick profile runs 6 interleaved trials of every cell within 150 s on 2
        // cores, so its cells are small: the 10k sleep is the headline; the small one is
        // sized so sequential finishes in 0.2 s.
        (Profile::Quick, WorkloadKind::Sleep) => vec![sleep(10_000, 100), sleep(20, 10)],
        // About 0.13 s per trial on 2 threads: 17 cells with the placements and the A/A twin.
        (Profile::Quick, WorkloadKind::Cpu) => vec![cpu(500_000_000, 64)],
        // A latency cell (ideal 960 / 64 x 10 ms = 0.15 s, 15 rounds: the connections are
        // made in the first) and a throughput cell (about 0.06 s at 100k req/s).
        (Profile::Quick, WorkloadKind::Fetch) => {
            vec![fetch(960, 64, 10, 1024), fetch(6_000, 64, 0, 64)]
        }
        // At least 16 rounds of C requests: the first round opens C connections (and on
        // threads spawns C threads), which at 4 rounds was a quarter of a C = 1024 cell.
        (Profile::Full, WorkloadKind::Fetch) => [1, 4, 16, 64, 256, 1024]
            .into_iter()
            .map(|concurrency| fetch(2_000.max(16 * concurrency), concurrency, 10, 1024))
            .chain([fetch(100_000, 64, 0, 64)])
            .collect(),
        // The 100 ms sweep times the sleeps; spawning 1,000,000 tasks or 10,000 threads
        // takes longer than 100 ms here, so its biggest cells never have every task alive
        // at once. Two 2 s cells measure memory per task with all of them alive.
        (Profile::Full, WorkloadKind::Sleep) => [100, 1_000, 10_000, 100_000, 1_000_000]
            .into_iter()
            .map(|tasks| sleep(tasks, 100))
            .chain([sleep(50, 20), sleep(10_000, 2_000), sleep(1_000_000, 2_000)])
            .collect(),
        // The scenarios' quick cells take about 0.1 s each: 600 requests at 5 ms over 64
        // slots; 48 at C = 8 with more timeouts than slots (1 s: see `timeout`); 100 at 1000/s;
        // 300 at 2 ms with up to 3 retries.
        (Profile::Quick, WorkloadKind::PartialFailure) => vec![partial_failure(600)],
        (Profile::Full, WorkloadKind::PartialFailure) => vec![partial_failure(5_000)],
        (Profile::Quick, WorkloadKind::Timeout) => vec![timeout(48, 8)],
        (Profile::Full, WorkloadKind::Timeout) => vec![timeout(480, 64)],
        (Profile::Quick, WorkloadKind::RateLimit) => vec![rate_limit(100, 1_000.0)],
        (Profile::Full, WorkloadKind::RateLimit) => {
            vec![rate_limit(1_000, 1_000.0), rate_limit(2_000, 5_000.0)]
        }
        (Profile::Quick, WorkloadKind::Retry) => vec![retry(300)],
        // One offered rate, 0.1 s of arrivals: 16 connections at 1 ms carry about 14k
        // req/s, a pool of W about 1.8k, one connection about 900: the last two fall behind.
        (Profile::Quick, WorkloadKind::Load) => vec![load(200, 2_000.0)],
        // Offered rates from light to past what 16 connections at 1 ms (about 2 ms with the
        // server's timer) carry, about 7k/s here, finer near it: 0.25 s of arrivals each
        // (at least 200).
        (Profile::Full, WorkloadKind::Load) => {
            [1_000.0, 2_000.0, 4_000.0, 6_000.0, 8_000.0, 12_000.0]
                .into_iter()
                .map(|rate: f64| load(((rate * 0.25) as u64).max(200), rate))
                .collect()
        }
        (Profile::Full, WorkloadKind::Retry) => vec![retry(2_000)],
        // 6 jobs of 6e7 elements (about 22 ms each here) against a 60 ms window: the CPU
        // work (about 0.09 s on 2 threads) outlasts it.
        (Profile::Quick, WorkloadKind::Blocking) => blocking(60, 360_000_000, 6),
        // The same 3.6e9 elements (about 0.7 s on 2 threads, past the 500 ms window) in
        // jobs of 1e6, 1e7 and 1e8 elements (about 0.4, 4 and 40 ms): lateness against how
        // long a job holds its thread.
        (Profile::Full, WorkloadKind::Blocking) => [3_600, 360, 36]
            .into_iter()
            .flat_map(|jobs| blocking(500, 3_600_000_000, jobs))
            .collect(),
        (Profile::Quick, WorkloadKind::Spawn) => vec![spawn(5_000)],
        (Profile::Full, WorkloadKind::Spawn) => [1_000, 10_000, 100_000, 1_000_000]
            .into_iter()
            .map(spawn)
            .collect(),
        (Profile::Quick, WorkloadKind::Pipeline) => vec![pipeline(2, 2, 64, 200_000)],
        (Profile::Full, WorkloadKind::Pipeline) => vec![
            pipeline(1, 1, 64, 1_000_000),
            pipeline(4, 4, 64, 1_000_000),
            pipeline(4, 4, 1, 200_000),
        ],
        (Profile::Full, WorkloadKind::Cpu) => [200_000_000, 2_000_000_000, 20_000_000_000]
            .into_iter()
            .map(|n| cpu(n, 64))
            .collect(),
    }
}

/// Trials per cell when `--trials` is not given. Six is the fewest with which the exact
/// rank test can tell two backends apart in a row of eight (Holm at 5% / 7 needs
/// p <= 0.0071; 5 against 5 can reach only 0.0079, 6 against 6 reaches 0.0022).
pub fn default_trials(profile: Profile) -> u32 {
    match profile {
        Profile::Quick => 6,
        Profile::Full => 10,
    }
}
