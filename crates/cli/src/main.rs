//! The `shootout` binary: runs concurrency workloads on every major Rust backend,
//! verifies every answer, and measures each trial in a fresh process.

mod args;
mod backends;
mod child;
mod machine;
mod measure;
mod plan;
mod run;
mod store;
mod table;
mod trial;

use std::process::ExitCode;

use clap::Parser;
use shootout_core::WorkloadKind;

use args::{Cli, Command, TrialArgs};
use backends::BackendName;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or_else(|| {
        Cli::parse_from(["shootout", "run"])
            .command
            .expect("run parses")
    });
    match command {
        Command::Run(args) => match run::run(&args) {
            Ok(_) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: {err:#}");
                ExitCode::FAILURE
            }
        },
        Command::Trial(args) => trial(args),
        Command::List => {
            print!("{}", list());
            ExitCode::SUCCESS
        }
    }
}

/// Prints the trial's record as one JSON line; exits 0 only when it verified.
fn trial(args: TrialArgs) -> ExitCode {
    let kind: WorkloadKind = args.workload.into();
    let workload = args.sizes.apply(plan::default_workload(kind));
    let threads = args.threads.unwrap_or_else(machine::available_cores);
    let record = trial::execute(args.backend, workload, threads, args.fault);
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

fn list() -> String {
    let mut out = String::from("backends:\n");
    for backend in BackendName::ALL {
        let info = backend.info();
        out += &format!(
            "  {:<11} {} [{}]\n",
            info.name,
            info.summary,
            info.maintenance.label()
        );
    }
    out += "workloads:\n";
    for kind in WorkloadKind::ALL {
        out += &format!("  {:<11} {}\n", kind.name(), kind.description());
    }
    out
}
