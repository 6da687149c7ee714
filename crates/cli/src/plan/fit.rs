//! Sizing a cell to a backend: requests in flight, the fitted sample of a latency cell,
//! the predicted trial time and the trial timeout.

use shootout_core::Workload;

use super::profile::Cell;
use crate::backends::BackendName;

/// The shortest trial a fitted custom fetch cell is sized for: long enough that a sample of
/// a few requests per worker still gives a p99.
pub(super) const CUSTOM_FIT_S: f64 = 1.0;

/// How many requests or tasks `backend` keeps in flight at once in `workload`.
pub fn in_flight(backend: BackendName, workload: &Workload, threads: u64) -> u64 {
    workload.in_flight(backend.info(), threads)
}

/// Pairs each of a profile's cells with the run's worker threads; a cell that sweeps them
/// (the full profile's main cpu cell, for the parallel-efficiency chart) also runs at every
/// other count from 1 to the cores.
pub(super) fn with_threads<'a>(
    cells: impl Iterator<Item = &'a Cell>,
    threads: u64,
) -> Vec<(Workload, u64, Option<f64>)> {
    let mut planned = Vec::new();
    for cell in cells {
        if cell.sweep_threads {
            let cores = crate::machine::available_cores();
            for t in (1..=cores.max(threads)).filter(|&t| t != threads) {
                planned.push((cell.workload.clone(), t, cell.fit_s));
            }
        }
        planned.push((cell.workload.clone(), threads, cell.fit_s));
    }
    planned
}

/// The predicted wall time of one trial of `workload` on `backend`, where its time is
/// waiting (sleep, fetch latency, a pace); none where it is the machine's own work.
pub(super) fn predict(backend: BackendName, workload: &Workload, threads: u64) -> Option<f64> {
    workload.predict_s(in_flight(backend, workload, threads))
}

/// A profile's cell sized for `backend`: a latency cell with fewer requests for a backend
/// that keeps fewer in flight, so that it takes about `fit_s` per trial instead of being
/// skipped.
pub(super) fn fit(backend: BackendName, workload: &Workload, threads: u64, fit_s: f64) -> Workload {
    workload.fit(in_flight(backend, workload, threads), fit_s)
}
