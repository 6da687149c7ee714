//! The idle timer probe: each backend's own timer lateness with nothing else running
//! ([`shootout_core::workloads::idle_timer`]), measured in every run that has cells shown
//! net of it ([`shootout_core::WorkloadKind::net_of_timer`]: sleep and blocking),
//! so the report can show those figures both raw and net of the timer's granularity.

use std::path::Path;

use shootout_core::results::TimerProbe;
use shootout_core::stats::Spread;

use crate::backends::BackendName;
use crate::plan::Plan;
use crate::probe;

/// Trials per backend, interleaved across backends: six, so that the timer finding can
/// decide (three against three never reaches 5%).
pub const TRIALS: u32 = 6;

/// The backends to probe: those of the plan's runnable cells shown net of the timer that have
/// timers of their own to wake a ticker (`info().blocking_modes` is not empty; the others
/// sleep with `std::thread::sleep`, which `threads` probes).
pub fn backends(plan: &Plan) -> Vec<BackendName> {
    let mut backends: Vec<BackendName> = Vec::new();
    for cell in &plan.cells {
        let wanted = cell.workload.kind().net_of_timer()
            && cell.skip.is_none()
            && !cell.backend.info().blocking_modes.is_empty();
        if wanted && !backends.contains(&cell.backend) {
            backends.push(cell.backend);
        }
    }
    backends
}

/// Runs [`TRIALS`] probe trials per backend in round-robin order and summarizes each.
pub fn probe(exe: &Path, backends: &[BackendName], threads: u64) -> Vec<TimerProbe> {
    let workload = shootout_core::workloads::idle_timer();
    let trials = probe::round_robin(exe, backends, &workload, threads, &[], TRIALS);
    backends
        .iter()
        .zip(trials)
        .map(|(backend, trials)| {
            let ticks: Vec<_> = trials
                .iter()
                .filter(|t| t.ok)
                .filter_map(|t| t.record.as_ref()?.ticks.as_ref())
                .collect();
            TimerProbe {
                backend: backend.name().to_string(),
                p50_us: Spread::of(ticks.iter().map(|t| t.lateness_us.p50 as f64)),
                p99_us: Spread::of(ticks.iter().map(|t| t.lateness_us.p99 as f64)),
                trials: ticks.len(),
                p50_trials_us: ticks.iter().map(|t| t.lateness_us.p50 as f64).collect(),
                p99_trials_us: ticks.iter().map(|t| t.lateness_us.p99 as f64).collect(),
                failure: probe::first_failure(&trials),
            }
        })
        .collect()
}
