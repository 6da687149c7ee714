//! Shared setup for the criterion benches in this package (`cpu.rs`, `sleep.rs`): every
//! backend, built once, outside any timed closure.

use shootout_core::Backend;

/// Worker threads for every backend: the available cores, as in `shootout run`.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Every backend, built with `threads` workers. Panics if one cannot be built: a bench
/// without one of its subjects is not worth running.
pub fn backends(threads: usize) -> Vec<Box<dyn Backend>> {
    vec![
        Box::new(shootout_tokio::Tokio::multi_thread(threads).expect("tokio")),
        Box::new(shootout_tokio::Tokio::current_thread(threads).expect("tokio-ct")),
        Box::new(shootout_smol::Smol::new(threads).expect("smol")),
        Box::new(shootout_async_std::AsyncStd::new(threads).expect("async-std")),
        Box::new(shootout_threads::Threads),
        Box::new(shootout_crossbeam::Crossbeam::new(threads).expect("crossbeam")),
        Box::new(shootout_rayon::Rayon::new(threads).expect("rayon")),
        Box::new(shootout_sequential::Sequential),
    ]
}
