//! Shared setup for the criterion benches in this package (`cpu.rs`, `sleep.rs`): every
//! backend, built once, outside any timed closure.

use shootout_core::{Backend, CpuSpec, Workload};

/// Worker threads for every backend: the available cores, as in `shootout run`.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Every registered backend that can run here, built with `threads` workers (a pool sized
/// for CPU work).
/// Panics if one cannot be built: a bench without one of its subjects is not worth running.
pub fn backends(threads: usize) -> Vec<Box<dyn Backend>> {
    let sizing = Workload::Cpu(CpuSpec::new(0, 1));
    shootout_registry::BACKENDS
        .iter()
        // Backends that cannot run here (no io_uring; worker processes need the shootout
        // binary) are left out, as `shootout run` skips them.
        .filter(|entry| entry.info.unavailable().is_none())
        .map(|entry| {
            (entry.build)(threads as u64, &sizing)
                .unwrap_or_else(|err| panic!("{}: {err}", entry.info.name))
        })
        .collect()
}
