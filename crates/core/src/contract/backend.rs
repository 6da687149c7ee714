//! The one trait every backend implements, and what a backend says about itself.

use std::collections::BTreeMap;
use std::io;

use serde::{Deserialize, Serialize};

use crate::design::Variant;
use crate::fetch::Target;
use crate::outcome::RunOutcome;
use crate::placement::BlockingMode;
use crate::workload::{Workload, WorkloadKind};

/// A backend's settings as shown in results and the report, e.g. `workers = 2`.
pub type Config = BTreeMap<String, String>;

/// A way of running concurrent work: a runtime, a pool, or plain threads.
///
/// The runtime or pool is built once by the backend's fallible constructor, before any
/// timing starts; each method blocks the calling thread until the work is done (async
/// backends call their own `block_on` inside). The methods are object safe so the CLI
/// and the benches can hold any backend as `&dyn Backend`.
pub trait Backend {
    /// Static facts: name, summary, maintenance status, how its sleeps are scheduled.
    fn info(&self) -> &'static BackendInfo;

    /// The settings this instance was built with.
    fn config(&self) -> Config;

    /// Other processes doing this backend's work (a process pool's workers), by pid: the
    /// trial counts their CPU time and memory as the backend's own. Empty for a backend
    /// that runs in the trial's process.
    fn helpers(&self) -> Vec<u32> {
        Vec::new()
    }

    /// Runs `workload`, which [`Backend::run`] has checked this backend runs (a `fetch` to
    /// `target`, or to the spec's `url` without one). A backend of a family implements it
    /// with [`crate::workload_methods!`]: the workload's own design for the family.
    fn run_admitted(
        &self,
        workload: &Workload,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError>;

    /// The harness-free version of `workload`, where it has one, to measure what the
    /// harness adds to each task's memory ([`crate::runs::RunsOn::bare_on_threads`]);
    /// returns how many tasks were joined. Offered where memory per task is measured (async
    /// runtimes, threads).
    fn run_bare(&self, workload: &Workload) -> Result<u64, BackendError> {
        let _ = workload;
        Err(BackendError::NotApplicable(
            "no harness-free run: its memory per task is not measured".into(),
        ))
    }

    /// Runs any workload. `fetch` goes to `target`, or to the spec's `url` without one.
    fn run(
        &self,
        workload: &Workload,
        target: Option<&Target>,
    ) -> Result<RunOutcome, BackendError> {
        if let Some(why) = self.info().refuses(workload) {
            return Err(BackendError::NotApplicable(why));
        }
        self.run_admitted(workload, target)
    }
}

/// The kinds of backend the rules of thumb name: "async for I/O", "threads for blocking
/// libraries", "parallelism (the tutorials say multiprocessing) for CPU".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// An async runtime on epoll/kqueue (tokio, smol, async-std).
    AsyncRuntime,
    /// An io_uring, thread-per-core runtime.
    IoUringRuntime,
    /// A fixed pool of worker threads.
    ThreadPool,
    /// A thread per task or job.
    Threads,
    /// A pool of worker processes.
    Processes,
    /// The one-at-a-time baseline.
    Sequential,
}

impl Family {
    /// `async`, `io_uring`, `parallel pool`, `threads`, `processes`, `sequential`.
    pub fn name(self) -> &'static str {
        match self {
            Family::AsyncRuntime => "async",
            Family::IoUringRuntime => "io_uring",
            Family::ThreadPool => "parallel pool",
            Family::Threads => "threads",
            Family::Processes => "processes",
            Family::Sequential => "sequential",
        }
    }

    /// Whether it is an async runtime of either kind.
    pub fn is_async(self) -> bool {
        matches!(self, Family::AsyncRuntime | Family::IoUringRuntime)
    }
}

/// What a backend is, independent of how it was configured.
#[derive(Clone, Copy, Debug)]
pub struct BackendInfo {
    /// The name used on the command line and in results, e.g. `tokio-ct`.
    pub name: &'static str,
    /// The kind of backend a rule of thumb names (results record it per cell).
    pub family: Family,
    /// The crates whose versions the report shows for it, e.g. `["tokio"]`.
    pub crates: &'static [&'static str],
    /// One line for `shootout list`.
    pub summary: &'static str,
    /// Whether upstream still maintains it.
    pub maintenance: Maintenance,
    /// How many sleeping tasks it can wait on at once.
    pub sleep_model: SleepModel,
    /// How many fetch requests it keeps in flight.
    pub fetch_slots: FetchSlots,
    /// Workloads that make no sense on this backend, each with the reason.
    pub not_applicable: &'static [(WorkloadKind, &'static str)],
    /// The placements of CPU jobs it offers in the `blocking` workload.
    pub blocking_modes: &'static [BlockingMode],
    /// Which thread runs a workload's driver, the code that spawns its tasks.
    pub driver: Driver,
    /// Its own idioms it runs as labelled variants besides the shared design.
    pub variants: &'static [Variant],
    /// Whether it can run on this machine, for a backend that needs something the OS may
    /// not give (io_uring): `Err` says why not. `None`: always available.
    pub available: Option<fn() -> Result<(), String>>,
    /// What its memory grows with, so that a cell too big for the machine is skipped
    /// before it runs rather than killed by the OS.
    pub memory: Memory,
    /// For a backend whose work runs in helper processes started from the `shootout`
    /// binary (a process pool's workers): how to serve as one and where they come from.
    pub helper: Option<Helper>,
}

/// The helper processes a backend starts from the `shootout` binary: the CLI runs
/// `shootout <subcommand>` as [`Helper::serve`], never naming the backend.
#[derive(Clone, Copy, Debug)]
pub struct Helper {
    /// The `shootout` subcommand a helper process is started with, e.g. `worker`.
    pub subcommand: &'static str,
    /// Serves as a helper on standard input and output until they close.
    pub serve: fn() -> io::Result<()>,
    /// The executable helpers run, when there is one (a row names it by digest).
    pub executable: fn() -> Option<std::path::PathBuf>,
}

/// A backend's memory as it grows, from the full profile's measurements here (peak RSS
/// per task at a million sleeping tasks, and per worker), rounded up: the plan's estimate
/// of a cell is [`Memory::BASE`] plus `per_worker` for each worker and `per_task` for each
/// task (or request) in flight at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Memory {
    /// Bytes per worker thread, executor or process (glommio reserves 10 MiB of io memory
    /// per executor).
    pub per_worker: u64,
    /// Bytes per task or request in flight.
    pub per_task: u64,
}

impl Memory {
    /// What any trial process takes before its workload: binary, allocator, runtime.
    pub const BASE: u64 = 16 << 20;

    /// The estimate for `workers` workers and `tasks` tasks in flight at once.
    pub fn estimate(&self, workers: u64, tasks: u64) -> u64 {
        Memory::BASE
            .saturating_add(self.per_worker.saturating_mul(workers))
            .saturating_add(self.per_task.saturating_mul(tasks))
    }
}

impl BackendInfo {
    /// Why it cannot run here, if it cannot (see [`BackendInfo::available`]).
    pub fn unavailable(&self) -> Option<String> {
        self.available.and_then(|probe| probe().err())
    }

    /// The design variant `workload` asks for when this backend does not run it (its own
    /// idioms are the only variants it runs; cpu and blocking placements are modes, not
    /// variants). The one place the rule "a variant runs where offered" is written.
    pub fn lacks_variant(&self, workload: &Workload) -> Option<&'static str> {
        let variant = workload.design_variant()?;
        (!self.variants.contains(&variant)).then_some(variant.name())
    }

    /// Why this backend does not run `workload`, by what it declares: a workload not
    /// applicable, a design variant it lacks, or a cell the workload does not admit on it (a
    /// placement of CPU jobs it lacks). `None` when it runs it.
    pub fn refuses(&self, workload: &Workload) -> Option<String> {
        if let Some(why) = self.not_applicable(workload.kind()) {
            return Some(why.to_string());
        }
        if let Some(variant) = self.lacks_variant(workload) {
            return Some(format!(
                "{} has no {} variant of {}: it runs the shared design only",
                self.name,
                variant,
                workload.kind()
            ));
        }
        workload.admits(self).err()
    }

    /// Why `kind` does not apply to this backend, if it does not: the backend says so, or
    /// the workload does of backends like it ([`crate::kind::About::not_for`]).
    pub fn not_applicable(&self, kind: WorkloadKind) -> Option<&'static str> {
        self.not_applicable
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, why)| *why)
            .or_else(|| (kind.about().not_for)(self))
    }

    /// Every workload that does not apply to this backend, with why.
    pub fn not_applicable_all(&self) -> Vec<(WorkloadKind, &'static str)> {
        WorkloadKind::ALL
            .into_iter()
            .filter_map(|kind| Some((kind, self.not_applicable(kind)?)))
            .collect()
    }

    /// The placements it offers for the `cpu` workload's jobs: an async runtime with a
    /// blocking pool offers its blocking modes (offload being its default); every other
    /// backend runs CPU jobs one way and offers none.
    pub fn cpu_modes(&self) -> &'static [BlockingMode] {
        if self.blocking_modes.contains(&BlockingMode::Offload) {
            self.blocking_modes
        } else {
            &[]
        }
    }

    /// The blocking modes it offers, e.g. `inline, offload`, or `none`.
    pub fn blocking_modes_label(&self) -> String {
        if self.blocking_modes.is_empty() {
            return "none".into();
        }
        let names: Vec<&str> = self.blocking_modes.iter().map(|m| m.name()).collect();
        names.join(", ")
    }
}

/// Which thread runs a workload's driver: the code that spawns the tasks and joins them.
/// A server spawns from inside its tasks; an async runtime driven from outside pays for
/// its remote queue and cross-thread wake-ups on every spawn and join instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Driver {
    /// The calling thread: plain threads, a pool fed from outside, or no concurrency.
    Caller,
    /// The calling thread, because it is the runtime's only thread (a current-thread
    /// runtime's event loop runs inside `block_on`).
    EventLoop,
    /// A task on one of the runtime's own threads, whose names start with `threads`.
    Runtime {
        /// The prefix of the runtime's thread names, e.g. `tokio-runtime-worker`.
        threads: &'static str,
    },
}

impl Driver {
    /// Where it runs, in words for the report.
    pub fn label(&self) -> String {
        match self {
            Driver::Caller => "the calling thread".into(),
            Driver::EventLoop => "the event loop (the calling thread)".into(),
            Driver::Runtime { threads } => format!("a task on the runtime ({threads} threads)"),
        }
    }
}

/// How many requests a backend has in flight in the fetch workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FetchSlots {
    /// `concurrency`: a semaphore over async tasks, a thread per slot, or a pool that size.
    Concurrency,
    /// One per worker thread, whatever the concurrency asks (blocking I/O on a CPU pool).
    Workers,
    /// One at a time.
    One,
}

impl FetchSlots {
    /// Requests in flight at once with `workers` workers and `concurrency` asked.
    pub fn in_flight(self, workers: u64, concurrency: u64) -> u64 {
        match self {
            FetchSlots::Concurrency => concurrency,
            FetchSlots::Workers => workers.min(concurrency),
            FetchSlots::One => 1,
        }
        .max(1)
    }
}

/// Upstream status of the crate behind a backend: data a user can check, not a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Maintenance {
    /// Part of the standard library or of this project.
    Std,
    /// A crate from crates.io, as it stood when [`CHECKED`] says.
    Crate(Upstream),
}

/// When the [`Upstream`] facts were checked, and against what: newest releases from
/// crates.io, dates from the crates' changelogs and repositories, advisories from the
/// RustSec advisory database matched against every crate each backend pulls in.
pub const CHECKED: &str =
    "checked 2026-12-06: releases on crates.io, RustSec advisory-db as of 2026-08-21 (bf5c0d2)";

/// The crate that makes a backend, as it stood upstream when [`CHECKED`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Upstream {
    /// The crate whose releases tell whether the backend is kept up, e.g. `glommio`.
    pub crate_name: &'static str,
    /// Its newest stable release on crates.io, e.g. `0.9.0` (the version measured: a test
    /// holds it equal to Cargo.lock's, so updating the crate means checking this again).
    pub last_release: &'static str,
    /// That release's date, `YYYY-MM-DD`, where its changelog or repository records one.
    pub released: Option<&'static str>,
    /// Discontinued by its authors: the advisory that says so.
    pub discontinued: Option<&'static str>,
    /// RustSec advisories that apply to crates the backend pulls in (any depth).
    pub advisories: &'static [Advisory],
}

/// A RustSec advisory that applies to a crate a backend pulls in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Advisory {
    /// Its id, e.g. `RUSTSEC-2025-0057`.
    pub id: &'static str,
    /// The affected crate and version in Cargo.lock, e.g. `fxhash 0.2.1`.
    pub affects: &'static str,
    /// `unmaintained`, `unsound` or `vulnerability`.
    pub kind: &'static str,
}

impl Maintenance {
    /// A short label for tables: `std`, `discontinued upstream (RUSTSEC-2025-0052)`, or
    /// `last release 0.9.0 (2024-03-25); RUSTSEC-2025-0167 (bitmaps 3.2.1, unsound)`.
    pub fn label(&self) -> String {
        let Maintenance::Crate(upstream) = self else {
            return "std".to_string();
        };
        let mut label = match upstream.discontinued {
            Some(advisory) => format!("discontinued upstream ({advisory})"),
            None => format!(
                "last release {} {}",
                upstream.last_release,
                upstream
                    .released
                    .map_or("(date not recorded)".to_string(), |d| format!("({d})"))
            ),
        };
        let others: Vec<String> = upstream
            .advisories
            .iter()
            .filter(|a| Some(a.id) != upstream.discontinued)
            .map(|a| format!("{} ({}, {})", a.id, a.affects, a.kind))
            .collect();
        if !others.is_empty() {
            label += &format!("; {}", others.join(", "));
        }
        label
    }

    /// Whether its authors discontinued it.
    pub fn is_discontinued(&self) -> bool {
        matches!(self, Maintenance::Crate(u) if u.discontinued.is_some())
    }
}

/// How a backend waits on timers, which bounds how long a sleep workload takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SleepModel {
    /// Timers are futures: every task waits at once.
    Async,
    /// One OS thread per task: every task waits at once, up to the OS thread limit.
    ThreadPerTask,
    /// A sleep blocks one worker, so only `workers` tasks wait at once.
    BlocksWorkers,
    /// One task after another.
    Sequential,
}

impl SleepModel {
    /// How many sleeps run at once with `workers` workers and `tasks` tasks.
    pub fn in_flight(self, workers: u64, tasks: u64) -> u64 {
        match self {
            SleepModel::Async | SleepModel::ThreadPerTask => tasks,
            SleepModel::BlocksWorkers => workers.min(tasks),
            SleepModel::Sequential => 1,
        }
        .max(1)
    }
}

/// Why a backend could not run a workload.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The runtime or pool could not be built.
    #[error("building {what} failed: {source}")]
    Build {
        /// What was being built.
        what: String,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// The OS refused a thread (often the per-process thread limit).
    #[error("the OS refused thread {spawned} of {requested}: {source}")]
    Spawn {
        /// Threads started before the refusal.
        spawned: u64,
        /// Threads the workload asked for.
        requested: u64,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// A task or job panicked or was cancelled.
    #[error("a task failed: {0}")]
    Task(String),
    /// The backend cannot be configured as asked.
    #[error("{0}")]
    Config(String),
    /// The workload makes no sense on this backend.
    #[error("not applicable: {0}")]
    NotApplicable(String),
    /// The workload's own work failed: a call through a library answered wrong or not at
    /// all (its id and the library's words).
    #[error("{0}")]
    Failed(String),
}
