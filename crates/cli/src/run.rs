//! `shootout run`: every planned cell, each trial a fresh child process, saved as it goes.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use shootout_core::Workload;
use shootout_core::random::SplitMix64;
use shootout_core::results::{
    Cell, CellStatus, Order, RunResults, SCHEMA_VERSION, Settings, Summary, TrialRecord,
};
use shootout_core::stats::Test;
use shootout_report::analysis::{self, Options};

use crate::args::{RunArgs, TableArg};
use crate::order;
use crate::plan::{self, Plan, PlannedCell};
use crate::progress::{self, Progress};
use crate::server::ServerProcess;
use crate::{
    compare, harness, interrupt, launch, lines, machine, outdir, pin, plausible, report, resume,
    store, table, timers, verdicts,
};

/// Runs the plan for `args`, writing `<out>/results.json` after every cell, and prints
/// the summary table. Returns the path written.
pub fn run(args: &RunArgs, out: &Path) -> Result<Ended> {
    let threads = args.threads.unwrap_or_else(machine::available_cores);
    let pinning = pin::decide(args.pin, &pin::allowed());
    let fetch_threads = pinning.as_ref().map(|p| p.client_cpus.len() as u64);
    let budget = crate::memory::budget();
    let mut plan = plan::build_within(args, threads, fetch_threads, budget);
    let order: Order = args.order.into();
    // The run to go on with, read first: its seed repeats its order.
    let resumed = match &args.resume {
        Some(dir) => {
            let old = report::load(&dir.join("results.json"))
                .with_context(|| format!("--resume {}", dir.display()))?;
            if old.complete {
                eprintln!(
                    "error: --resume {}: that run is complete; nothing to resume",
                    dir.display()
                );
                return Ok(Ended::Refused);
            }
            Some(old)
        }
        None => None,
    };
    let seed = args
        .seed
        .or_else(|| resumed.as_ref().and_then(|old| old.settings.seed))
        .unwrap_or_else(order::random_seed);
    let margin = args.margin.unwrap_or(Test::default().margin);
    if args.dry_run {
        print!("{}", describe(&plan, order, seed));
        return Ok(Ended::Planned);
    }
    if let Some(old) = &resumed
        && let Some(differs) = resume::mismatch(old, &plan, threads, seed, &machine::fingerprint())
    {
        eprintln!(
            "error: --resume {}: this command would plan another run ({differs}); resume with \
             the command that started it",
            out.display()
        );
        return Ok(Ended::Refused);
    }
    interrupt::install().context("catching Ctrl-C and SIGTERM")?;
    let exe = std::env::current_exe().context("finding the shootout binary to run trials")?;
    let path = out.join("results.json");
    fs::create_dir_all(out)
        .with_context(|| format!("creating the output directory {}", out.display()))?;
    // Two runs into one folder would overwrite each other's cells.
    let _lock = match store::Lock::claim(out) {
        Ok(lock) => lock,
        Err(err) if err.downcast_ref::<store::Held>().is_some() => {
            eprintln!("error: {err:#}");
            return Ok(Ended::Refused);
        }
        Err(err) => return Err(err),
    };
    // Checked again under the lock: a run that finished since `--out` was first checked
    // left results here.
    if resumed.is_none()
        && !args.force
        && let Err(occupied) = outdir::choose(Some(out), false, 0, false)
    {
        eprintln!("error: {occupied}");
        return Ok(Ended::Refused);
    }
    // What this folder held before (only with --force): its bytes kept beside the new
    // results whatever they are (a file this build cannot read too), and the first choice
    // to compare with when it reads.
    let held = match resumed {
        Some(_) => None,
        None => keep_held(out, &path)?,
    };
    let previous = outdir::previous(out, &plan.profile, held);
    // The executable a backend's helper processes run, by digest, for every row they make.
    let worker = plan
        .cells
        .iter()
        .filter(|c| c.skip.is_none())
        .find_map(|c| c.backend.info().helper)
        .and_then(|helper| worker_digest((helper.executable)()?));
    // What this machine can compute, so that no verified trial claims more.
    let limits = plan
        .cells
        .iter()
        .any(|cell| cell.skip.is_none() && matches!(cell.workload, Workload::Cpu(_)))
        .then(|| plausible::Limits::measure(machine::available_cores()));
    let needs_server = plan.cells.iter().any(|cell| {
        cell.skip.is_none() && matches!(&cell.workload, Workload::Fetch(spec) if spec.url.is_none())
    });
    let pinning = pinning.filter(|_| needs_server);
    let server = needs_server
        .then(|| ServerProcess::spawn(&exe, pinning.as_ref().map(|p| &p.server_cpus[..])))
        .transpose()?;
    let mut results = RunResults {
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        settings: Settings {
            profile: plan.profile.clone(),
            threads,
            trials: plan.trials,
            cells_planned: plan.cells.len(),
            fetch_server: server.as_ref().map(|server| match &pinning {
                Some(pin) => format!(
                    "{} -- a separate process pinned to CPUs {}; fetch trials pinned to CPUs {}",
                    server.banner(),
                    pin::list(&pin.server_cpus),
                    pin::list(&pin.client_cpus)
                ),
                None => format!(
                    "{} -- a separate process on the same {} cores as the client",
                    server.banner(),
                    machine::available_cores()
                ),
            }),
            pin: pinning.clone(),
            order: Some(order),
            seed: Some(seed),
            margin: Some(margin),
            slo_ms: args.slo_ms,
            planned: plan.cells.iter().map(resume::label).collect(),
            kernel_per_core: limits.map(|l| l.kernel_per_core),
            compared_with: previous.as_ref().map(|(path, _)| {
                fs::canonicalize(path)
                    .unwrap_or_else(|_| path.clone())
                    .display()
                    .to_string()
            }),
        },
        machine: machine::fingerprint(),
        started_unix_s: resumed
            .as_ref()
            .map_or_else(unix_now, |old| old.started_unix_s),
        updated_unix_s: unix_now(),
        complete: false,
        stopped: None,
        cells: Vec::new(),
        aa: Vec::new(),
        timers: Vec::new(),
        harness: Vec::new(),
    };
    // A resumed run's first save already holds every cell the interrupted run recorded:
    // killed before its next save, it has lost nothing. A group it measures again replaces
    // its old cells only when that group starts.
    let mut cells: Vec<Option<Cell>> = vec![None; plan.cells.len()];
    if let Some(old) = &resumed {
        for (slot, planned) in cells.iter_mut().zip(&plan.cells) {
            *slot = resume::recorded(old, planned).cloned();
        }
        results.cells = started_cells(&cells);
    }
    save(&path, &mut results)?;
    if outdir::in_root(out)
        && let Err(err) = outdir::point_latest(out)
    {
        eprintln!(
            "warning: could not point {}/latest at {}: {err}",
            outdir::ROOT,
            out.display()
        );
    }
    // Each backend's idle timer, before any cell: sleep and blocking are shown net of it.
    if let Some(old) = &resumed {
        results.timers = old.timers.clone();
        results.harness = old.harness.clone();
    }
    let probed = timers::backends(&plan);
    if !probed.is_empty() && results.timers.is_empty() {
        eprintln!(
            "probing the idle timer of {} backends ({} trials each)",
            probed.len(),
            timers::TRIALS
        );
        results.timers = timers::probe(&exe, &probed, threads);
        save(&path, &mut results)?;
    }
    // The harness's share of memory per task, on the biggest sleep cell.
    if let Some((spec, backends)) = harness::plan(&plan).filter(|_| results.harness.is_empty()) {
        eprintln!(
            "measuring the harness's share of memory per task on {} backends ({} trials each)",
            backends.len(),
            harness::TRIALS
        );
        results.harness = harness::probe(&exe, spec, &backends, threads);
        save(&path, &mut results)?;
    }

    let mut predicted_s: Vec<(String, f64)> = Vec::new();
    for cell in plan.cells.iter().filter(|cell| cell.skip.is_none()) {
        let kind = cell.workload.kind().name();
        let trials = progress::predicted_trial_s(cell.predicted_s) * f64::from(plan.trials);
        match predicted_s.iter_mut().find(|(k, _)| k == kind) {
            Some((_, total)) => *total += trials,
            None => predicted_s.push((kind.to_string(), trials)),
        }
    }
    let mut progress = Progress::new(plan.trials_to_run(), plan.cells.len(), predicted_s);
    let width = lines::width();
    let mut server = server;
    let server_cpus = pinning.as_ref().map(|p| p.server_cpus.clone());
    let mut rng = SplitMix64::new(seed);
    let started = Instant::now();
    // A resumed run numbers its trials after the ones it keeps, and times them from the
    // original start.
    let (mut position, since_start) = match &resumed {
        Some(old) => (
            old.cells
                .iter()
                .flat_map(|c| &c.trials)
                .filter_map(|t| t.position)
                .max()
                .map_or(0, |p| p + 1),
            unix_now().saturating_sub(old.started_unix_s) as f64,
        ),
        None => (0, 0.0),
    };
    let mut saved = Instant::now();
    'groups: for group in order::groups(&plan.cells) {
        // A group the interrupted run finished: kept as measured, its order still drawn so
        // the groups after it run in the order the seed gives them.
        if let Some(kept) = resumed
            .as_ref()
            .and_then(|old| resume::kept(old, &plan, &group))
        {
            let _ = order::schedule(&group, &plan.cells, plan.trials, order, &mut rng);
            let runnable: Vec<&PlannedCell> = group
                .iter()
                .map(|&i| &plan.cells[i])
                .filter(|cell| cell.skip.is_none())
                .collect();
            progress.kept(
                plan.cells[group[0]].workload.kind().name(),
                runnable.len() as u64 * u64::from(plan.trials),
                runnable
                    .iter()
                    .map(|cell| progress::predicted_trial_s(cell.predicted_s))
                    .sum::<f64>()
                    * f64::from(plan.trials),
                group.len(),
            );
            for (&index, cell) in group.iter().zip(kept) {
                cells[index] = Some(cell);
            }
            if args.table == TableArg::Compact {
                let finished: Vec<&Cell> =
                    group.iter().filter_map(|&i| cells[i].as_ref()).collect();
                progress.print(&lines::group(&finished, width));
            }
            continue;
        }
        // A cell whose backend proved bigger per task earlier in this run than it says is
        // estimated again from that measurement, and skipped when it no longer fits.
        for &index in &group {
            if plan.cells[index].skip.is_none() {
                plan.cells[index].skip = memory_skip(&plan.cells[index], &cells, budget);
            }
        }
        for &index in &group {
            cells[index] = Some(new_cell(&plan.cells[index], worker.as_deref()));
        }
        for slot in order::schedule(&group, &plan.cells, plan.trials, order, &mut rng) {
            let planned = &plan.cells[slot.cell];
            let cell = cells[slot.cell].as_mut().expect("the group's cells exist");
            let predicted = progress::predicted_trial_s(planned.predicted_s);
            if interrupt::caught().is_some() {
                break 'groups;
            }
            // A failed cell is not a data point: its further trials would only cost time.
            if cell.status == CellStatus::Failed {
                progress.trial_done(planned.workload.kind().name(), predicted, 0.0);
                continue;
            }
            progress.trial(format!(
                "{}{} {} {} (round {}/{})",
                cell.backend,
                if planned.twin { " (A/A twin)" } else { "" },
                planned.workload.kind(),
                planned.workload.params_label(),
                slot.round,
                plan.trials
            ));
            let started_s = since_start + started.elapsed().as_secs_f64();
            let client_cpus = pinning.as_ref().map(|p| &p.client_cpus[..]);
            let uses_server =
                matches!(&planned.workload, Workload::Fetch(spec) if spec.url.is_none());
            // A server that died since the last trial is restarted before this one.
            if uses_server {
                restart_if_dead(&mut server, &exe, server_cpus.as_deref())?;
            }
            let mut trial = launch::run_trial(
                &exe,
                planned,
                args.inject_fault,
                server.as_ref().map(|s| (s.addr(), s.pid())),
                client_cpus,
                &[],
                slot.round,
            );
            // A server that died during the trial failed it, not the backend.
            if uses_server && let Some(died) = server.as_mut().and_then(ServerProcess::exited) {
                trial.ok = false;
                trial.failure = Some(format!(
                    "the embedded server died during this trial ({died}): the server's failure, \
                     not {}'s; restarted for the next trial",
                    cell.backend
                ));
                restart_if_dead(&mut server, &exe, server_cpus.as_deref())?;
            }
            // A verified answer this machine cannot have produced was not computed here.
            if trial.ok
                && let Some(record) = &trial.record
                && let Some(why) = plausible::check(
                    &planned.workload,
                    record,
                    &limits.unwrap_or(plausible::Limits {
                        kernel_per_core: f64::INFINITY,
                        cores: 1,
                    }),
                )
            {
                trial.ok = false;
                trial.failure = Some(why);
            }
            // A trial killed because the run is stopping says nothing about its backend.
            if interrupt::caught().is_some() {
                break 'groups;
            }
            progress.trial_done(
                planned.workload.kind().name(),
                predicted,
                since_start + started.elapsed().as_secs_f64() - started_s,
            );
            trial.position = Some(position);
            trial.started_s = Some(started_s);
            position += 1;
            cell.trials.push(trial);
            judge(cell, planned);
            if saved.elapsed() >= SAVE_EVERY {
                results.cells = started_cells(&cells);
                save(&path, &mut results)?;
                saved = Instant::now();
            }
        }
        results.cells = started_cells(&cells);
        save(&path, &mut results)?;
        saved = Instant::now();
        progress.cells_done(group.len());
        // Each group's lines as soon as its cells are final.
        if args.table == TableArg::Compact {
            let finished: Vec<&Cell> = group.iter().filter_map(|&i| cells[i].as_ref()).collect();
            progress.print(&lines::group(&finished, width));
        }
    }
    results.aa = analysis::twin_checks(
        &results,
        Options {
            test: Test::with_margin(margin),
            exclude_disturbed: false,
            slo_ms: args.slo_ms,
            custom: false,
        },
    );
    let stopped = interrupt::caught();
    results.cells = started_cells(&cells);
    results.complete = stopped.is_none();
    results.stopped = stopped.map(|signal| interrupt::describe(signal).0.to_string());
    save(&path, &mut results)?;
    progress.finish();

    let baseline = previous.as_ref().map(|(_, run)| run);
    let index = report::write(out, std::slice::from_ref(&results), baseline, None)?;
    if args.table == TableArg::Full {
        print!("{}", table::render(&results.cells));
    }
    // The answer last, where the terminal leaves the eye, after the cells it is drawn from.
    println!();
    print!("{}", verdicts::render(&results, verdicts::colour(), width));
    let failed = results
        .cells
        .iter()
        .filter(|c| c.status == CellStatus::Failed)
        .count();
    let skipped = results
        .cells
        .iter()
        .filter(|c| c.status == CellStatus::Skipped)
        .count();
    print!(
        "{}",
        verdicts::wrap(
            "",
            &format!(
                "{}{} cells: {} ok, {failed} failed, {skipped} skipped; {} per backend; {} per \
                 cell, {} order (seed {seed}); results in {}",
                results.cells.len(),
                if results.complete {
                    String::new()
                } else {
                    format!(" of {} planned", plan.cells.len())
                },
                results.cells.len() - failed - skipped,
                shootout_report::format::counted(threads, "worker thread"),
                shootout_report::format::counted(plan.trials as u64, "trial"),
                order.name(),
                path.display()
            ),
            width,
            2
        )
    );
    if let Some((previous_path, previous_run)) = &previous {
        print!(
            "{}",
            compare::render(&results, previous_path, previous_run, width)
        );
    }
    println!("report: {}", index.display());
    match stopped {
        None if failed > 0 && !args.allow_failures => {
            eprint!(
                "{}",
                verdicts::wrap(
                    "",
                    &format!(
                        "error: {failed} of {} cells failed; their reasons are in the report's \
                         Failures section ({}). Pass --allow-failures to exit 0 anyway.",
                        results.cells.len(),
                        index.display()
                    ),
                    width,
                    2
                )
            );
            Ok(Ended::Failed(failed))
        }
        None => Ok(Ended::Complete),
        Some(signal) => {
            eprint!(
                "{}",
                stopped_note(&results, &plan, signal, &path, &index, width)
            );
            Ok(Ended::Stopped(signal))
        }
    }
}

/// `sha256:<hex> <path>` of the executable `exe` helper processes run (`sha256sum` from
/// coreutils; `None` where it is missing).
fn worker_digest(exe: PathBuf) -> Option<String> {
    let exe = fs::canonicalize(&exe).unwrap_or(exe);
    let out = std::process::Command::new("sha256sum")
        .arg(&exe)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let digest = text
        .split_whitespace()
        .next()
        .filter(|_| out.status.success())?;
    Some(format!("sha256:{digest} {}", exe.display()))
}

/// Why `planned` no longer fits in `budget`, judged by the most memory per task its
/// backend used in this run's cells so far (none measured: the plan already judged it).
fn memory_skip(
    planned: &PlannedCell,
    cells: &[Option<Cell>],
    budget: Option<u64>,
) -> Option<String> {
    let measured = cells
        .iter()
        .flatten()
        .filter(|c| c.backend == planned.backend.name())
        .filter_map(|c| c.summary.as_ref()?.bytes_per_task.map(|b| b.median))
        .fold(None, |most: Option<f64>, b| {
            Some(most.map_or(b, |m| m.max(b)))
        })?;
    let estimate = crate::memory::estimate(
        planned.backend,
        &planned.workload,
        planned.threads,
        Some(measured),
    );
    crate::memory::skip(estimate, budget)
        .map(|why| format!("{why}; {measured:.0} B per task measured on it earlier in this run"))
}

/// Moves a results.json `out` already holds to `baseline.json` (its bytes as they are), and
/// reads it when it reads as results.
fn keep_held(
    out: &Path,
    path: &Path,
) -> Result<Option<(PathBuf, shootout_core::results::RunResults)>> {
    if !fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        return Ok(None);
    }
    let kept = out.join("baseline.json");
    fs::rename(path, &kept)
        .with_context(|| format!("keeping the results {} held", out.display()))?;
    Ok(outdir::load(&kept).map(|old| (kept, old)))
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// `--dry-run`: the plan was printed, nothing ran.
    Planned,
    /// Every planned cell ran.
    Complete,
    /// A signal stopped it; what was finished is saved and reported.
    Stopped(i32),
    /// Every planned cell ran, and this many failed (without `--allow-failures`).
    Failed(usize),
    /// `--resume` was refused: the run is complete, or the command or machine differ.
    Refused,
}

/// What an interrupted run kept, and how to go on.
fn stopped_note(
    results: &RunResults,
    plan: &Plan,
    signal: i32,
    path: &Path,
    index: &Path,
    width: usize,
) -> String {
    let finished = results
        .cells
        .iter()
        .filter(|c| c.status != CellStatus::Ok || c.trials.len() >= plan.trials as usize)
        .count();
    let partly = results.cells.len() - finished;
    let partly = match partly {
        0 => String::new(),
        n => format!(" ({n} more partly measured: kept here, measured again on resuming)"),
    };
    verdicts::wrap(
        "",
        &format!(
            "Stopped by {} after {finished} of {} planned cells{partly}. Kept: {}; the report, \
             marked partial: {}. To measure the rest, run the same command with --resume {} \
             in place of --out.",
            interrupt::describe(signal).0,
            plan.cells.len(),
            path.display(),
            index.display(),
            path.parent().unwrap_or(Path::new(".")).display()
        ),
        width,
        0,
    )
}

/// Starts a new embedded server when the running one has exited, and says so.
fn restart_if_dead(
    server: &mut Option<ServerProcess>,
    exe: &Path,
    cpus: Option<&[usize]>,
) -> Result<()> {
    if let Some(died) = server.as_mut().and_then(ServerProcess::exited) {
        let fresh = ServerProcess::spawn(exe, cpus).context("restarting the embedded server")?;
        eprintln!(
            "the embedded server exited ({died}); restarted at {}",
            fresh.addr()
        );
        *server = Some(fresh);
    }
    Ok(())
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

/// The plan as a table: what `--dry-run` prints.
fn describe(plan: &Plan, order: Order, seed: u64) -> String {
    let mut out = format!(
        "{} cells, {} trials each ({} profile); {} trials will run, in {} order (seed {seed})\n",
        plan.cells.len(),
        plan.trials,
        plan.profile,
        plan.trials_to_run(),
        order.name()
    );
    for cell in &plan.cells {
        let predicted = cell
            .predicted_s
            .map(|p| format!("~{p:.1} s"))
            .unwrap_or_else(|| "-".into());
        let what = match &cell.skip {
            Some(reason) => format!("skip: {reason}"),
            None => format!("timeout {} s", cell.timeout_s),
        };
        out += &format!(
            "{:<16} {:<11} W={:<3} {:<9} {}  [{}]\n",
            cell.workload.kind().name(),
            if cell.twin {
                format!("{} (A/A)", cell.backend.name())
            } else {
                cell.backend.name().to_string()
            },
            cell.threads,
            predicted,
            cell.workload.params_label(),
            what
        );
    }
    out
}

fn save(path: &Path, results: &mut RunResults) -> Result<()> {
    results.updated_unix_s = unix_now();
    let json = serde_json::to_vec_pretty(results).context("serializing results")?;
    store::write_atomic(path, &json)
}

/// A cell before its first trial; a skipped cell is already final.
fn new_cell(planned: &PlannedCell, worker: Option<&str>) -> Cell {
    Cell {
        backend: planned.backend.name().to_string(),
        workload: planned.workload.clone(),
        threads: planned.threads,
        maintenance: planned.backend.info().maintenance.label(),
        family: Some(planned.backend.info().family),
        crates: machine::backend_crates(planned.backend),
        status: if planned.skip.is_some() {
            CellStatus::Skipped
        } else {
            CellStatus::Ok
        },
        reason: planned.skip.clone(),
        predicted_s: planned.predicted_s,
        ideal_s: planned.workload.ideal_s(),
        timeout_s: planned.timeout_s as f64,
        config: Default::default(),
        twin: planned.twin,
        in_flight: Some(plan::in_flight(
            planned.backend,
            &planned.workload,
            planned.threads,
        )),
        worker: planned
            .backend
            .info()
            .helper
            .and_then(|_| worker.map(str::to_string)),
        trials: Vec::new(),
        summary: None,
    }
}

/// The cell's status, settings and summary from the trials it has so far.
fn judge(cell: &mut Cell, planned: &PlannedCell) {
    if let Some(config) = cell
        .trials
        .iter()
        .find_map(|t| t.record.as_ref().map(|r| r.config.clone()))
    {
        cell.config = config;
    }
    match cell.trials.iter().find_map(|t| t.failure.as_ref()) {
        Some(failure) => {
            cell.status = CellStatus::Failed;
            cell.reason = Some(failure.clone());
            cell.summary = None;
        }
        None => {
            let records: Vec<&TrialRecord> = cell
                .trials
                .iter()
                .filter_map(|t| t.record.as_ref())
                .collect();
            cell.summary = Summary::of(&planned.workload, &records);
            cell.status = CellStatus::Ok;
            cell.reason = None;
        }
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
