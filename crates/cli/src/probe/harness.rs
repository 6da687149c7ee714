//! The harness's share of memory per task: the biggest runnable sleep cell run again with
//! harness-free tasks (sleep and return nothing, count nothing; `trial --bare`), so the
//! report can state how much of each backend's memory per task is ours, not the runtime's.

use std::path::Path;

use shootout_core::results::HarnessProbe;
use shootout_core::stats::Spread;
use shootout_core::{SleepModel, SleepSpec, Workload};

use crate::backends::BackendName;
use crate::plan::Plan;
use crate::probe;

/// Trials per backend, interleaved across backends.
pub const TRIALS: u32 = 3;

/// The biggest runnable sleep cell's size and the backends whose memory per task it
/// measures (a task that is a future or a thread: async runtimes and `threads`).
pub fn plan(plan: &Plan) -> Option<(SleepSpec, Vec<BackendName>)> {
    let measured = |backend: BackendName| {
        matches!(
            backend.info().sleep_model,
            SleepModel::Async | SleepModel::ThreadPerTask
        )
    };
    let spec = plan
        .cells
        .iter()
        .filter(|c| c.skip.is_none() && measured(c.backend))
        .filter_map(|c| match &c.workload {
            Workload::Sleep(spec) => Some(*spec),
            _ => None,
        })
        .max_by_key(|spec| spec.tasks)?;
    let mut backends = Vec::new();
    for cell in &plan.cells {
        if cell.workload == Workload::Sleep(spec)
            && cell.skip.is_none()
            && measured(cell.backend)
            && !backends.contains(&cell.backend)
        {
            backends.push(cell.backend);
        }
    }
    Some((spec, backends))
}

/// Runs [`TRIALS`] harness-free trials of `spec` per backend, round-robin.
pub fn probe(
    exe: &Path,
    spec: SleepSpec,
    backends: &[BackendName],
    threads: u64,
) -> Vec<HarnessProbe> {
    let workload = Workload::Sleep(spec);
    let trials = probe::round_robin(exe, backends, &workload, threads, &["--bare"], TRIALS);
    backends
        .iter()
        .zip(trials)
        .map(|(backend, trials)| HarnessProbe {
            backend: backend.name().to_string(),
            tasks: spec.tasks,
            sleep_ms: spec.sleep_ms,
            bare_bytes_per_task: Spread::of(
                trials
                    .iter()
                    .filter(|t| t.ok)
                    .filter_map(|t| t.record.as_ref().filter(|r| r.bare))
                    .map(|r| {
                        r.peak_rss_bytes.saturating_sub(r.baseline_rss_bytes) as f64
                            / spec.tasks as f64
                    }),
            ),
            failure: probe::first_failure(&trials),
        })
        .collect()
}
