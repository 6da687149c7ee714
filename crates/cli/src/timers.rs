//! The idle timer probe: each backend's own timer lateness with nothing else running
//! ([`BlockingSpec::IDLE_TIMER`]), measured in every run that has sleep or blocking cells,
//! so the report can show those figures both raw and net of the timer's granularity.

use std::path::Path;

use shootout_core::results::TimerProbe;
use shootout_core::stats::Spread;
use shootout_core::{BlockingSpec, Workload, WorkloadKind};

use crate::backends::BackendName;
use crate::plan::{Plan, PlannedCell};
use crate::run::run_trial;

/// Trials per backend, interleaved across backends.
pub const TRIALS: u32 = 3;

/// The backends to probe: those of the plan's runnable sleep and blocking cells that have
/// timers of their own to wake a ticker (`info().blocking_modes` is not empty; the others
/// sleep with `std::thread::sleep`, which `threads` probes).
pub fn backends(plan: &Plan) -> Vec<BackendName> {
    let mut backends: Vec<BackendName> = Vec::new();
    for cell in &plan.cells {
        let wanted = matches!(
            cell.workload.kind(),
            WorkloadKind::Sleep | WorkloadKind::Blocking
        ) && cell.skip.is_none()
            && !cell.backend.info().blocking_modes.is_empty();
        if wanted && !backends.contains(&cell.backend) {
            backends.push(cell.backend);
        }
    }
    backends
}

/// Runs [`TRIALS`] probe trials per backend in round-robin order and summarizes each.
pub fn probe(exe: &Path, backends: &[BackendName], threads: u64) -> Vec<TimerProbe> {
    let cells: Vec<PlannedCell> = backends
        .iter()
        .map(|&backend| PlannedCell {
            backend,
            workload: Workload::Blocking(BlockingSpec::IDLE_TIMER),
            threads,
            predicted_s: Some(0.2),
            skip: None,
            timeout_s: 30,
            twin: false,
        })
        .collect();
    let mut p50s = vec![Vec::new(); cells.len()];
    let mut p99s = vec![Vec::new(); cells.len()];
    let mut failures = vec![None; cells.len()];
    for round in 0..TRIALS {
        for (i, cell) in cells.iter().enumerate() {
            let trial = run_trial(exe, cell, None, None, None, &[], round);
            match trial.record.as_ref().and_then(|r| r.ticks.as_ref()) {
                Some(ticks) if trial.ok => {
                    p50s[i].push(ticks.lateness_us.p50 as f64);
                    p99s[i].push(ticks.lateness_us.p99 as f64);
                }
                _ => failures[i] = failures[i].take().or(trial.failure),
            }
        }
    }
    cells
        .iter()
        .enumerate()
        .map(|(i, cell)| TimerProbe {
            backend: cell.backend.name().to_string(),
            p50_us: Spread::of(p50s[i].iter().copied()),
            p99_us: Spread::of(p99s[i].iter().copied()),
            trials: p50s[i].len(),
            failure: failures[i].take(),
        })
        .collect()
}
