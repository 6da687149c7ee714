//! Before any trial: the plan, the run it resumes, the folder's claim, what the folder held
//! and the run to compare with, the server, and the first save.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use shootout_core::WorkloadKind;
use shootout_core::results::{Order, Pin, RunResults, SCHEMA_VERSION, Settings};
use shootout_core::stats::Test;

use super::{Ended, Run, save, started_cells, unix_now};
use crate::args::RunArgs;
use crate::databases::RunDatabases;
use crate::plan::{self, Plan};
use crate::server::ServerProcess;
use crate::{machine, order, outdir, pin, plausible, report, resume, store};

/// Plans the run and claims its folder, or ends it here: a dry run, or a refusal.
pub(super) fn prepare(args: &RunArgs, out: &Path) -> Result<Result<Run, Ended>> {
    let threads = args.threads.unwrap_or_else(machine::available_cores);
    let pinning = pin::decide(args.pin, &pin::allowed());
    let fetch_threads = pinning.as_ref().map(|p| p.client_cpus.len() as u64);
    let budget = crate::memory::budget();
    let profile = plan::chosen(args)?;
    let plan = plan::build_within(args, profile, threads, fetch_threads, budget);
    let order: Order = args.order.into();
    // The run to go on with, read first: its seed repeats its order.
    let resumed = match resumable(args)? {
        Ok(resumed) => resumed,
        Err(ended) => return Ok(Err(ended)),
    };
    let seed = args
        .seed
        .or_else(|| resumed.as_ref().and_then(|old| old.settings.seed))
        .unwrap_or_else(order::random_seed);
    if args.dry_run {
        dry_run(args, &plan, profile, order, seed);
        return Ok(Err(Ended::Planned));
    }
    if let Some(old) = &resumed
        && let Some(differs) = resume::mismatch(old, &plan, threads, seed, &machine::fingerprint())
    {
        eprintln!(
            "error: --resume {}: this command would plan another run ({differs}); resume with \
             the command that started it",
            out.display()
        );
        return Ok(Err(Ended::Refused));
    }
    crate::interrupt::install().context("catching Ctrl-C and SIGTERM")?;
    let exe = std::env::current_exe().context("finding the shootout binary to run trials")?;
    let path = out.join("results.json");
    let (lock, held) = match claim(args, out, &path, resumed.is_some())? {
        Ok(claimed) => claimed,
        Err(ended) => return Ok(Err(ended)),
    };
    let previous = outdir::previous(out, &plan.profile, held);
    let Services {
        worker,
        limits,
        pinning,
        server,
        databases,
    } = services(
        &plan,
        &exe,
        pinning,
        args.postgres.as_deref(),
        args.dir.as_deref(),
    )?;
    let mut run = Run {
        threads,
        order,
        seed,
        margin: args.margin.unwrap_or(Test::default().margin),
        cells: vec![None; plan.cells.len()],
        results: RunResults {
            schema_version: SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            settings: Settings::default(),
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
        },
        extra_s: plan.budget_s,
        plan,
        budget,
        exe,
        out: out.to_path_buf(),
        path,
        resumed,
        previous,
        worker,
        limits,
        pinning,
        server,
        databases,
        _lock: lock,
    };
    run.results.settings = settings(&run, args);
    first_save(&mut run)?;
    Ok(Ok(run))
}

/// What a run's planned cells need besides their trials, made before the first.
struct Services {
    /// `sha256:<hex> <path>` of the executable helper processes run.
    worker: Option<String>,
    /// What this machine can compute.
    limits: Option<plausible::Limits>,
    /// The pinning, where the server runs.
    pinning: Option<Pin>,
    /// The embedded server.
    server: Option<ServerProcess>,
    /// The call cells' seeded databases.
    databases: RunDatabases,
}

/// The services the cells of `plan` that run need: the helpers' digest, the machine's
/// kernel rate, the embedded server (pinned as `pinning` says), the seeded databases (on
/// the server at `postgres` where given) and the file sets (under `files_dir` where given).
fn services(
    plan: &Plan,
    exe: &Path,
    pinning: Option<Pin>,
    postgres: Option<&str>,
    files_dir: Option<&Path>,
) -> Result<Services> {
    let running = || plan.cells.iter().filter(|c| c.skip.is_none());
    // The executable a backend's helper processes run, by digest, for every row they make.
    let worker = running()
        .find_map(|c| c.backend.info().helper)
        .and_then(|helper| worker_digest((helper.executable)()?));
    // What this machine can compute, so that no verified trial claims more.
    let limits = running()
        .any(|cell| cell.workload.kernel_elements().is_some())
        .then(|| plausible::Limits::measure(machine::available_cores()));
    let needs_server = running().any(|cell| cell.workload.needs_server());
    let pinning = pinning.filter(|_| needs_server);
    let server = needs_server
        .then(|| ServerProcess::spawn(exe, pinning.as_ref().map(|p| &p.server_cpus[..])))
        .transpose()?;
    // The seeded databases the call cells read (PostgreSQL where it can be had: the plan
    // marked its cells unavailable where not).
    let databases = RunDatabases::prepare(
        running().map(|c| &c.workload),
        &std::env::temp_dir(),
        files_dir,
        postgres,
    )?
    .made;
    Ok(Services {
        worker,
        limits,
        pinning,
        server,
        databases,
    })
}

/// The interrupted run `--resume` names, or a refusal when it is complete.
fn resumable(args: &RunArgs) -> Result<Result<Option<RunResults>, Ended>> {
    let Some(dir) = &args.resume else {
        return Ok(Ok(None));
    };
    let old = report::load(&dir.join("results.json"))
        .with_context(|| format!("--resume {}", dir.display()))?;
    if old.complete {
        eprintln!(
            "error: --resume {}: that run is complete; nothing to resume",
            dir.display()
        );
        return Ok(Err(Ended::Refused));
    }
    Ok(Ok(Some(old)))
}

/// A claimed folder: its lock, and what it held (kept aside) with the run in it.
type Claimed = (store::Lock, Option<(PathBuf, RunResults)>);

/// The folder, claimed: created, locked, checked again for results under the lock, and
/// what it held (only with --force) kept aside, with the run in it when it reads.
fn claim(
    args: &RunArgs,
    out: &Path,
    path: &Path,
    resuming: bool,
) -> Result<Result<Claimed, Ended>> {
    fs::create_dir_all(out)
        .with_context(|| format!("creating the output directory {}", out.display()))?;
    // Two runs into one folder would overwrite each other's cells.
    let lock = match store::Lock::claim(out) {
        Ok(lock) => lock,
        Err(err) if err.downcast_ref::<store::Held>().is_some() => {
            eprintln!("error: {err:#}");
            return Ok(Err(Ended::Refused));
        }
        Err(err) => return Err(err),
    };
    // Checked again under the lock: a run that finished since `--out` was first checked
    // left results here.
    if !resuming
        && !args.force
        && let Err(occupied) = outdir::choose(Some(out), false, 0, false)
    {
        eprintln!("error: {occupied}");
        return Ok(Err(Ended::Refused));
    }
    // What this folder held before (only with --force): its bytes kept beside the new
    // results whatever they are (a file this build cannot read too), and the first choice
    // to compare with when it reads.
    let held = if resuming {
        None
    } else {
        keep_held(out, path)?
    };
    Ok(Ok((lock, held)))
}

/// What the run records of how it was run.
fn settings(run: &Run, args: &RunArgs) -> Settings {
    Settings {
        profile: run.plan.profile.clone(),
        threads: run.threads,
        trials: run.plan.trials,
        cells_planned: run.plan.cells.len(),
        fetch_server: run.server.as_ref().map(|server| match &run.pinning {
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
        pin: run.pinning.clone(),
        order: Some(run.order),
        seed: Some(run.seed),
        margin: Some(run.margin),
        slo_ms: args.sizes.number("slo-ms"),
        planned: run.plan.cells.iter().map(resume::label).collect(),
        kernel_per_core: run.limits.map(|l| l.kernel_per_core),
        compared_with: run.previous.as_ref().map(|(path, _)| {
            fs::canonicalize(path)
                .unwrap_or_else(|_| path.clone())
                .display()
                .to_string()
        }),
    }
}

/// The first save. A resumed run's already holds every cell the interrupted run recorded
/// (and its probes): killed before its next save, it has lost nothing. A group it measures
/// again replaces its old cells only when that group starts.
fn first_save(run: &mut Run) -> Result<()> {
    if let Some(old) = &run.resumed {
        for (slot, planned) in run.cells.iter_mut().zip(&run.plan.cells) {
            *slot = resume::recorded(old, planned).cloned();
        }
        run.results.cells = started_cells(&run.cells);
        run.results.timers = old.timers.clone();
        run.results.harness = old.harness.clone();
    }
    save(&run.path, &mut run.results)?;
    if outdir::in_root(&run.out)
        && let Err(err) = outdir::point_latest(&run.out)
    {
        eprintln!(
            "warning: could not point {}/latest at {}: {err}",
            outdir::ROOT,
            run.out.display()
        );
    }
    Ok(())
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

/// `--dry-run`: the plan, and why a profile's cells are their sizes.
fn dry_run(args: &RunArgs, plan: &Plan, profile: &plan::ProfileData, order: Order, seed: u64) {
    print!("{}", describe(plan, order, seed));
    if !args.sizes.any() {
        let asked: Vec<WorkloadKind> = args.workload.iter().map(|&w| w.into()).collect();
        print!("{}", reasons(profile, &asked));
    }
}

/// Why each cell of `profile` is its size, as its file says: of the workloads `asked`
/// for, or of every one when none is named.
fn reasons(profile: &plan::ProfileData, asked: &[WorkloadKind]) -> String {
    let mut out = format!(
        "\nwhy the {} profile's cells are their sizes:\n",
        profile.name
    );
    let mut last: Option<&str> = None;
    let cells = profile
        .cells
        .iter()
        .filter(|c| asked.is_empty() || asked.contains(&c.workload.kind()));
    for cell in cells {
        let (kind, label) = (cell.workload.kind(), cell.workload.params_label());
        match last {
            Some(why) if why == cell.why => out += &format!("  {kind} {label}: the same\n"),
            _ => out += &format!("  {kind} {label}: {}\n", cell.why),
        }
        last = Some(&cell.why);
    }
    out
}
