//! `run --resume DIR`: go on with an interrupted run. The plan is rebuilt from the same
//! command line and must match what the run recorded (profile, worker threads, trials per
//! cell, seed, the number of cells) on the same machine (CPU, cores, kernel, compiler,
//! commit); otherwise it is refused, naming what differs. Groups of compared cells that
//! finished are kept as measured; a group that was cut short is measured again whole, so
//! its backends stay interleaved with each other.

use shootout_core::results::{Cell, CellStatus, Machine, RunResults};

use crate::plan::{Plan, PlannedCell};

/// What differs between the interrupted run and the one that would resume it, if anything.
pub fn mismatch(
    old: &RunResults,
    plan: &Plan,
    threads: u64,
    seed: u64,
    now: &Machine,
) -> Option<String> {
    let s = &old.settings;
    let mut differ = Vec::new();
    let mut check = |what: &str, then: String, here: String| {
        if then != here {
            differ.push(format!("{what} {then} then, {here} now"));
        }
    };
    check("profile", s.profile.clone(), plan.profile.clone());
    check("worker threads", s.threads.to_string(), threads.to_string());
    check(
        "trials per cell",
        s.trials.to_string(),
        plan.trials.to_string(),
    );
    check(
        "planned cells",
        s.cells_planned.to_string(),
        plan.cells.len().to_string(),
    );

    check(
        "seed",
        s.seed.map_or("none".into(), |x| x.to_string()),
        seed.to_string(),
    );
    let m = &old.machine;
    check("CPU", m.cpu_model.clone(), now.cpu_model.clone());
    check("cores", m.cores.to_string(), now.cores.to_string());
    check("kernel", m.kernel.clone(), now.kernel.clone());
    check("compiler", m.rustc.clone(), now.rustc.clone());
    check("build", m.build_profile.clone(), now.build_profile.clone());
    let commit = |m: &shootout_core::results::Machine| {
        format!(
            "{}{}",
            m.git_commit.clone().unwrap_or_default(),
            if m.git_dirty == Some(true) {
                " (with uncommitted changes)"
            } else {
                ""
            }
        )
    };
    check("commit", commit(m), commit(now));
    if let Some(cell) = first_other_cell(old, plan) {
        differ.push(cell);
    }
    (!differ.is_empty()).then(|| differ.join("; "))
}

/// One line naming a planned cell exactly: backend, worker threads, A/A twin, and the
/// workload with every parameter (design and variant included) as JSON.
pub fn label(cell: &PlannedCell) -> String {
    format!(
        "{} W={}{} {}",
        cell.backend.name(),
        cell.threads,
        if cell.twin { " (A/A twin)" } else { "" },
        serde_json::to_string(&cell.workload).expect("a workload serializes")
    )
}

/// The first cell the interrupted run planned (or, in a file that predates the plan's
/// record, measured) that this plan does not plan at the same place, in words.
fn first_other_cell(old: &RunResults, plan: &Plan) -> Option<String> {
    let now: Vec<String> = plan.cells.iter().map(label).collect();
    if old.settings.planned.is_empty() {
        return old
            .cells
            .iter()
            .find(|c| !plan.cells.iter().any(|p| is(c, p)))
            .map(|c| {
                format!(
                    "cell {} {} {} W={} measured then, not planned now",
                    c.backend,
                    c.workload.kind(),
                    c.workload.params_label(),
                    c.threads
                )
            });
    }
    old.settings
        .planned
        .iter()
        .zip(&now)
        .position(|(then, now)| then != now)
        .map(|i| {
            format!(
                "cell {} {} then, {} now",
                i + 1,
                old.settings.planned[i],
                now[i]
            )
        })
}

/// Whether recorded cell `c` is planned cell `p`.
fn is(c: &Cell, p: &PlannedCell) -> bool {
    c.backend == p.backend.name()
        && c.workload == p.workload
        && c.threads == p.threads
        && c.twin == p.twin
}

/// The recorded cell of `planned`, if the interrupted run has one.
pub fn recorded<'a>(old: &'a RunResults, planned: &PlannedCell) -> Option<&'a Cell> {
    old.cells.iter().find(|c| is(c, planned))
}

/// A cell that needs nothing more: skipped, failed, or with every trial.
fn finished(cell: &Cell, trials: u32) -> bool {
    match cell.status {
        CellStatus::Skipped | CellStatus::Failed => true,
        CellStatus::Ok => cell.trials.len() >= trials as usize,
    }
}

/// The recorded cells of `group` when every one of them finished, in group order.
pub fn kept(old: &RunResults, plan: &Plan, group: &[usize]) -> Option<Vec<Cell>> {
    group
        .iter()
        .map(|&i| {
            recorded(old, &plan.cells[i])
                .filter(|c| finished(c, plan.trials))
                .cloned()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn plan(argv: &[&str]) -> Plan {
        match crate::args::Cli::parse_from(argv).command {
            Some(crate::args::Command::Run(args)) => crate::plan::build(&args, 2),
            other => panic!("not a run: {other:?}"),
        }
    }

    fn recorded_run(plan: &Plan) -> RunResults {
        let mut run = crate::fixtures::quick();
        run.settings.profile = plan.profile.clone();
        run.settings.threads = 2;
        run.settings.trials = plan.trials;
        run.settings.cells_planned = plan.cells.len();
        run.settings.seed = Some(7);
        run.settings.planned = plan.cells.iter().map(label).collect();
        run
    }

    #[test]
    fn a_different_command_or_machine_is_named() {
        let argv = ["shootout", "run", "--workload", "sleep", "--trials", "3"];
        let plan = plan(&argv);
        let old = recorded_run(&plan);
        let machine = old.machine.clone();
        assert_eq!(mismatch(&old, &plan, 2, 7, &machine), None);
        let other =
            super::tests::plan(&["shootout", "run", "--workload", "sleep", "--trials", "4"]);
        let said = mismatch(&old, &other, 2, 7, &machine).unwrap();
        assert!(said.contains("trials per cell 3 then, 4 now"), "{said}");
        let mut elsewhere = machine.clone();
        elsewhere.cores += 2;
        let said = mismatch(&old, &plan, 2, 7, &elsewhere).unwrap();
        assert!(said.contains("cores"), "{said}");
    }

    #[test]
    fn other_cells_of_the_same_count_are_named() {
        // Another backend, or another size, plans as many cells: the cells themselves differ.
        let sleep = |backend: &str, ms: &str| {
            plan(&[
                "shootout",
                "run",
                "--workload",
                "sleep",
                "--backend",
                backend,
                "--sleep-ms",
                ms,
            ])
        };
        let (names, machine) = (
            crate::backends::BackendName::all(),
            crate::fixtures::quick().machine,
        );
        let (first, second) = (names[0].name(), names[1].name());
        let old = recorded_run(&sleep(first, "10"));
        assert_eq!(mismatch(&old, &sleep(first, "10"), 2, 7, &machine), None);
        let said = mismatch(&old, &sleep(second, "10"), 2, 7, &machine).unwrap();
        assert!(said.starts_with(&format!("cell 1 {first} W=2")), "{said}");
        assert!(said.contains(&format!(", {second} W=2")), "{said}");
        let said = mismatch(&old, &sleep(first, "11"), 2, 7, &machine).unwrap();
        assert!(
            said.contains("\"sleep_ms\":10") && said.contains("\"sleep_ms\":11"),
            "{said}"
        );
        // A file from before the plan was recorded: its measured cells are compared.
        let mut older = old.clone();
        older.settings.planned.clear();
        older.cells = crate::fixtures::quick().cells;
        older
            .cells
            .retain(|c| c.workload.kind() == shootout_core::WorkloadKind::Sleep);
        let said = mismatch(&older, &sleep(first, "10"), 2, 7, &machine).unwrap();
        assert!(said.contains("measured then, not planned now"), "{said}");
    }
}
