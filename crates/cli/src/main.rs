//! The `shootout` binary: runs concurrency workloads on every major Rust backend,
//! verifies every answer, and measures each trial in a fresh process.

mod args;
mod backends;
mod databases;
mod files;
mod help;
mod machine;
mod plan;
mod probe;
mod run;
mod terminal;
mod trial;

// Each concern is a folder; these names keep the paths the modules use short.
#[cfg(test)]
use files::fixtures;
use files::{outdir, report, resume, store};
use plan::memory;
use probe::{harness, plausible, timers};
use run::{interrupt, order};
use terminal::{compare, lines, progress, table, verdicts};
use trial::{child, launch, measure, pin, server};

use std::process::ExitCode;

use shootout_core::{Target, Workload, WorkloadKind};

use args::{Cli, Command, TrialArgs};
use backends::BackendName;

fn main() -> ExitCode {
    let cli = parse(help::command().get_matches());
    let command = cli.command.unwrap_or_else(|| {
        parse(help::command().get_matches_from(["shootout", "run"]))
            .command
            .expect("run parses")
    });
    match command {
        Command::Run(args) => run_command(&args),
        Command::Trial(args) => trial(args),
        Command::Report(args) => match report_command(&args) {
            Ok(index) => {
                println!("{}", index.display());
                ExitCode::SUCCESS
            }
            Err(err) => failed(&err),
        },
        Command::List(args) => {
            if args.json {
                println!("{}", list_json());
            } else {
                print!("{}", list());
            }
            ExitCode::SUCCESS
        }
        Command::Completions(args) => {
            clap_complete::generate(
                args.shell,
                &mut help::command(),
                "shootout",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Command::Man => match clap_mangen::Man::new(help::command()).render(&mut std::io::stdout())
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => failed(&anyhow::anyhow!("writing the man page: {err}")),
        },
        Command::Version => {
            println!("shootout {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Command::Worker => worker_command(),
        Command::Serve(args) => serve_command(&args),
    }
}

/// An error as the binary reports it: `error: ...` and a failing exit.
fn failed(err: &anyhow::Error) -> ExitCode {
    eprintln!("error: {err:#}");
    ExitCode::FAILURE
}

/// `shootout run`: checks the sizes, claims the output folder, runs the suite.
fn run_command(args: &args::RunArgs) -> ExitCode {
    if let Err((kind, err)) = validate_sizes(args) {
        return invalid(kind, &err);
    }
    let profile = match plan::chosen(args) {
        Ok(profile) => profile,
        Err(err) => {
            eprintln!("error: invalid value for '--profile-file': {err}");
            return ExitCode::from(2);
        }
    };
    if let Some(kind) = unplanned(args, profile) {
        eprintln!(
            "error: invalid value '{kind}' for '--workload': the {} profile has no {kind} cell; \
             run it with --profile full, or give its sizes",
            profile.name
        );
        return ExitCode::from(2);
    }
    let chosen = match &args.resume {
        Some(dir) => Ok(dir.clone()),
        None => outdir::choose(
            args.out.as_deref(),
            args.force,
            run::unix_now(),
            !args.dry_run,
        ),
    };
    let out = match chosen {
        Ok(out) => out,
        Err(occupied) => {
            eprintln!("error: {occupied}");
            return ExitCode::from(2);
        }
    };
    match run::run(args, &out) {
        Ok(run::Ended::Stopped(signal)) => ExitCode::from(interrupt::describe(signal).1),
        Ok(run::Ended::Failed) => ExitCode::FAILURE,
        Ok(run::Ended::Refused) => ExitCode::from(2),
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => failed(&err),
    }
}

/// `shootout worker`: serves as the helper process of whichever backend registers one.
fn worker_command() -> ExitCode {
    match backends::helper("worker").map(|helper| (helper.serve)()) {
        Some(Ok(())) => ExitCode::SUCCESS,
        Some(Err(err)) => failed(&anyhow::anyhow!("worker: {err}")),
        None => failed(&anyhow::anyhow!("no registered backend serves as a worker")),
    }
}

/// `shootout serve`: the embedded server on loopback until interrupted.
fn serve_command(args: &args::ServeArgs) -> ExitCode {
    if !args.cpus.is_empty()
        && let Err(err) = pin::apply(&args.cpus)
    {
        eprintln!("error: pinning the server to CPUs {:?}: {err}", args.cpus);
        return ExitCode::FAILURE;
    }
    let threads = args.threads.unwrap_or_else(machine::available_cores) as usize;
    match server::serve(args.port as u16, threads, args.exit_with_parent) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => failed(&err),
    }
}

/// The parsed command line, or clap's own error and exit (2 for bad input).
fn parse(matches: clap::ArgMatches) -> Cli {
    <Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|err| err.exit())
}

/// `shootout report`: loads every input first, so a bad file writes nothing.
fn report_command(args: &args::ReportArgs) -> anyhow::Result<std::path::PathBuf> {
    let inputs = if args.results.is_empty() {
        vec![outdir::default_results()]
    } else {
        args.results.clone()
    };
    let mut runs = inputs
        .iter()
        .map(|path| report::load(path))
        .collect::<anyhow::Result<Vec<_>>>()?;
    // The SLO given here replaces the one the runs recorded, for this page only.
    if let Some(slo_ms) = args.slo_ms {
        for run in &mut runs {
            run.settings.slo_ms = Some(slo_ms);
        }
    }
    // The comparison the run made, unless another is asked for (and only if it is still there).
    let baseline = match &args.baseline {
        Some(path) => Some((path.clone(), report::load(path)?)),
        None => runs
            .first()
            .and_then(|run| run.settings.compared_with.as_deref())
            .map(std::path::PathBuf::from)
            .and_then(|path| Some((path.clone(), outdir::load(&path)?))),
    };
    let out = match &args.out {
        Some(out) => out.clone(),
        None => inputs[0]
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(
                || std::path::PathBuf::from("."),
                std::path::Path::to_path_buf,
            ),
    };
    let index = report::write(&out, &runs, baseline.as_ref().map(|(_, b)| b), args.margin)?;
    // The comparison in the terminal too (stderr: stdout stays the page's path, for scripts).
    if let (Some((path, previous)), Some(current)) = (&baseline, runs.first()) {
        eprint!(
            "{}",
            compare::render(current, path, previous, lines::width())
        );
    }
    Ok(index)
}

/// Checks the workloads that size flags build, before anything is written.
/// Only the workloads the run selects count: `--slow` is meant for `timeout`, not for a
/// plain `fetch` that was not asked for.
fn validate_sizes(
    args: &args::RunArgs,
) -> Result<(), (Option<WorkloadKind>, shootout_core::SpecError)> {
    let selected = |kind: WorkloadKind| {
        args.workload.is_empty() || args.workload.iter().any(|&w| WorkloadKind::from(w) == kind)
    };
    let kinds: Vec<WorkloadKind> = WorkloadKind::ALL
        .into_iter()
        .filter(|&k| selected(k))
        .collect();
    args.sizes.check_used(&kinds).map_err(|err| (None, err))?;
    kinds
        .into_iter()
        .filter(|&kind| args.sizes.touches(kind))
        .try_for_each(|kind| {
            args.sizes
                .apply(plan::default_for(kind, &args.sizes))
                .validate()
                .map_err(|err| (Some(kind), err))
        })
}

/// A workload asked for by name that the profile has no cell of and no size flag
/// describes: it would plan nothing, silently.
fn unplanned(args: &args::RunArgs, profile: &plan::ProfileData) -> Option<WorkloadKind> {
    args.workload
        .iter()
        .map(|&w| WorkloadKind::from(w))
        .find(|&kind| {
            !args.sizes.touches(kind) && !profile.cells.iter().any(|c| c.workload.kind() == kind)
        })
}

/// Reports a spec that clap accepted field by field but that fails as a whole
/// (e.g. `--fail 0.6 --reset 0.6`), the way clap reports bad input: exit 2. The flag named
/// is `kind`'s own where the workload is known (`--call-tick-us`, not blocking's
/// `--tick-us`).
fn invalid(kind: Option<WorkloadKind>, err: &shootout_core::SpecError) -> ExitCode {
    eprintln!(
        "error: invalid value for '{}': {}",
        args::flag_for(kind, err.field),
        err.message
    );
    ExitCode::from(2)
}

/// `target` with the databases a call cell reads: those `run` made and named in the flags,
/// or, for a trial run alone, its own (kept alive as long as the second value is).
fn with_databases(
    target: Option<Target>,
    workload: &Workload,
    args: &TrialArgs,
) -> anyhow::Result<(Option<Target>, Option<databases::RunDatabases>)> {
    // A workload that reads only databases or file sets runs against no server.
    let target = match (target, workload.store()) {
        (Some(target), _) => target,
        (None, Some(_)) => Target::no_server(Default::default()),
        (None, None) => return Ok((None, None)),
    };
    let given = shootout_core::call::Databases {
        sqlite_dir: args.sqlite_dir.clone(),
        postgres: args.postgres.clone(),
        files_dir: args.files_dir.clone(),
    };
    if workload.store().is_none() || args.server.is_some() || args.files_dir.is_some() {
        return Ok((Some(target.with_databases(given)), None));
    }
    let prepared = databases::RunDatabases::prepare(
        [workload],
        &std::env::temp_dir(),
        None,
        args.postgres.as_deref(),
    )?;
    if let Some(why) = prepared.postgres_unavailable {
        anyhow::bail!("unavailable here: {why}");
    }
    let databases = prepared.made.databases.clone();
    Ok((Some(target.with_databases(databases)), Some(prepared.made)))
}

/// Prints the trial's record as one JSON line; exits 0 only when it verified.
fn trial(args: TrialArgs) -> ExitCode {
    if let Err(err) = child::die_with_parent() {
        eprintln!("error: tying the trial to the run that started it: {err}");
        return ExitCode::FAILURE;
    }
    let workload = match (&args.spec, args.workload) {
        (Some(_), _) if args.sizes.any() => {
            eprintln!("error: --spec holds every size and design: leave out the size flags");
            return ExitCode::from(2);
        }
        (Some(spec), _) => match serde_json::from_str::<Workload>(spec) {
            Ok(workload) => workload,
            Err(err) => {
                eprintln!("error: invalid value for '--spec': {err}");
                return ExitCode::from(2);
            }
        },
        (None, Some(kind)) => {
            let kind = WorkloadKind::from(kind);
            if let Err(err) = args.sizes.check_used(&[kind]) {
                return invalid(Some(kind), &err);
            }
            args.sizes.apply(plan::default_for(kind, &args.sizes))
        }
        (None, None) => unreachable!("clap requires --workload or --spec"),
    };
    if let Err(err) = workload.validate() {
        return invalid(Some(workload.kind()), &err);
    }
    let threads = args.threads.unwrap_or_else(machine::available_cores);
    // Pinned before the backend starts a thread, so every thread it starts inherits it.
    if !args.cpus.is_empty()
        && let Err(err) = pin::apply(&args.cpus)
    {
        eprintln!("error: pinning the trial to CPUs {:?}: {err}", args.cpus);
        return ExitCode::FAILURE;
    }
    // Fetch against the embedded server: use the one `run` started, or start our own.
    let mut own_server: Option<server::ServerProcess> = None;
    let target = match (workload.needs_server(), args.server) {
        (false, _) => None,
        (true, Some(addr)) => Some(Target::embedded(addr)),
        (true, None) => {
            let exe = std::env::current_exe();
            match exe
                .map_err(anyhow::Error::from)
                .and_then(|exe| server::ServerProcess::spawn(&exe, None))
            {
                Ok(server) => {
                    let target = Target::embedded(server.addr());
                    own_server = Some(server);
                    Some(target)
                }
                Err(err) => {
                    eprintln!("error: {err:#}");
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    // call: the databases `run` made, or, alone, our own.
    let (target, _own_databases) = match with_databases(target, &workload, &args) {
        Ok(found) => found,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    let partners: Vec<u32> = own_server
        .as_ref()
        .map(server::ServerProcess::pid)
        .into_iter()
        .chain(args.server_pid)
        .collect();
    let record = trial::execute(
        args.backend,
        workload,
        threads,
        target.as_ref(),
        args.fault,
        &partners,
        args.bare,
    );
    drop(own_server);
    match serde_json::to_string(&record) {
        Ok(json) => println!("{json}"),
        Err(err) => {
            eprintln!("error: serializing the trial record: {err}");
            return ExitCode::FAILURE;
        }
    }
    if record.verified {
        ExitCode::SUCCESS
    } else {
        if let Some(error) = &record.error {
            eprintln!("error: {error}");
        }
        ExitCode::FAILURE
    }
}

/// The backends as JSON: what each says about itself, and whether it runs here.
fn list_json() -> String {
    let backends: Vec<serde_json::Value> = BackendName::all()
        .iter()
        .map(|backend| {
            let info = backend.info();
            serde_json::json!({
                "name": info.name,
                "family": info.family,
                "crates": info.crates,
                "summary": info.summary,
                "maintenance": info.maintenance.label(),
                "upstream": upstream_json(&info.maintenance),
                "sleep_model": format!("{:?}", info.sleep_model),
                "fetch_slots": format!("{:?}", info.fetch_slots),
                "blocking_modes": info.blocking_modes.iter().map(|m| m.name()).collect::<Vec<_>>(),
                "cpu_modes": info.cpu_modes().iter().map(|m| m.name()).collect::<Vec<_>>(),
                "variants": info.variants.iter().map(|v| v.name()).collect::<Vec<_>>(),
                "not_applicable": info
                    .not_applicable_all()
                    .iter()
                    .map(|(kind, why)| serde_json::json!({"workload": kind.name(), "reason": why}))
                    .collect::<Vec<_>>(),
                "unavailable": info.unavailable(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&backends).expect("plain values serialize")
}

/// A backend's upstream facts for scripts: its crate's last release and date, whether it
/// was discontinued, and the advisories that apply to what it pulls in (`null` for std).
fn upstream_json(maintenance: &shootout_core::Maintenance) -> serde_json::Value {
    let shootout_core::Maintenance::Crate(upstream) = maintenance else {
        return serde_json::Value::Null;
    };
    serde_json::json!({
        "crate": upstream.crate_name,
        "last_release": upstream.last_release,
        "released": upstream.released,
        "discontinued": upstream.discontinued,
        "advisories": upstream
            .advisories
            .iter()
            .map(|a| serde_json::json!({"id": a.id, "affects": a.affects, "kind": a.kind}))
            .collect::<Vec<_>>(),
        "checked": shootout_core::backend::CHECKED,
    })
}

fn list() -> String {
    let mut out = String::from("backends:\n");
    for &backend in BackendName::all() {
        let info = backend.info();
        out += &format!(
            "  {:<11} {} [{}; {}]\n",
            info.name,
            info.summary,
            info.family.name(),
            info.maintenance.label()
        );
        if let Some(why) = info.unavailable() {
            out += &format!("  {:<11}   unavailable here: {why}\n", "");
        }
        if !info.variants.is_empty() {
            let variants: Vec<&str> = info.variants.iter().map(|v| v.name()).collect();
            out += &format!(
                "  {:<11}   labelled variants: {}\n",
                "",
                variants.join(", ")
            );
        }
        for (kind, why) in info.not_applicable_all() {
            out += &format!("  {:<11}   not applicable to {kind}: {why}\n", "");
        }
        if !info.blocking_modes.is_empty() {
            out += &format!(
                "  {:<11}   blocking modes: {}\n",
                "",
                info.blocking_modes_label()
            );
        }
    }
    out += "workloads:\n";
    for kind in WorkloadKind::ALL {
        out += &format!("  {:<11} {}\n", kind.name(), kind.description());
    }
    out
}
