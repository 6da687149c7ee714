//! The cells, group by group: each group of compared cells interleaved round by round,
//! each trial a fresh child process, judged, checked against what the machine can do, and
//! saved as it goes. A group the resumed run finished is kept as measured.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use shootout_core::random::SplitMix64;
use shootout_core::results::{Cell, CellStatus, RunResults, Summary, Trial, TrialRecord};

use super::{Run, SAVE_EVERY, unix_now};
use crate::args::{RunArgs, TableArg};
use crate::order::{self, Slot};
use crate::plan::{self, Plan, PlannedCell};
use crate::progress::{self, Progress};
use crate::server::ServerProcess;
use crate::{interrupt, launch, lines, machine, plausible};

/// Where the run is in time: trials are numbered and timed from the run's start (the
/// interrupted run's, when resuming).
pub(super) struct Clock {
    /// The next trial's position in the run's sequence of trials.
    position: u64,
    /// Seconds between the run's start and this process's.
    since_start: f64,
    /// When this process started measuring.
    started: Instant,
    /// When results.json was last written.
    saved: Instant,
}

impl Clock {
    /// Numbering after the trials `resumed` kept, timed from its start.
    fn new(resumed: Option<&RunResults>) -> Clock {
        let (position, since_start) = match resumed {
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
        Clock {
            position,
            since_start,
            started: Instant::now(),
            saved: Instant::now(),
        }
    }

    /// Seconds since the run started.
    fn now_s(&self) -> f64 {
        self.since_start + self.started.elapsed().as_secs_f64()
    }
}

/// Measures every group, or stops where a signal stopped the run. Returns the progress
/// display, for the finish to close.
pub(super) fn measure(run: &mut Run, args: &RunArgs) -> Result<Progress> {
    let mut progress = Progress::new(
        run.plan.trials_to_run(),
        run.plan.cells.len(),
        predicted_by_kind(&run.plan),
    );
    let mut rng = SplitMix64::new(run.seed);
    let mut clock = Clock::new(run.resumed.as_ref());
    for group in order::groups(&run.plan.cells) {
        let kept = run
            .resumed
            .as_ref()
            .and_then(|old| crate::resume::kept(old, &run.plan, &group));
        match kept {
            Some(kept) => keep_group(run, &group, kept, &mut rng, &mut progress),
            None => {
                if !measure_group(run, &group, &mut rng, &mut progress, &mut clock, args)? {
                    return Ok(progress);
                }
                run.save_cells()?;
                clock.saved = Instant::now();
                progress.cells_done(group.len());
            }
        }
        // Each group's lines as soon as its cells are final.
        if args.table == TableArg::Compact {
            let finished: Vec<&Cell> = group
                .iter()
                .filter_map(|&i| run.cells[i].as_ref())
                .collect();
            progress.print(&lines::group(&finished, lines::width()));
        }
    }
    Ok(progress)
}

/// Each workload's predicted time in all, for the progress display's estimate.
fn predicted_by_kind(plan: &Plan) -> Vec<(String, f64)> {
    let mut predicted_s: Vec<(String, f64)> = Vec::new();
    for cell in plan.cells.iter().filter(|cell| cell.skip.is_none()) {
        let kind = cell.workload.kind().name();
        let trials = progress::predicted_trial_s(cell.predicted_s) * f64::from(plan.trials);
        match predicted_s.iter_mut().find(|(k, _)| k == kind) {
            Some((_, total)) => *total += trials,
            None => predicted_s.push((kind.to_string(), trials)),
        }
    }
    predicted_s
}

/// A group the interrupted run finished: kept as measured, its order still drawn so the
/// groups after it run in the order the seed gives them.
fn keep_group(
    run: &mut Run,
    group: &[usize],
    kept: Vec<Cell>,
    rng: &mut SplitMix64,
    progress: &mut Progress,
) {
    let _ = order::schedule(group, &run.plan.cells, run.plan.trials, run.order, rng);
    let runnable: Vec<&PlannedCell> = group
        .iter()
        .map(|&i| &run.plan.cells[i])
        .filter(|cell| cell.skip.is_none())
        .collect();
    progress.kept(
        run.plan.cells[group[0]].workload.kind().name(),
        runnable.len() as u64 * u64::from(run.plan.trials),
        runnable
            .iter()
            .map(|cell| progress::predicted_trial_s(cell.predicted_s))
            .sum::<f64>()
            * f64::from(run.plan.trials),
        group.len(),
    );
    for (&index, cell) in group.iter().zip(kept) {
        run.cells[index] = Some(cell);
    }
}

/// Every trial of one group, round by round. `false` when a signal stopped the run.
fn measure_group(
    run: &mut Run,
    group: &[usize],
    rng: &mut SplitMix64,
    progress: &mut Progress,
    clock: &mut Clock,
    args: &RunArgs,
) -> Result<bool> {
    // A cell whose backend proved bigger per task earlier in this run than it says is
    // estimated again from that measurement, and skipped when it no longer fits.
    for &index in group {
        if run.plan.cells[index].skip.is_none() {
            run.plan.cells[index].skip =
                memory_skip(&run.plan.cells[index], &run.cells, run.budget);
        }
    }
    for &index in group {
        run.cells[index] = Some(new_cell(&run.plan.cells[index], run.worker.as_deref()));
    }
    for slot in order::schedule(group, &run.plan.cells, run.plan.trials, run.order, rng) {
        if !run_slot(run, slot, progress, clock, args, false)? {
            return Ok(false);
        }
    }
    super::looks::more_rounds(run, group, rng, progress, clock, args)
}

/// One trial of a group's schedule, added to its cell; `extra` for a round beyond the plan
/// (counted apart by the progress display). `false` when a signal stopped the run.
pub(super) fn run_slot(
    run: &mut Run,
    slot: Slot,
    progress: &mut Progress,
    clock: &mut Clock,
    args: &RunArgs,
    extra: bool,
) -> Result<bool> {
    if interrupt::caught().is_some() {
        return Ok(false);
    }
    let planned = run.plan.cells[slot.cell].clone();
    let predicted = progress::predicted_trial_s(planned.predicted_s);
    let kind = planned.workload.kind().name();
    let done = |progress: &mut Progress, took_s: f64| {
        if extra {
            progress.extra_trial_done();
        } else {
            progress.trial_done(kind, predicted, took_s);
        }
    };
    // A failed cell is not a data point: its further trials would only cost time.
    if run.cells[slot.cell]
        .as_ref()
        .is_some_and(|c| c.status == CellStatus::Failed)
    {
        done(progress, 0.0);
        return Ok(true);
    }
    let round = if extra {
        format!("round {}, more for an undecided row", slot.round)
    } else {
        format!("round {}/{}", slot.round, run.plan.trials)
    };
    progress.trial(format!(
        "{}{} {} {} ({round})",
        planned.backend.name(),
        if planned.twin { " (A/A twin)" } else { "" },
        planned.workload.kind(),
        planned.workload.params_label(),
    ));
    let started_s = clock.now_s();
    let mut trial = one_trial(run, &planned, slot, args)?;
    // A trial killed because the run is stopping says nothing about its backend.
    if interrupt::caught().is_some() {
        return Ok(false);
    }
    done(progress, clock.now_s() - started_s);
    trial.position = Some(clock.position);
    trial.started_s = Some(started_s);
    clock.position += 1;
    let server_cpus = run.pinning.as_ref().map(|p| p.server_cpus.len());
    let cell = run.cells[slot.cell]
        .as_mut()
        .expect("the group's cells exist");
    cell.trials.push(trial);
    judge(cell, &planned, server_cpus);
    if clock.saved.elapsed() >= SAVE_EVERY {
        run.save_cells()?;
        clock.saved = Instant::now();
    }
    Ok(true)
}

/// One trial of `planned` in a fresh process, judged: a server that died during it failed
/// it (and is restarted), and so does an answer this machine cannot have produced.
fn one_trial(run: &mut Run, planned: &PlannedCell, slot: Slot, args: &RunArgs) -> Result<Trial> {
    let server_cpus = run.pinning.as_ref().map(|p| p.server_cpus.clone());
    let uses_server = planned.workload.needs_server();
    // A server that died since the last trial is restarted before this one.
    if uses_server {
        restart_if_dead(&mut run.server, &run.exe, server_cpus.as_deref())?;
    }
    let databases = match planned.workload.store() {
        Some(_) => run.databases.trial_args(),
        None => Vec::new(),
    };
    let databases: Vec<&str> = databases.iter().map(String::as_str).collect();
    let mut trial = launch::run_trial(
        &run.exe,
        planned,
        args.inject_fault,
        run.server.as_ref().map(|s| (s.addr(), s.pid())),
        run.pinning.as_ref().map(|p| &p.client_cpus[..]),
        &databases,
        slot.round,
    );
    if uses_server && let Some(died) = run.server.as_mut().and_then(ServerProcess::exited) {
        trial.ok = false;
        trial.failure = Some(format!(
            "the embedded server died during this trial ({died}): the server's failure, \
             not {}'s; restarted for the next trial",
            planned.backend.name()
        ));
        restart_if_dead(&mut run.server, &run.exe, server_cpus.as_deref())?;
    }
    let limits = run.limits.unwrap_or(plausible::Limits {
        kernel_per_core: f64::INFINITY,
        cores: 1,
    });
    if trial.ok
        && let Some(record) = &trial.record
        && let Some(why) = plausible::check(&planned.workload, record, &limits)
    {
        trial.ok = false;
        trial.failure = Some(why);
    }
    Ok(trial)
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
        looks: Vec::new(),
    }
}

/// The cell's status, settings and summary from the trials it has so far.
fn judge(cell: &mut Cell, planned: &PlannedCell, server_cpus: Option<usize>) {
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
            if let Some(summary) = cell.summary.as_mut() {
                summary.judge_bound(server_cpus);
            }
            cell.status = CellStatus::Ok;
            cell.reason = None;
        }
    }
}
