//! Planning a run: which cells, at which sizes, which to skip, and how long to wait.

use shootout_core::fetch::{Arrival, Scenario};
use shootout_core::{
    BlockingMode, BlockingSpec, CpuSpec, Family, FetchSpec, PipelineSpec, SleepModel, SleepSpec,
    SpawnSpec, Workload, WorkloadKind,
};

use crate::args::{Profile, RunArgs};
use crate::backends::BackendName;

/// A cell to run (or to report as skipped).
#[derive(Clone, Debug)]
pub struct PlannedCell {
    /// The backend.
    pub backend: BackendName,
    /// The workload and its sizes.
    pub workload: Workload,
    /// Worker threads for this cell (the run's, or a point of the full profile's sweep).
    pub threads: u64,
    /// Predicted wall time of one trial, where it can be predicted.
    pub predicted_s: Option<f64>,
    /// Why the cell will not run, if it will not.
    pub skip: Option<String>,
    /// Per-trial timeout, seconds.
    pub timeout_s: u64,
    /// A second copy of the cell before it, for the A/A check.
    pub twin: bool,
}

/// Every cell of a run, in order: workload, then sizes, then backend.
#[derive(Clone, Debug)]
pub struct Plan {
    /// `quick`, `full`, or `custom`.
    pub profile: String,
    /// Trials per cell.
    pub trials: u32,
    /// The cells.
    pub cells: Vec<PlannedCell>,
}

impl Plan {
    /// Trials that will actually run.
    pub fn trials_to_run(&self) -> u64 {
        let cells = self.cells.iter().filter(|cell| cell.skip.is_none()).count();
        cells as u64 * u64::from(self.trials)
    }
}

/// The sizes `shootout trial` uses when none are given: the quick profile's main cell.
pub fn default_workload(kind: WorkloadKind) -> Workload {
    profile_workloads(Profile::Quick, kind).swap_remove(0)
}

/// Fetch with 10% answered 500 and 5% reset, at 5 ms latency.
fn partial_failure(requests: u64) -> Workload {
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
const TIMEOUT_MS: u64 = 500;

/// Fetch where a quarter of the requests take 3 timeouts more against [`TIMEOUT_MS`], the
/// rest answering in 1 ms. The timeouts outnumber the `concurrency` slots, so a slot or a
/// connection a timed-out request leaked would show (two rounds of timeouts: 1 s a trial).
fn timeout(requests: u64, concurrency: u64) -> Workload {
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
fn rate_limit(requests: u64, rate: f64) -> Workload {
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
fn load(requests: u64, rate: f64) -> Workload {
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
fn retry(requests: u64) -> Workload {
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
fn blocking(ticks: u64, n: u64, jobs: u64) -> Vec<Workload> {
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

fn spawn(tasks: u64) -> Workload {
    Workload::Spawn(SpawnSpec::new(tasks))
}

fn pipeline(producers: u64, consumers: u64, capacity: u64, messages: u64) -> Workload {
    Workload::Pipeline(PipelineSpec::new(producers, consumers, capacity, messages))
}

/// A fetch cell against the embedded server, with the defaults every profile shares.
fn fetch(requests: u64, concurrency: u64, latency_ms: u64, body_bytes: u64) -> Workload {
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

/// The cpu cells an async runtime runs besides its default (the blocking pool): the jobs
/// as plain tasks on its workers (the naive placement) and handed to rayon, so the cpu
/// verdict tests the rule against them. Only at the run's worker count, not in a sweep,
/// and not when `--mode` asked for one placement.
fn cpu_placements(backend: BackendName, workload: &Workload, main: bool) -> Vec<Workload> {
    match workload {
        Workload::Cpu(spec) if main && spec.mode.is_none() => {
            [BlockingMode::Inline, BlockingMode::Rayon]
                .into_iter()
                .filter(|mode| backend.info().cpu_modes().contains(mode))
                .map(|mode| {
                    Workload::Cpu(CpuSpec {
                        mode: Some(mode),
                        ..*spec
                    })
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The labelled variants a backend runs next to a cell of the shared design: its own
/// idioms (`spawn` from outside the runtime, its own channel, a task per request), at the
/// run's worker count only.
fn variants(backend: BackendName, workload: &Workload, main: bool) -> Vec<Workload> {
    if !main {
        return Vec::new();
    }
    backend
        .info()
        .variants
        .iter()
        .filter_map(|variant| variant.apply(workload))
        .collect()
}

/// A thread per job ignores W: the threads sweep leaves `threads` out (with this reason)
/// rather than run the same 64 threads at every point of it.
fn sweep_skip(backend: BackendName, workload: &Workload, main: bool) -> Option<String> {
    (!main
        && matches!(workload, Workload::Cpu(_))
        && backend.info().sleep_model == SleepModel::ThreadPerTask)
        .then(|| {
            format!(
                "not applicable: {} starts a thread per job whatever W is, so it has no \
                 place in the worker-thread sweep",
                backend.name()
            )
        })
}

/// Why a cell asked for by name in a variant the backend does not run is skipped.
fn variant_skip(backend: BackendName, workload: &Workload) -> Option<String> {
    let variant = backend.info().lacks_variant(workload)?;
    Some(format!(
        "not applicable: {} runs only the shared design of {}, not {variant}",
        backend.name(),
        workload.kind()
    ))
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

/// The A/A checks: two cheap cells run a second time under their own label, their trials
/// interleaved with the rest. One waiting cell (the first async runtime on the first fetch
/// latency cell), like most of the suite, and one computing cell (the first thread pool on
/// the first cpu cell), where this shared machine's noise is worst.
fn add_twins(cells: &mut Vec<PlannedCell>, threads: u64) {
    type Pick = (Family, fn(&Workload) -> bool);
    let picks: [Pick; 2] = [
        (
            Family::AsyncRuntime,
            |w| matches!(w, Workload::Fetch(spec) if spec.scenario == Scenario::Plain && spec.latency_ms > 0),
        ),
        (Family::ThreadPool, |w| matches!(w, Workload::Cpu(_))),
    ];
    for (family, wanted) in picks {
        let in_family = BackendName::all()
            .iter()
            .find(|b| b.info().family == family && cells.iter().any(|c| c.backend == **b));
        let Some(&backend) = in_family else { continue };
        let original = cells.iter().position(|cell| {
            cell.backend == backend
                && wanted(&cell.workload)
                && cell.threads == threads
                && cell.skip.is_none()
        });
        if let Some(at) = original {
            let twin = PlannedCell {
                twin: true,
                ..cells[at].clone()
            };
            cells.insert(at + 1, twin);
        }
    }
}

/// Plans `args` with `threads` workers per backend (tests: no pinning).
#[cfg(test)]
pub fn build(args: &RunArgs, threads: u64) -> Plan {
    build_within(args, threads, None, crate::memory::budget())
}

/// Plans `args` with `threads` workers per backend, except the fetch cells against the
/// embedded server at the run's worker count, which get `fetch_threads` when `--pin`
/// gave the client fewer CPUs; a cell whose memory estimate is over `memory_budget` (what
/// one trial may take; `None`: not known) is skipped.
pub fn build_within(
    args: &RunArgs,
    threads: u64,
    fetch_threads: Option<u64>,
    memory_budget: Option<u64>,
) -> Plan {
    let run_threads = threads;
    // A name given twice (`--backend tokio,tokio`) is one backend: first mention wins.
    let backends = if args.backend.is_empty() {
        BackendName::all().to_vec()
    } else {
        first_of_each(args.backend.iter().copied())
    };
    let kinds: Vec<WorkloadKind> = if args.workload.is_empty() {
        WorkloadKind::ALL.to_vec()
    } else {
        first_of_each(args.workload.iter().map(|&w| w.into()))
    };
    let custom = kinds.iter().any(|&kind| args.sizes.touches(kind));
    let max_predicted = args.max_predicted.map_or(
        match args.profile {
            Profile::Quick => 15.0,
            Profile::Full => 30.0,
        },
        |secs| secs as f64,
    );
    // Latency cells give backends with fewer requests in flight fewer requests, so that
    // every backend finishes a trial in about this long and still verifies. The quick
    // profile has five such cells, each run 6 times on every backend with W or fewer in
    // flight: this is the lever on its total time. It is the quick latency cell's ideal
    // time, so backends that keep all 64 in flight run that cell whole. The fitted rates
    // are far below the rest (0.02-0.05x), so a short sample decides them as clearly as a
    // long one.
    let fit_s = match args.profile {
        Profile::Quick => 0.15,
        Profile::Full => 4.0,
    };
    // Backends that need what this machine may not give (io_uring), probed once.
    let unavailable: Vec<(BackendName, Option<String>)> = backends
        .iter()
        .map(|&b| (b, b.info().unavailable()))
        .collect();
    let mut cells = Vec::new();
    for kind in kinds {
        let custom = args.sizes.touches(kind);
        let workloads: Vec<(Workload, u64)> = if custom {
            let workload = args.sizes.apply(default_workload(kind));
            match workload {
                // Without --mode, every mode: the point is the comparison.
                Workload::Blocking(spec) if args.sizes.mode.is_none() => BlockingMode::ALL
                    .into_iter()
                    .map(|mode| (Workload::Blocking(BlockingSpec { mode, ..spec }), threads))
                    .collect(),
                workload => vec![(workload, threads)],
            }
        } else {
            with_threads(args.profile, profile_workloads(args.profile, kind), threads)
        };
        for (workload, threads) in workloads {
            let main = threads == run_threads;
            let threads = match (&workload, fetch_threads) {
                (Workload::Fetch(spec), Some(pinned)) if main && spec.url.is_none() => pinned,
                _ => threads,
            };
            for &backend in &backends {
                let mode_skip = match &workload {
                    Workload::Blocking(spec) => {
                        match blocking_mode_skip(backend, spec, args.sizes.mode.is_some()) {
                            ModeSkip::Run => None,
                            ModeSkip::Omit => continue,
                            ModeSkip::Skip(why) => Some(why),
                        }
                    }
                    _ => None,
                };
                // Custom sizes are fitted like the profiles', never below the asked cell's
                // own ideal time: a backend that keeps every request in flight runs it whole.
                let workload = if custom {
                    let ideal = workload.ideal_s().unwrap_or(0.0);
                    fit(backend, &workload, threads, ideal.max(CUSTOM_FIT_S))
                } else {
                    fit(backend, &workload, threads, fit_s)
                };
                let predicted_s = predict(backend, &workload, threads);
                let not_applicable = unavailable
                    .iter()
                    .find(|(b, _)| *b == backend)
                    .and_then(|(_, why)| why.clone())
                    .map(|why| format!("unavailable here: {why}"))
                    .or_else(|| {
                        backend
                            .info()
                            .not_applicable(kind)
                            .map(|why| format!("not applicable: {why}"))
                    });
                let not_applicable = not_applicable
                    .or(mode_skip)
                    .or_else(|| variant_skip(backend, &workload))
                    .or_else(|| sweep_skip(backend, &workload, main));
                let skip = if custom {
                    not_applicable
                } else {
                    not_applicable.or_else(|| profile_skip(backend, &workload))
                }
                .or_else(|| {
                    predicted_s.filter(|&p| p > max_predicted).map(|p| {
                        format!(
                            "predicted {p:.0} s per trial ({} in flight at most), \
                             over the {max_predicted:.0} s limit (--max-predicted)",
                            in_flight(backend, &workload, threads)
                        )
                    })
                })
                .or_else(|| {
                    let estimate = crate::memory::estimate(backend, &workload, threads, None);
                    crate::memory::skip(estimate, memory_budget)
                });
                let timeout_s = args
                    .trial_timeout
                    .unwrap_or_else(|| default_timeout(&workload, predicted_s));
                let mut placements = cpu_placements(backend, &workload, main);
                if !custom {
                    placements.extend(variants(backend, &workload, main));
                }
                let cell = PlannedCell {
                    backend,
                    workload,
                    threads,
                    predicted_s,
                    skip,
                    timeout_s,
                    twin: false,
                };
                cells.push(cell.clone());
                for workload in placements {
                    cells.push(PlannedCell {
                        workload,
                        ..cell.clone()
                    });
                }
            }
        }
    }
    if !custom {
        add_twins(&mut cells, threads);
    }
    Plan {
        profile: if custom {
            "custom".into()
        } else {
            format!("{:?}", args.profile).to_lowercase()
        },
        trials: args.trials.unwrap_or(default_trials(args.profile)),
        cells,
    }
}

/// `items` without repeats, in order of first appearance.
fn first_of_each<T: PartialEq>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}

/// The shortest trial a fitted custom fetch cell is sized for: long enough that a sample of
/// a few requests per worker still gives a p99.
const CUSTOM_FIT_S: f64 = 1.0;

/// What to do with a blocking cell whose mode a backend may not offer.
enum ModeSkip {
    Run,
    /// Leave it out of the plan: the backend's other modes already stand for it.
    Omit,
    /// Plan it as skipped, with the reason.
    Skip(String),
}

/// A backend without the blocking workload gets one not-applicable cell per size (its
/// inline one); a backend with it runs the modes it offers. A mode asked for by name is
/// never dropped silently.
fn blocking_mode_skip(backend: BackendName, spec: &BlockingSpec, asked: bool) -> ModeSkip {
    let info = backend.info();
    if info.blocking_modes.contains(&spec.mode) {
        ModeSkip::Run
    } else if !asked && (!info.blocking_modes.is_empty() || spec.mode != BlockingMode::Inline) {
        ModeSkip::Omit
    } else {
        ModeSkip::Skip(format!(
            "not applicable: {} runs blocking only as {}",
            info.name,
            info.blocking_modes_label()
        ))
    }
}

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

/// Pairs each workload with the run's worker threads. The full profile also sweeps the
/// main cpu cell over 1..=cores worker threads, for the parallel-efficiency chart.
fn with_threads(profile: Profile, workloads: Vec<Workload>, threads: u64) -> Vec<(Workload, u64)> {
    let mut cells = Vec::new();
    for workload in workloads {
        let sweep = profile == Profile::Full
            && matches!(&workload, Workload::Cpu(spec) if spec.n == 2_000_000_000);
        if sweep {
            let cores = crate::machine::available_cores();
            for t in (1..=cores.max(threads)).filter(|&t| t != threads) {
                cells.push((workload.clone(), t));
            }
        }
        cells.push((workload, threads));
    }
    cells
}

/// Sleep and fetch-latency time is predictable: rounds of in-flight tasks times the
/// wait. CPU and throughput time is not; it depends on the machine.
fn predict(backend: BackendName, workload: &Workload, threads: u64) -> Option<f64> {
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
fn fetch_wait_ms(spec: &FetchSpec) -> Option<f64> {
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
fn fit(backend: BackendName, workload: &Workload, threads: u64, fit_s: f64) -> Workload {
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
fn least_sample(spec: &FetchSpec, in_flight: u64) -> u64 {
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
fn sample(spec: &FetchSpec, requests: u64) -> FetchSpec {
    FetchSpec {
        requests,
        // A sample of the full cell with its mix of fates, not its first ids.
        sampled_from: (requests < spec.requests).then_some(spec.requests),
        ..spec.clone()
    }
}

/// Cells a profile leaves out on purpose, whatever their prediction.
fn profile_skip(backend: BackendName, workload: &Workload) -> Option<String> {
    match workload {
        Workload::Sleep(spec)
            if backend.info().sleep_model == SleepModel::ThreadPerTask && spec.tasks > 100_000 =>
        {
            Some("over 100000 OS threads: the 100000-task cell already shows the OS limit".into())
        }
        // A thread that ends but is not yet joined keeps its stack mapped: a thread per
        // task meets the OS limit near 16k un-joined threads, as sleep already shows.
        Workload::Spawn(spec)
            if backend.info().sleep_model == SleepModel::ThreadPerTask && spec.tasks > 10_000 =>
        {
            Some("over 10000 OS threads held until joined: the sleep cells already show the OS limit".into())
        }
        _ => None,
    }
}

/// Generous: a timeout is for hangs, not for slow machines.
fn default_timeout(workload: &Workload, predicted_s: Option<f64>) -> u64 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use shootout_core::{BackendInfo, Channel, Client, FetchSlots, SpawnFrom, Variant};

    fn plan(argv: &[&str]) -> Plan {
        let cli = crate::args::Cli::parse_from(argv);
        match cli.command {
            Some(crate::args::Command::Run(args)) => build(&args, 2),
            other => panic!("not a run: {other:?}"),
        }
    }

    /// Every registered backend's facts, in registry order.
    fn infos() -> Vec<&'static BackendInfo> {
        BackendName::all().iter().map(|b| b.info()).collect()
    }

    /// The first registered backend `pick` accepts (tests name backends by what they
    /// offer, never by name).
    fn first(pick: impl Fn(&BackendInfo) -> bool) -> BackendName {
        *BackendName::all()
            .iter()
            .find(|b| pick(b.info()))
            .expect("a registered backend offers it")
    }

    #[test]
    fn quick_plan_skips_only_what_cannot_finish() {
        let plan = plan(&["shootout", "run"]);
        // Per backend: 12 cells besides blocking; cpu placed inline and on rayon where it
        // offers them; blocking in each of its modes (one not-applicable cell when none);
        // its labelled variants (task-per-request on 2 fetch cells); two A/A twins.
        let per_backend = |info: &BackendInfo| {
            let placements = info
                .cpu_modes()
                .iter()
                .filter(|m| matches!(m, BlockingMode::Inline | BlockingMode::Rayon))
                .count();
            let variants: usize = info
                .variants
                .iter()
                .map(|v| if *v == Variant::TaskPerRequest { 2 } else { 1 })
                .sum();
            12 + placements + info.blocking_modes.len().max(1) + variants
        };
        let expected: usize = infos().into_iter().map(per_backend).sum::<usize>() + 2;
        assert_eq!(plan.cells.len(), expected);
        let variants: Vec<_> = plan
            .cells
            .iter()
            .filter_map(|cell| Some((cell.backend.name(), cell.workload.design_variant()?)))
            .collect();
        // In plan order: spawn, then the 2 fetch cells, then pipeline; registry order within.
        let offering = |variant: Variant| -> Vec<(&str, Variant)> {
            infos()
                .into_iter()
                .filter(|i| i.variants.contains(&variant))
                .map(|i| (i.name, variant))
                .collect()
        };
        let mut wanted = offering(Variant::SpawnFromOutside);
        wanted.extend(offering(Variant::TaskPerRequest));
        wanted.extend(offering(Variant::TaskPerRequest));
        wanted.extend(offering(Variant::OwnChannel));
        assert_eq!(variants, wanted);
        let twins: Vec<_> = plan
            .cells
            .iter()
            .enumerate()
            .filter(|(_, cell)| cell.twin)
            .map(|(at, cell)| {
                let original = &plan.cells[at - 1];
                assert!(!original.twin && original.backend == cell.backend);
                assert_eq!(original.workload, cell.workload);
                (cell.backend, cell.workload.kind().name())
            })
            .collect();
        assert_eq!(
            twins,
            [
                (first(|i| i.family == Family::AsyncRuntime), "fetch"),
                (first(|i| i.family == Family::ThreadPool), "cpu")
            ]
        );
        assert_eq!(plan.trials, 6);
        // A backend that cannot run here (worker processes need the shootout binary, which
        // this unit test is not) has every cell skipped with the probe's reason.
        let probed: Vec<(BackendName, Option<String>)> = BackendName::all()
            .iter()
            .map(|b| (*b, b.info().unavailable()))
            .collect();
        for cell in &plan.cells {
            let info = cell.backend.info();
            let skip = cell.skip.as_deref();
            let unavailable = probed.iter().find(|(b, _)| *b == cell.backend);
            if let Some((_, Some(why))) = unavailable {
                assert_eq!(skip, Some(format!("unavailable here: {why}").as_str()));
                continue;
            }
            let Some(skip) = skip else { continue };
            if let Some(reason) = skip.strip_prefix("not applicable: ") {
                // Declared by the backend, with its reason.
                assert!(
                    info.not_applicable
                        .iter()
                        .any(|(kind, why)| *kind == cell.workload.kind() && *why == reason),
                    "{} {skip}",
                    info.name
                );
            } else {
                // 10k tasks of 100 ms on 1 or 2 blocked workers: 500-1000 s.
                assert!(info.sleep_model.in_flight(2, 10_000) <= 2, "{skip}");
                assert!(cell.predicted_s.is_some_and(|s| s >= 500.0), "{skip}");
            }
        }
        let blocked = plan
            .cells
            .iter()
            .filter(|c| c.skip.is_some() && c.backend.info().sleep_model == SleepModel::Sequential)
            .find(|c| matches!(c.workload, Workload::Sleep(_)));
        assert_eq!(blocked.unwrap().predicted_s, Some(1000.0));
    }

    #[test]
    fn blocking_runs_each_backends_modes_and_names_the_rest() {
        let modes = |argv: &[&str]| -> Vec<(&'static str, String, bool)> {
            plan(argv)
                .cells
                .into_iter()
                .map(|cell| match cell.workload {
                    Workload::Blocking(spec) => (
                        cell.backend.name(),
                        spec.mode.to_string(),
                        cell.skip.is_none(),
                    ),
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        let cells = modes(&["shootout", "run", "--workload", "blocking", "--jobs", "4"]);
        let run = |name: &str| -> Vec<String> {
            cells
                .iter()
                .filter(|(b, _, runs)| *b == name && *runs)
                .map(|(_, mode, _)| mode.clone())
                .collect()
        };
        for info in infos() {
            if info.unavailable().is_some() {
                // Nothing runs where the backend cannot (its cells say why elsewhere).
                assert!(run(info.name).is_empty(), "{}", info.name);
                continue;
            }
            let modes: Vec<&str> = info.blocking_modes.iter().map(|m| m.name()).collect();
            assert_eq!(run(info.name), modes, "{}", info.name);
            if modes.is_empty() {
                // Named, with the backend's reason, rather than left out.
                assert!(cells.contains(&(info.name, "inline".into(), false)));
            }
        }
        // A mode asked for by name shows up as skipped where it does not exist.
        let lacking = first(|i| {
            i.unavailable().is_none()
                && !i.blocking_modes.is_empty()
                && !i.blocking_modes.contains(&BlockingMode::BlockInPlace)
        });
        let asked = plan(&[
            "shootout",
            "run",
            "--workload",
            "blocking",
            "--mode",
            "block-in-place",
            "--backend",
            lacking.name(),
        ]);
        assert_eq!(
            asked.cells[0].skip.as_deref(),
            Some(
                format!(
                    "not applicable: {} runs blocking only as {}",
                    lacking.name(),
                    lacking.info().blocking_modes_label()
                )
                .as_str()
            )
        );
    }

    /// The workload a trial with `workload`'s flags rebuilds.
    fn round_trip(workload: &Workload) -> Workload {
        let mut argv: Vec<String> = [
            "shootout",
            "trial",
            "--backend",
            BackendName::all()[0].name(),
        ]
        .map(String::from)
        .to_vec();
        argv.extend(["--workload".into(), workload.kind().name().into()]);
        argv.extend(crate::launch::size_flags(workload));
        let cli = crate::args::Cli::parse_from(&argv);
        let Some(crate::args::Command::Trial(args)) = cli.command else {
            panic!("not a trial: {argv:?}");
        };
        args.sizes.apply(default_workload(workload.kind()))
    }

    /// The workload a trial handed `workload` as `--spec`, as `run` hands it, reads.
    fn spec_round_trip(workload: &Workload) -> Workload {
        let spec = serde_json::to_string(workload).unwrap();
        let cli = crate::args::Cli::parse_from([
            "shootout",
            "trial",
            "--backend",
            BackendName::all()[0].name(),
            "--spec",
            &spec,
        ]);
        let Some(crate::args::Command::Trial(args)) = cli.command else {
            panic!("not a trial: {spec}");
        };
        assert!(args.workload.is_none() && !args.sizes.any());
        serde_json::from_str(args.spec.as_deref().unwrap()).unwrap()
    }

    /// `kind`'s workload with every field away from the default: written out field by
    /// field (no `..`), so a field added to a spec fails to compile here until it is varied.
    fn varied(kind: WorkloadKind) -> Workload {
        match default_workload(kind) {
            Workload::Sleep(_) => Workload::Sleep(SleepSpec {
                tasks: 7,
                sleep_ms: 3,
            }),
            Workload::Cpu(_) => Workload::Cpu(CpuSpec {
                n: 12_345,
                jobs: 5,
                mode: Some(BlockingMode::Rayon),
            }),
            Workload::Spawn(_) => Workload::Spawn(SpawnSpec {
                tasks: 77,
                from: SpawnFrom::Outside,
            }),
            Workload::Pipeline(_) => Workload::Pipeline(PipelineSpec {
                producers: 3,
                consumers: 5,
                capacity: 9,
                messages: 101,
                channel: Channel::Own,
            }),
            Workload::Blocking(_) => Workload::Blocking(BlockingSpec {
                tickers: 3,
                ticks: 11,
                tick_us: 1_500,
                n: 54_321,
                jobs: 7,
                mode: BlockingMode::BlockInPlace,
            }),
            Workload::Fetch(d) => Workload::Fetch(FetchSpec {
                requests: 333,
                concurrency: 13,
                latency_ms: 7,
                body_bytes: 99,
                timeout_ms: 4_321,
                fail: 0.125,
                reset: 0.0625,
                seed: 17,
                url: Some("http://127.0.0.1:9/elsewhere".into()),
                slow: 0.375,
                slow_ms: 77,
                rate: 1_234.0,
                arrival: match d.arrival {
                    Arrival::Fixed => Arrival::Poisson,
                    Arrival::Poisson => Arrival::Fixed,
                },
                pause_ms: 12,
                retries: 2,
                backoff_ms: 3,
                scenario: d.scenario,
                client: Client::TaskPerRequest,
                sampled_from: Some(3_330),
            }),
        }
    }

    #[test]
    fn every_planned_cell_survives_the_trial_flags_round_trip() {
        // A trial rebuilds its workload from flags; a design or size left out of them
        // would run another workload under the cell's name.
        for profile in ["quick", "full"] {
            let plan = plan(&["shootout", "run", "--profile", profile]);
            for cell in &plan.cells {
                assert_eq!(round_trip(&cell.workload), cell.workload);
                assert_eq!(spec_round_trip(&cell.workload), cell.workload);
            }
        }
        // The profiles leave many fields at their defaults, where a flag that is never sent
        // would go unseen: every field of every workload, away from its default, too.
        for kind in WorkloadKind::ALL {
            let (workload, default) = (varied(kind), default_workload(kind));
            let fields = |w: &Workload| serde_json::to_value(w).unwrap()["params"].clone();
            let (fields, defaults) = (fields(&workload), fields(&default));
            for (name, value) in fields.as_object().unwrap() {
                if name != "scenario" {
                    assert_ne!(
                        Some(value),
                        defaults.get(name),
                        "{kind}: {name} is not varied"
                    );
                }
            }
            assert_eq!(round_trip(&workload), workload, "{kind}");
            assert_eq!(spec_round_trip(&workload), workload, "{kind}");
        }
    }

    #[test]
    fn the_timeout_cells_time_out_more_requests_than_they_have_slots() {
        for profile in [Profile::Quick, Profile::Full] {
            for workload in profile_workloads(profile, WorkloadKind::Timeout) {
                let Workload::Fetch(spec) = workload else {
                    unreachable!()
                };
                let timeouts = spec.requests - spec.expected_ok();
                assert!(spec.slow_times_out(), "{spec:?}");
                assert!(timeouts > spec.concurrency, "{timeouts} timeouts: {spec:?}");
                // Two rounds of timeouts at most: the cell costs about a second a trial.
                assert!(
                    timeouts <= 2 * spec.concurrency,
                    "{timeouts} timeouts: {spec:?}"
                );
            }
        }
    }

    #[test]
    fn a_cell_too_big_for_memory_is_skipped_with_its_estimate() {
        let cli = crate::args::Cli::parse_from([
            "shootout",
            "run",
            "--workload",
            "sleep",
            "--tasks",
            "10000000",
            "--sleep-ms",
            "100",
        ]);
        let Some(crate::args::Command::Run(args)) = cli.command else {
            unreachable!()
        };
        // 8 GiB for a trial: ten million sleeping tasks fit on a runtime at 640 B a task,
        // not on monoio at 1.5 KiB (1.3 KB measured).
        let plan = build_within(&args, 2, None, Some(8 << 30));
        let skip = |name: &str| {
            plan.cells
                .iter()
                .find(|c| c.backend.name() == name)
                .unwrap()
                .skip
                .clone()
        };
        let monoio = skip("monoio").unwrap_or_default();
        assert!(
            monoio.contains("needs about 14.3 GiB of memory") || monoio.starts_with("unavailable"),
            "{monoio}"
        );
        assert_eq!(skip("smol"), None);
        // With the memory unknown, nothing is skipped for it.
        let unknown = build_within(&args, 2, None, None);
        assert!(
            unknown
                .cells
                .iter()
                .all(|c| c.skip.as_deref().is_none_or(|s| !s.contains("memory")))
        );
    }

    #[test]
    fn a_fitted_sample_holds_every_fate_of_its_cell() {
        // A timeout cell fitted to one request (a slow backend, a 500 ms timeout) would
        // time nothing out: a fitted sample keeps more timeouts than the backend has slots.
        for profile in ["quick", "full"] {
            let plan = plan(&["shootout", "run", "--profile", profile]);
            for cell in plan.cells.iter().filter(|c| c.workload.fitted().is_some()) {
                let Workload::Fetch(spec) = &cell.workload else {
                    unreachable!()
                };
                if spec.slow_times_out() {
                    let timeouts = spec.requests - spec.expected_ok();
                    let slots = in_flight(cell.backend, &cell.workload, cell.threads);
                    assert!(
                        timeouts > slots,
                        "{} {profile}: {timeouts} timeouts, {slots} slots",
                        cell.backend.name()
                    );
                }
            }
        }
    }

    #[test]
    fn the_threads_sweep_leaves_out_a_thread_per_job_and_fitted_cells_are_samples() {
        let plan = plan(&["shootout", "run", "--profile", "full"]);
        let swept: Vec<&PlannedCell> = plan
            .cells
            .iter()
            .filter(|c| matches!(&c.workload, Workload::Cpu(_)) && c.threads != 2)
            .collect();
        assert!(!swept.is_empty(), "the full profile sweeps W");
        for cell in swept {
            let skip = cell.skip.as_deref();
            if cell.backend.info().sleep_model == SleepModel::ThreadPerTask {
                assert!(
                    skip.is_some_and(|s| s.contains("thread per job")),
                    "{skip:?}"
                );
            } else {
                assert!(skip.is_none_or(|s| !s.contains("thread per job")));
            }
        }
        // Fitted fetch cells run a sample of the full cell, and say of how many.
        let fitted: Vec<&PlannedCell> = plan
            .cells
            .iter()
            .filter(|c| c.workload.fitted().is_some())
            .collect();
        assert!(!fitted.is_empty());
        for cell in fitted {
            let Workload::Fetch(spec) = &cell.workload else {
                unreachable!("only fetch cells are fitted")
            };
            assert!(spec.sampled_from.is_some_and(|m| m > spec.requests));
        }
    }

    #[test]
    fn a_name_given_twice_is_planned_once() {
        let name = BackendName::all()[0].name();
        let once = plan(&["shootout", "run", "--backend", name, "--workload", "sleep"]);
        let twice = plan(&[
            "shootout",
            "run",
            "--backend",
            &format!("{name},{name}"),
            "--workload",
            "sleep,sleep",
        ]);
        assert!(!once.cells.is_empty());
        assert_eq!(twice.cells.len(), once.cells.len());
    }

    #[test]
    fn size_flags_replace_the_profile_with_one_cell() {
        let plan = plan(&[
            "shootout",
            "run",
            "--workload",
            "sleep",
            "--tasks",
            "3",
            "--backend",
            BackendName::all()[0].name(),
        ]);
        assert_eq!(plan.profile, "custom");
        assert_eq!(plan.cells.len(), 1);
        assert_eq!(
            plan.cells[0].workload,
            Workload::Sleep(SleepSpec {
                tasks: 3,
                sleep_ms: 100
            })
        );
    }

    #[test]
    fn latency_cells_fit_backends_with_few_requests_in_flight() {
        let plan = plan(&["shootout", "run", "--workload", "fetch"]);
        let requests = |name: &str| {
            let cell = plan
                .cells
                .iter()
                .find(|c| c.backend.name() == name)
                .unwrap();
            match &cell.workload {
                Workload::Fetch(spec) => (spec.requests, cell.predicted_s),
                other => panic!("{other:?}"),
            }
        };
        let with = |slots: FetchSlots| first(|i| i.fetch_slots == slots).name();
        assert_eq!(requests(with(FetchSlots::Concurrency)), (960, Some(0.15)));
        // 2 workers and 1 slot: 15 rounds of 10 ms each.
        assert_eq!(requests(with(FetchSlots::Workers)), (30, Some(0.15)));
        assert_eq!(requests(with(FetchSlots::One)), (15, Some(0.15)));
        // Every backend that can run here (worker processes need the shootout binary,
        // which a unit test is not) fits.
        assert!(plan.cells.iter().all(|c| {
            c.skip
                .as_deref()
                .is_none_or(|why| why.starts_with("unavailable here"))
        }));
    }
}
