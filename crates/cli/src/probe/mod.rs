//! Probes: small measurements a run makes besides its cells (each backend's idle timer,
//! the harness's share of memory), each trial in a fresh process like a cell's, round-robin
//! across backends so a disturbance lands on all of them alike.

pub mod harness;
pub mod plausible;
pub mod timers;

use std::path::Path;

use shootout_core::Workload;
use shootout_core::results::Trial;

use crate::backends::BackendName;
use crate::launch::run_trial;
use crate::plan::PlannedCell;

/// `trials` rounds of one trial of `workload` per backend (with `extra` trial flags);
/// each backend's trials, in the order of `backends`.
pub fn round_robin(
    exe: &Path,
    backends: &[BackendName],
    workload: &Workload,
    threads: u64,
    extra: &[&str],
    trials: u32,
) -> Vec<Vec<Trial>> {
    let cells: Vec<PlannedCell> = backends
        .iter()
        .map(|&backend| PlannedCell {
            backend,
            workload: workload.clone(),
            threads,
            predicted_s: None,
            skip: None,
            timeout_s: 60,
            twin: false,
        })
        .collect();
    let mut done = vec![Vec::new(); cells.len()];
    for round in 0..trials {
        for (i, cell) in cells.iter().enumerate() {
            done[i].push(run_trial(exe, cell, None, None, None, extra, round));
        }
    }
    done
}

/// The first failure among `trials`, if any.
pub fn first_failure(trials: &[Trial]) -> Option<String> {
    trials.iter().find_map(|t| t.failure.clone())
}
