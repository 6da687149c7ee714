//! After the cells: the A/A checks, the last save, the report, the Summary in the terminal,
//! and how the run ends.

use std::path::Path;

use anyhow::Result;
use shootout_core::results::{CellStatus, RunResults};
use shootout_core::stats::Test;
use shootout_report::analysis::{self, Options};

use super::{Ended, Run, save, started_cells};
use crate::args::{RunArgs, TableArg};
use crate::plan::Plan;
use crate::progress::Progress;
use crate::{compare, interrupt, lines, report, table, verdicts};

/// Saves the run as complete (or as stopped), writes the report, prints the Summary and
/// says how the run ended.
pub(super) fn finish(mut run: Run, progress: Progress, args: &RunArgs) -> Result<Ended> {
    run.results.aa = analysis::twin_checks(
        &run.results,
        Options {
            test: Test::with_margin(run.margin),
            exclude_disturbed: false,
            slo_ms: args.sizes.number("slo-ms"),
            custom: false,
            paired: shootout_report::findings::shuffled(std::slice::from_ref(&run.results)),
        },
    );
    let stopped = interrupt::caught();
    run.results.cells = started_cells(&run.cells);
    run.results.complete = stopped.is_none();
    run.results.stopped = stopped.map(|signal| interrupt::describe(signal).0.to_string());
    save(&run.path, &mut run.results)?;
    progress.finish();

    let results = &run.results;
    let baseline = run.previous.as_ref().map(|(_, previous)| previous);
    let index = report::write(&run.out, std::slice::from_ref(results), baseline, None)?;
    if args.table == TableArg::Full {
        print!("{}", table::render(&results.cells));
    }
    let width = lines::width();
    // The answer last, where the terminal leaves the eye, after the cells it is drawn from.
    println!();
    print!("{}", verdicts::render(results, verdicts::colour(), width));
    let count = |status: CellStatus| results.cells.iter().filter(|c| c.status == status).count();
    let (failed, skipped) = (count(CellStatus::Failed), count(CellStatus::Skipped));
    print!(
        "{}",
        verdicts::wrap("", &tally(&run, failed, skipped), width, 2)
    );
    if let Some((previous_path, previous_run)) = &run.previous {
        print!(
            "{}",
            compare::render(results, previous_path, previous_run, width)
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
            Ok(Ended::Failed)
        }
        None => Ok(Ended::Complete),
        Some(signal) => {
            eprint!(
                "{}",
                stopped_note(results, &run.plan, signal, &run.path, &index, width)
            );
            Ok(Ended::Stopped(signal))
        }
    }
}

/// The run's closing line: its cells by outcome, workers, trials, order and where it is.
fn tally(run: &Run, failed: usize, skipped: usize) -> String {
    let results = &run.results;
    format!(
        "{}{} cells: {} ok, {failed} failed, {skipped} skipped; {} per backend; {} per cell, {} \
         order (seed {}); results in {}",
        results.cells.len(),
        if results.complete {
            String::new()
        } else {
            format!(" of {} planned", run.plan.cells.len())
        },
        results.cells.len() - failed - skipped,
        shootout_report::format::counted(run.threads, "worker thread"),
        shootout_report::format::counted(run.plan.trials as u64, "trial"),
        run.order.name(),
        run.seed,
        run.path.display()
    )
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
