//! The result model: what `shootout trial` prints and what `results.json` holds.
//!
//! The CLI writes it and the report reads it; both go through these types so the file
//! format has one definition.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::backend::{Config, Family};
use crate::stats::{Comparison, Spread};
use crate::workload::Workload;

mod bound;
mod cores_used;
mod reports;
mod slowed;
mod summary;

pub use bound::{BOUND_AT, Bound};
pub use cores_used::{SLACK, over_workers};
pub use reports::{CallReport, FetchReport, FilesReport, TickReport};
pub use slowed::{SLOWED_ABOVE, SLOWED_LEAST_TRIALS, SLOWED_MADS};
pub use summary::{LatencySpread, Reading, Summary};

/// Bumped whenever a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// One trial, measured in its own process: the JSON object `shootout trial` prints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrialRecord {
    /// Backend name.
    pub backend: String,
    /// Workload and its parameters (`workload` and `params` keys).
    #[serde(flatten)]
    pub workload: Workload,
    /// The `--threads` value the backend was built with.
    pub threads: u64,
    /// The backend's settings.
    pub config: Config,
    /// Wall time of the workload alone, in seconds.
    pub wall_s: f64,
    /// User CPU time of the whole process during the workload, in seconds.
    pub user_s: f64,
    /// System CPU time of the whole process during the workload, in seconds.
    pub sys_s: f64,
    /// Peak resident memory during the workload, in bytes.
    pub peak_rss_bytes: u64,
    /// Resident memory after warm-up, just before the workload, in bytes.
    pub baseline_rss_bytes: u64,
    /// How the peak was measured (`VmHWM after clear_refs`, or the process-lifetime peak).
    pub peak_rss_source: String,
    /// Operations completed.
    pub ops: u64,
    /// Whether the outcome equals the expected one exactly.
    pub verified: bool,
    /// The backend's checksum, as a decimal string (it is a u128).
    pub checksum: String,
    /// The checksum core expects.
    pub expected_checksum: String,
    /// Why the trial failed, if it did.
    pub error: Option<String>,
    /// Request counts and latencies, for `fetch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetch: Option<FetchReport>,
    /// Open file descriptors just before and just after a fetch workload: what a run
    /// leaves open (sockets of cancelled requests, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_fds: Option<(u64, u64)>,
    /// Tick lateness and CPU timing, for `blocking`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticks: Option<TickReport>,
    /// Calls and their latencies, for `call`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calls: Option<CallReport>,
    /// Reads and their latencies, for `files`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<FilesReport>,
    /// Bytes the trial's processes had the storage device read while the clock ran
    /// (`read_bytes` in /proc/PID/io): near none when every read came from the page cache,
    /// near the bytes read (or more, read ahead) when they went to the device: the page
    /// cache's state, measured (the files section reads it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_read_bytes: Option<u64>,
    /// Bytes the trial's processes had the storage device write while the clock ran
    /// (`write_bytes` in /proc/PID/io): a `files` write shape's bytes, synced to the device
    /// by its fdatasync, measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_write_bytes: Option<u64>,
    /// What else the machine did while the workload ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disturbance: Option<Disturbance>,
    /// CPU time the embedded fetch server used while the workload ran, seconds summed
    /// over its threads (fetch against the embedded server only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_cpu_s: Option<f64>,
    /// Kernel memory the workload's tasks cost at its peak, bytes: a kernel stack per
    /// thread above the baseline and the growth of the page tables (sleep only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel_bytes: Option<u64>,
    /// How many sleep tasks were waiting when the first timer fired (sleep only): all of
    /// them were alive at once only if this is the task count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_at_first_wake: Option<u64>,
    /// A harness-free sleep trial ([`crate::Backend::run_bare`]): tasks that return
    /// nothing, run to measure the harness's share of the memory per task.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bare: bool,
    /// How long the workload's long-lived workers took to start before the clock started
    /// ([`crate::clock`]), seconds: not in `wall_s` nor the CPU times (fetch with a worker
    /// per slot only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_clock_s: Option<f64>,
    /// A capacity search: every step and the highest rate that held. The trial's wall and
    /// CPU times, requests and disturbance are its steps' sums; `fetch` is the report of
    /// the step at that rate (the first step's when none held).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<crate::workloads::fetch::capacity::Searched>,
}

/// The harness's share of a backend's memory per sleep task: the same tasks without the
/// harness (returning nothing, counting nothing), measured in every run with sleep cells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HarnessProbe {
    /// Backend name.
    pub backend: String,
    /// Tasks per trial.
    pub tasks: u64,
    /// Each task's sleep, milliseconds.
    pub sleep_ms: u64,
    /// Memory per harness-free task, bytes, over the trials.
    pub bare_bytes_per_task: Option<Spread>,
    /// Why a trial failed, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

/// Below this much memory above the baseline a per-task figure is noise, shown as
/// `< floor`: RSS grows in pages and allocator chunks, and backends that allocate nothing
/// per task still grow 64 KiB in a trial. Four times that.
pub const MEMORY_FLOOR_BYTES: f64 = 256.0 * 1024.0;

/// A backend's idle timer lateness ([`crate::workloads::idle_timer`]), measured in
/// every run in trials of their own, interleaved across backends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimerProbe {
    /// Backend name.
    pub backend: String,
    /// Median tick lateness, microseconds: its spread over the trials.
    pub p50_us: Option<Spread>,
    /// 99th percentile tick lateness, microseconds: its spread over the trials.
    pub p99_us: Option<Spread>,
    /// Verified trials.
    pub trials: usize,
    /// Each verified trial's median lateness, microseconds (absent in files that predate
    /// it): what the timer finding compares.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub p50_trials_us: Vec<f64>,
    /// Each verified trial's p99 lateness, microseconds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub p99_trials_us: Vec<f64>,
    /// Why a trial failed, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

/// How `--pin` split the CPUs between the embedded fetch server and the fetch client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    /// CPUs the server ran on.
    pub server_cpus: Vec<usize>,
    /// CPUs the fetch trials ran on; their worker count is this many.
    pub client_cpus: Vec<usize>,
}

/// A trial is flagged as disturbed when steal plus other processes' CPU time exceeds this
/// fraction of the CPU capacity (CPUs × wall time) during its workload...
pub const DISTURBED_ABOVE: f64 = 0.10;

/// ...and exceeds this many seconds: /proc/stat counts in 10 ms ticks, so less than two
/// ticks cannot be told from rounding (a 5 ms trial would otherwise be flagged by one tick).
pub const DISTURBANCE_RESOLUTION_S: f64 = 0.02;

/// What the rest of the machine took while a trial's workload ran, from `/proc/stat` (all
/// CPUs, in clock ticks of 10 ms) less the trial's own CPU time and the fetch server's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Disturbance {
    /// Time the hypervisor ran other guests on our CPUs, seconds summed over CPUs.
    pub steal_s: f64,
    /// CPU time of every other process on the machine (user, nice, system), seconds.
    pub others_s: f64,
    /// CPUs online: the capacity is `cpus × wall`.
    pub cpus: u64,
}

impl Disturbance {
    /// Steal plus others' CPU time as a fraction of the capacity during `wall_s`.
    pub fn fraction(&self, wall_s: f64) -> f64 {
        let capacity = self.cpus.max(1) as f64 * wall_s;
        if capacity > 0.0 {
            (self.steal_s + self.others_s) / capacity
        } else {
            0.0
        }
    }
}

impl TrialRecord {
    /// The record of a trial of `workload` on `backend` with `threads` workers before it
    /// ran: nothing measured, not verified, the expected checksum filled in.
    pub fn unrun(backend: &str, workload: &Workload, threads: u64) -> TrialRecord {
        TrialRecord {
            backend: backend.to_string(),
            expected_checksum: workload.expected_checksum(),
            workload: workload.clone(),
            threads,
            config: Default::default(),
            wall_s: 0.0,
            user_s: 0.0,
            sys_s: 0.0,
            peak_rss_bytes: 0,
            baseline_rss_bytes: 0,
            peak_rss_source: String::new(),
            ops: 0,
            verified: false,
            checksum: String::new(),
            error: None,
            fetch: None,
            open_fds: None,
            ticks: None,
            calls: None,
            files: None,
            device_read_bytes: None,
            device_write_bytes: None,
            disturbance: None,
            server_cpu_s: None,
            kernel_bytes: None,
            pending_at_first_wake: None,
            bare: false,
            before_clock_s: None,
            capacity: None,
        }
    }

    /// Whether the machine was busy with other work beyond [`DISTURBED_ABOVE`].
    pub fn disturbed(&self) -> bool {
        self.disturbance.as_ref().is_some_and(|d| {
            d.fraction(self.wall_s) > DISTURBED_ABOVE
                && d.steal_s + d.others_s > DISTURBANCE_RESOLUTION_S
        })
    }
}

/// A whole run: the machine, the settings, and every cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResults {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// The shootout version that wrote the file.
    pub tool_version: String,
    /// Settings the run was started with.
    pub settings: Settings,
    /// Where it ran.
    pub machine: Machine,
    /// Unix time the run started, in seconds.
    pub started_unix_s: u64,
    /// Unix time of the last write, in seconds.
    pub updated_unix_s: u64,
    /// False while the run is still going or was interrupted.
    pub complete: bool,
    /// What stopped the run before its plan ended (`SIGINT (Ctrl-C)`), when something did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// Every planned cell, in plan order; cells not yet started are absent.
    pub cells: Vec<Cell>,
    /// The A/A checks: one backend run twice under two labels in one cell, compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aa: Vec<AaCheck>,
    /// Each backend's idle timer lateness, where it has timers of its own to probe.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timers: Vec<TimerProbe>,
    /// The harness's share of memory per sleep task, per backend.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub harness: Vec<HarnessProbe>,
}

impl RunResults {
    /// `backend`'s idle timer probe, when this run measured one.
    pub fn timer(&self, backend: &str) -> Option<&TimerProbe> {
        self.timers.iter().find(|t| t.backend == backend)
    }
}

/// The test applied to two copies of the same cell: it should find them equivalent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AaCheck {
    /// The backend run twice.
    pub backend: String,
    /// The workload and parameters, e.g. `cpu n=1000000000 jobs=64`.
    pub cell: String,
    /// The equivalence margin used.
    pub margin: f64,
    /// The twin against the original.
    pub comparison: Comparison,
}

/// How the trials of a run were ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Round-robin within each group of compared cells (round 1 runs every backend once,
    /// then round 2, ...), each round in an order shuffled from the seed.
    Shuffled,
    /// Cell after cell in plan order, each cell's trials back to back.
    Fixed,
}

impl Order {
    /// `shuffled` or `fixed`.
    pub fn name(self) -> &'static str {
        match self {
            Order::Shuffled => "shuffled",
            Order::Fixed => "fixed",
        }
    }
}

/// What the run was asked to do.
#[derive(Default, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// `quick`, `full`, or `custom` when sizes came from flags.
    pub profile: String,
    /// Worker threads given to every backend.
    pub threads: u64,
    /// Trials per cell.
    pub trials: u32,
    /// Cells planned, including skipped ones.
    pub cells_planned: usize,
    /// The embedded fetch server, when the run started one.
    #[serde(default)]
    pub fetch_server: Option<String>,
    /// How trials were ordered; absent in files written before trials were interleaved
    /// (those ran in fixed order).
    #[serde(default)]
    pub order: Option<Order>,
    /// The seed of the shuffled order, to reproduce it.
    #[serde(default)]
    pub seed: Option<u64>,
    /// The equivalence margin for verdicts, as a fraction (0.05 = ±5%).
    #[serde(default)]
    pub margin: Option<f64>,
    /// The p99 SLO of the load workload's knee, milliseconds, when `--slo-ms` set it
    /// (otherwise ten times the unloaded p99).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slo_ms: Option<f64>,
    /// The fetch server and client on disjoint CPUs, when `--pin` split them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<Pin>,
    /// The results.json of the previous run this one was compared with, as `run` found it
    /// (so `shootout report` shows the same comparison).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compared_with: Option<String>,
    /// Every planned cell, one line each (backend, worker threads, A/A twin, the workload
    /// with every parameter as JSON), in plan order: what `--resume` compares, so a
    /// command that plans other cells is refused even before any of them ran.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub planned: Vec<String>,
    /// The CPU kernel's rate on one core, elements per second, measured as the run
    /// started: no verified cpu trial may claim more than the cores times this (with a
    /// margin); absent when the run had no cpu cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel_per_core: Option<f64>,
}

/// The machine fingerprint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// CPU model name.
    pub cpu_model: String,
    /// Cores the process may use (`available_parallelism`).
    pub cores: u64,
    /// Total memory, in bytes.
    pub memory_bytes: u64,
    /// Kernel release.
    pub kernel: String,
    /// OS and architecture, e.g. `linux x86_64`.
    pub os: String,
    /// `rustc --version` at build time.
    pub rustc: String,
    /// Cargo profile of the binary (`release` or `debug`).
    pub build_profile: String,
    /// Git commit the binary was built from (recorded at build time), when built in a
    /// git checkout.
    pub git_commit: Option<String>,
    /// Whether the tree it was built from had changes beyond that commit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_dirty: Option<bool>,
    /// Version of each runtime crate, from Cargo.lock.
    pub crates: BTreeMap<String, String>,
    /// OS limits that bound thread-per-task backends (`threads-max`, `RLIMIT_NPROC`,
    /// `vm.max_map_count`: each thread stack and its guard page take two memory maps).
    pub limits: BTreeMap<String, String>,
    /// Caveats computed from the fingerprint, e.g. few cores shared by client and server.
    pub caveats: Vec<String>,
}

/// One backend on one workload with one set of parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Backend name.
    pub backend: String,
    /// Workload and parameters.
    #[serde(flatten)]
    pub workload: Workload,
    /// Worker threads the backend was given.
    pub threads: u64,
    /// Upstream status of the backend's crate.
    pub maintenance: String,
    /// The backend's family, as it says itself (missing in files written before it was
    /// recorded: see [`Cell::family`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<Family>,
    /// The versions of the crates the backend is made of, e.g. `tokio = 1.54.0`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub crates: BTreeMap<String, String>,
    /// Ok, failed or skipped.
    pub status: CellStatus,
    /// Why it failed or was skipped.
    pub reason: Option<String>,
    /// Predicted wall time of one trial, where the plan can predict it.
    pub predicted_s: Option<f64>,
    /// The best possible wall time, where one exists.
    pub ideal_s: Option<f64>,
    /// Per-trial timeout, in seconds.
    pub timeout_s: f64,
    /// The backend's settings (from its first trial that reported them).
    pub config: Config,
    /// A second copy of another cell, run under its own label for the A/A check; kept out
    /// of comparisons between backends.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub twin: bool,
    /// How many requests (fetch) or tasks the backend keeps in flight at once in this cell,
    /// as the plan computed it: below a fetch cell's concurrency, requests wait for a slot
    /// and the measured latency leaves that wait out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_flight: Option<u64>,
    /// For a backend that works in other processes: the executable they run, as
    /// `sha256:<hex> <path>`, so that a row is traceable to the worker that made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker: Option<String>,
    /// Every trial, including failed ones.
    pub trials: Vec<Trial>,
    /// Medians and spreads over the verified trials, when every trial verified.
    pub summary: Option<Summary>,
    /// The looks its group took, where the group could take more rounds than planned
    /// ([`crate::stats::sequential`]): its comparisons test at the last one's level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub looks: Vec<crate::stats::sequential::Look>,
}

impl Cell {
    /// The backend's family: recorded, or for a file written before families were
    /// recorded, that of the backend of that name then (the eight backends of schema 1).
    pub fn family(&self) -> Family {
        self.family.unwrap_or(match self.backend.as_str() {
            "tokio" | "tokio-ct" | "smol" | "async-std" => Family::AsyncRuntime,
            "crossbeam" | "rayon" => Family::ThreadPool,
            "sequential" => Family::Sequential,
            _ => Family::Threads,
        })
    }

    /// The records of its verified trials.
    pub fn records(&self) -> impl Iterator<Item = &TrialRecord> {
        self.trials
            .iter()
            .filter(|t| t.ok)
            .filter_map(|t| t.record.as_ref())
    }

    /// For a capacity cell whose every verified trial held not even its search's first
    /// rate, that rate: its figure is below it, not a measured rate.
    pub fn held_below(&self) -> Option<f64> {
        let mut searches = self
            .records()
            .filter_map(|r| r.capacity.as_ref())
            .peekable();
        let first = searches.peek()?.first_rate;
        searches.all(|s| s.rate.is_none()).then_some(first)
    }

    /// The rate of each verified trial, in the workload's rate unit.
    pub fn rates(&self) -> Vec<f64> {
        self.records().map(|r| self.workload.rate_of(r)).collect()
    }
}

/// A cell's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CellStatus {
    /// Every trial ran and verified.
    Ok,
    /// At least one trial crashed, timed out, erred or gave a wrong answer.
    Failed,
    /// Not run: predicted to take too long.
    Skipped,
}

/// One trial as the parent saw it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trial {
    /// 1-based trial number.
    pub index: u32,
    /// Verified and without error.
    pub ok: bool,
    /// What the child printed, when it printed a record.
    pub record: Option<TrialRecord>,
    /// Why it failed, when it did.
    pub failure: Option<String>,
    /// How the child ended, e.g. `exit status: 0` or `signal: 9 (SIGKILL)`.
    pub exit: String,
    /// The last lines of the child's stderr, when it failed.
    pub stderr_tail: Option<String>,
    /// Whole child process time, including runtime construction and warm-up.
    pub process_s: f64,
    /// Where the trial ran in the run's sequence of trials (0-based); absent in old files.
    #[serde(default)]
    pub position: Option<u64>,
    /// When the trial started, seconds after the run started; absent in old files.
    #[serde(default)]
    pub started_s: Option<f64>,
}
