//! The order trials run in. Within each group of cells that are compared with each other,
//! trials go round-robin (round 1 runs every backend once, then round 2, ...) and each
//! round is shuffled from a seed, so drift, warm caches and busy neighbours fall on every
//! backend alike instead of on whichever runs first.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::time::{SystemTime, UNIX_EPOCH};

use shootout_core::random::SplitMix64;
use shootout_core::results::Order;

use crate::plan::PlannedCell;

/// One trial to run: which cell (an index into the plan's cells) and which round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    /// Index of the cell in the plan.
    pub cell: usize,
    /// 1-based round, which is also the trial's number within its cell.
    pub round: u32,
}

/// Cells compared with each other (same workload and sizes on the same worker count), as
/// indices into `cells`, groups in order of first appearance.
pub fn groups(cells: &[PlannedCell]) -> Vec<Vec<usize>> {
    let mut keys: Vec<(shootout_core::WorkloadKind, String)> = Vec::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (index, cell) in cells.iter().enumerate() {
        let key = (cell.workload.kind(), cell.workload.comparable(cell.threads));
        match keys.iter().position(|k| *k == key) {
            Some(at) => groups[at].push(index),
            None => {
                keys.push(key);
                groups.push(vec![index]);
            }
        }
    }
    groups
}

/// The trials of one group in the order they run: `trials` rounds over its runnable
/// cells, each round shuffled by `rng` ([`Order::Shuffled`]), or each cell's trials back to
/// back in plan order ([`Order::Fixed`]).
pub fn schedule(
    group: &[usize],
    cells: &[PlannedCell],
    trials: u32,
    order: Order,
    rng: &mut SplitMix64,
) -> Vec<Slot> {
    let runnable: Vec<usize> = group
        .iter()
        .copied()
        .filter(|&i| cells[i].skip.is_none())
        .collect();
    match order {
        Order::Fixed => runnable
            .iter()
            .flat_map(|&cell| (1..=trials).map(move |round| Slot { cell, round }))
            .collect(),
        Order::Shuffled => (1..=trials)
            .flat_map(|round| {
                let mut cells = runnable.clone();
                rng.shuffle(&mut cells);
                cells.into_iter().map(move |cell| Slot { cell, round })
            })
            .collect(),
    }
}

/// A seed for a run that was given none: different every run, recorded in results.json.
pub fn random_seed() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    RandomState::new().hash_one(nanos ^ u64::from(std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn cells(argv: &[&str]) -> (Vec<PlannedCell>, u32) {
        let cli = crate::args::Cli::parse_from(argv);
        match cli.command {
            Some(crate::args::Command::Run(args)) => {
                let plan = crate::plan::build(&args, 2);
                (plan.cells, plan.trials)
            }
            other => panic!("not a run: {other:?}"),
        }
    }

    fn whole(cells: &[PlannedCell], trials: u32, order: Order, seed: u64) -> Vec<Slot> {
        let mut rng = SplitMix64::new(seed);
        groups(cells)
            .iter()
            .flat_map(|group| schedule(group, cells, trials, order, &mut rng))
            .collect()
    }

    #[test]
    fn every_round_is_a_permutation_of_the_groups_runnable_cells() {
        let (cells, trials) = cells(&["shootout", "run"]);
        let mut rng = SplitMix64::new(7);
        let mut shuffled_somewhere = false;
        for group in groups(&cells) {
            let runnable: Vec<usize> = group
                .iter()
                .copied()
                .filter(|&i| cells[i].skip.is_none())
                .collect();
            let slots = schedule(&group, &cells, trials, Order::Shuffled, &mut rng);
            assert_eq!(slots.len(), runnable.len() * trials as usize);
            for (r, round) in slots.chunks(runnable.len().max(1)).enumerate() {
                assert!(round.iter().all(|s| s.round == r as u32 + 1));
                let mut seen: Vec<usize> = round.iter().map(|s| s.cell).collect();
                shuffled_somewhere |= seen != runnable;
                seen.sort_unstable();
                assert_eq!(seen, runnable, "round {} is a permutation", r + 1);
            }
        }
        assert!(shuffled_somewhere, "a seed that never reorders anything");
    }

    #[test]
    fn the_same_seed_gives_the_same_order_and_another_seed_another() {
        let (cells, trials) = cells(&["shootout", "run"]);
        let first = whole(&cells, trials, Order::Shuffled, 42);
        assert_eq!(first, whole(&cells, trials, Order::Shuffled, 42));
        assert_ne!(first, whole(&cells, trials, Order::Shuffled, 43));
    }

    #[test]
    fn fixed_order_runs_each_cells_trials_back_to_back_in_plan_order() {
        let (cells, _) = cells(&["shootout", "run", "--workload", "cpu"]);
        let slots = whole(&cells, 3, Order::Fixed, 0);
        let expected: Vec<Slot> = (0..cells.len())
            .filter(|&i| cells[i].skip.is_none())
            .flat_map(|cell| (1..=3).map(move |round| Slot { cell, round }))
            .collect();
        assert_eq!(slots, expected);
    }

    #[test]
    fn compared_cells_share_a_group() {
        let (cells, _) = cells(&["shootout", "run", "--workload", "fetch,blocking"]);
        let groups = groups(&cells);
        // Fitted request counts differ per backend, yet each fetch cell is one group; every
        // blocking mode of every backend is one group.
        assert_eq!(groups.len(), 3);
        for group in &groups {
            let kinds: Vec<_> = group.iter().map(|&i| cells[i].workload.kind()).collect();
            assert!(kinds.windows(2).all(|w| w[0] == w[1]));
        }
    }
}
