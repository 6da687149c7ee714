//! More rounds for a group whose verdict is undecided, within the run's time budget
//! (`--budget`), by the sequential rule of [`shootout_core::stats::sequential`]: each look
//! tests at its share of the level and is recorded on the group's cells, so the report
//! judges the group at the level of its last look.

use std::time::Instant;

use anyhow::Result;
use shootout_core::WorkloadKind;
use shootout_core::kind::Rule;
use shootout_core::random::SplitMix64;
use shootout_core::results::{Cell, CellStatus, Order};
use shootout_core::stats::Test;
use shootout_core::stats::sequential::{EXTRA_LOOKS, Look, STEP_ROUNDS, alpha_at};
use shootout_report::analysis::{self, Options, Verdict};

use super::Run;
use super::measure::{Clock, run_slot};
use crate::args::RunArgs;
use crate::order::{self, Slot};
use crate::progress::Progress;

/// Looks at `group` after its planned rounds and, while its verdict is undecided and the
/// budget allows, runs [`STEP_ROUNDS`] more and looks again, up to [`EXTRA_LOOKS`] times.
/// A group that stands as no Summary row, or a run without budget, is a fixed design: no
/// looks, judged at the full level. `false` when a signal stopped the run.
pub(super) fn more_rounds(
    run: &mut Run,
    group: &[usize],
    rng: &mut SplitMix64,
    progress: &mut Progress,
    clock: &mut Clock,
    args: &RunArgs,
) -> Result<bool> {
    if run.extra_s <= 0.0 || !stands_as_a_row(run, group) {
        return Ok(true);
    }
    let mut rounds = run.plan.trials;
    for look in 1..=1 + EXTRA_LOOKS {
        let alpha = alpha_at(Test::default().alpha, look);
        let decided = decided(run, group, alpha);
        record(
            run,
            group,
            Look {
                rounds,
                alpha,
                decided,
            },
        );
        let cost_s = step_cost_s(run, group);
        if decided || look > EXTRA_LOOKS || cost_s > run.extra_s {
            break;
        }
        let started = Instant::now();
        let slots = order::schedule(group, &run.plan.cells, STEP_ROUNDS, run.order, rng);
        progress.more(slots.len() as u64);
        for slot in slots {
            let slot = Slot {
                round: slot.round + rounds,
                ..slot
            };
            if !run_slot(run, slot, progress, clock, args, true)? {
                return Ok(false);
            }
        }
        run.extra_s -= started.elapsed().as_secs_f64();
        rounds += STEP_ROUNDS;
    }
    Ok(true)
}

/// Whether the group stands as a Summary row and at least two of its cells run: a capacity
/// search (each is a row), or the largest planned size of a rule's headline row or of the
/// blocking row, as the report picks them. The sweeps' other points and the fault
/// scenarios are shown, not ruled on: more rounds there would buy no verdict.
fn stands_as_a_row(run: &Run, group: &[usize]) -> bool {
    let cells: Vec<_> = group
        .iter()
        .map(|&i| &run.plan.cells[i])
        .filter(|c| c.skip.is_none())
        .collect();
    let [first, _, ..] = cells.as_slice() else {
        return false;
    };
    let (first, kind) = (&first.workload, first.workload.kind());
    if kind == WorkloadKind::Capacity {
        return true;
    }
    let rule = kind.about().rule;
    let row = |w: &shootout_core::Workload| match rule {
        Rule::None => None,
        Rule::OffTheEventLoop => Some(kind.name()),
        _ => w.headline(),
    };
    let Some(label) = row(first) else {
        return false;
    };
    run.plan
        .cells
        .iter()
        .filter(|c| c.skip.is_none() && c.workload.kind().about().rule == rule)
        .filter(|c| row(&c.workload) == Some(label))
        .all(|c| c.workload.size() <= first.size())
}

/// Whether the group's verdict at level `alpha` is settled: anything but inconclusive
/// (an open verdict, with nothing to compare, more rounds would not change).
fn decided(run: &Run, group: &[usize], alpha: f64) -> bool {
    let mut results = run.results.clone();
    results.cells = group
        .iter()
        .filter_map(|&i| run.cells[i].clone())
        .map(|cell| Cell {
            looks: Vec::new(),
            ..cell
        })
        .collect();
    let runs = [results];
    let options = Options {
        test: Test {
            alpha,
            margin: run.margin,
        },
        paired: run.order == Order::Shuffled,
        ..Options::default()
    };
    let groups = analysis::groups(&runs, options);
    let verdicts: Vec<Verdict> = groups
        .iter()
        .filter_map(|g| analysis::decide_group(g, 1, options))
        .map(|d| d.verdict)
        .collect();
    verdicts.iter().all(|v| *v != Verdict::Inconclusive)
}

/// Records `look` on every cell of the group.
fn record(run: &mut Run, group: &[usize], look: Look) {
    for &i in group {
        if let Some(cell) = run.cells[i].as_mut() {
            cell.looks.push(look);
        }
    }
}

/// What [`STEP_ROUNDS`] more rounds of the group's running cells would take, from their
/// trials so far (each trial's whole process time).
fn step_cost_s(run: &Run, group: &[usize]) -> f64 {
    group
        .iter()
        .filter_map(|&i| run.cells[i].as_ref())
        .filter(|cell| cell.status == CellStatus::Ok)
        .map(|cell| {
            let times: Vec<f64> = cell.trials.iter().map(|t| t.process_s).collect();
            times.iter().sum::<f64>() / times.len().max(1) as f64
        })
        .sum::<f64>()
        * f64::from(STEP_ROUNDS)
}
