//! `shootout run`, in the phases it goes through: [`prepare`] (plan, resume, the folder's
//! claim, the baseline, the server), [`probe`] (idle timers, the harness's share), [`measure`]
//! (each group of compared cells, each trial a fresh child process, saved as it goes) and
//! [`finish`] (the A/A checks, the report, the Summary and the exit).

pub mod interrupt;
pub mod order;

mod finish;
mod looks;
mod measure;
mod prepare;
mod probe;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use shootout_core::results::{Cell, CellStatus, Order, Pin, RunResults};

use crate::args::RunArgs;
use crate::plan::Plan;
use crate::plausible::Limits;
use crate::server::ServerProcess;
use crate::store;

/// Runs the plan for `args`, writing `<out>/results.json` as it goes, then the report and
/// the Summary.
pub fn run(args: &RunArgs, out: &Path) -> Result<Ended> {
    let mut run = match prepare::prepare(args, out)? {
        Ok(run) => run,
        Err(ended) => return Ok(ended),
    };
    probe::probe(&mut run)?;
    let progress = measure::measure(&mut run, args)?;
    finish::finish(run, progress, args)
}

/// Everything a run carries from one phase to the next.
struct Run {
    /// Worker threads per backend.
    threads: u64,
    /// How trials are ordered within a group.
    order: Order,
    /// The order's seed (the interrupted run's, when resuming).
    seed: u64,
    /// The equivalence margin of the verdicts.
    margin: f64,
    /// The cells; a cell's skip may still be set before its group runs.
    plan: Plan,
    /// The memory one trial may take (see [`crate::memory`]).
    budget: Option<u64>,
    /// Seconds left for more rounds of undecided groups ([`looks`]).
    extra_s: f64,
    /// The `shootout` binary, which runs the trials.
    exe: PathBuf,
    /// The run's folder, and its results.json.
    out: PathBuf,
    path: PathBuf,
    /// The interrupted run this one goes on with.
    resumed: Option<RunResults>,
    /// The run this one is compared with.
    previous: Option<(PathBuf, RunResults)>,
    /// `sha256:<hex> <path>` of the executable helper processes run.
    worker: Option<String>,
    /// What this machine can compute, so that no verified trial claims more.
    limits: Option<Limits>,
    /// Where the server and the fetch trials run, when pinned.
    pinning: Option<Pin>,
    /// The embedded server, when a fetch cell needs it.
    server: Option<ServerProcess>,
    /// The seeded databases of the call cells, removed when the run ends.
    databases: crate::databases::RunDatabases,
    /// What is saved.
    results: RunResults,
    /// Each planned cell as measured so far, in plan order.
    cells: Vec<Option<Cell>>,
    /// The claim on the folder, held until the run ends.
    _lock: store::Lock,
}

impl Run {
    /// Saves the cells measured so far.
    fn save_cells(&mut self) -> Result<()> {
        self.results.cells = started_cells(&self.cells);
        save(&self.path, &mut self.results)
    }
}

pub enum Ended {
    /// `--dry-run`: the plan was printed, nothing ran.
    Planned,
    /// Every planned cell ran.
    Complete,
    /// A signal stopped it; what was finished is saved and reported.
    Stopped(i32),
    /// Every planned cell ran, and some failed (without `--allow-failures`).
    Failed,
    /// `--resume` was refused: the run is complete, or the command or machine differ.
    Refused,
}

/// How often results.json is rewritten while a group of cells is still running (always
/// when a group ends): often enough that an interruption loses little, rarely enough that
/// writing it costs nothing next to the trials.
const SAVE_EVERY: Duration = Duration::from_secs(5);

/// The cells that have a trial or were skipped, in plan order.
fn started_cells(cells: &[Option<Cell>]) -> Vec<Cell> {
    cells
        .iter()
        .flatten()
        .filter(|cell| cell.status == CellStatus::Skipped || !cell.trials.is_empty())
        .cloned()
        .collect()
}

fn save(path: &Path, results: &mut RunResults) -> Result<()> {
    results.updated_unix_s = unix_now();
    let json = serde_json::to_vec_pretty(results).context("serializing results")?;
    store::write_atomic(path, &json)
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
