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
    (!differ.is_empty()).then(|| differ.join("; "))
}

/// The recorded cell of `planned`, if the interrupted run has one.
fn recorded<'a>(old: &'a RunResults, planned: &PlannedCell) -> Option<&'a Cell> {
    old.cells.iter().find(|c| {
        c.backend == planned.backend.name()
            && c.workload == planned.workload
            && c.threads == planned.threads
            && c.twin == planned.twin
    })
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
}
