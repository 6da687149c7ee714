//! The list of every backend: the one place that knows them all.

use clap::ValueEnum;
use shootout_async_std::AsyncStd;
use shootout_core::{Backend, BackendError, BackendInfo, Workload};
use shootout_crossbeam::Crossbeam;
use shootout_rayon::Rayon;
use shootout_sequential::Sequential;
use shootout_smol::Smol;
use shootout_threads::Threads;
use shootout_tokio::Tokio;

/// Every backend, by its command-line name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BackendName {
    /// tokio multi-thread runtime.
    Tokio,
    /// tokio current-thread runtime.
    TokioCt,
    /// smol executor on W threads.
    Smol,
    /// async-std (discontinued upstream).
    AsyncStd,
    /// One OS thread per task.
    Threads,
    /// Fixed thread pool fed by a crossbeam channel.
    Crossbeam,
    /// rayon thread pool.
    Rayon,
    /// Everything on one thread, in order.
    Sequential,
}

impl BackendName {
    /// Every backend, in report order.
    pub const ALL: [BackendName; 8] = [
        BackendName::Tokio,
        BackendName::TokioCt,
        BackendName::Smol,
        BackendName::AsyncStd,
        BackendName::Threads,
        BackendName::Crossbeam,
        BackendName::Rayon,
        BackendName::Sequential,
    ];

    /// Static facts about the backend.
    pub fn info(self) -> &'static BackendInfo {
        match self {
            BackendName::Tokio => &shootout_tokio::MULTI_THREAD,
            BackendName::TokioCt => &shootout_tokio::CURRENT_THREAD,
            BackendName::Smol => &shootout_smol::INFO,
            BackendName::AsyncStd => &shootout_async_std::INFO,
            BackendName::Threads => &shootout_threads::INFO,
            BackendName::Crossbeam => &shootout_crossbeam::INFO,
            BackendName::Rayon => &shootout_rayon::INFO,
            BackendName::Sequential => &shootout_sequential::INFO,
        }
    }

    /// The command-line name.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Builds the backend for `workload` with `threads` workers. The crossbeam pool is
    /// the thread-pool-for-I/O pattern in fetch, so there its size is the concurrency.
    pub fn build(
        self,
        threads: u64,
        workload: &Workload,
    ) -> Result<Box<dyn Backend>, BackendError> {
        let pool_size = match workload {
            Workload::Fetch(spec) => spec.concurrency as usize,
            // Every producer and consumer needs a worker at once, or blocked producers
            // would starve the consumers.
            Workload::Pipeline(spec) => (spec.producers + spec.consumers) as usize,
            _ => threads as usize,
        };
        let threads = threads as usize;
        Ok(match self {
            BackendName::Tokio => Box::new(Tokio::multi_thread(threads)?),
            BackendName::TokioCt => Box::new(Tokio::current_thread(threads)?),
            BackendName::Smol => Box::new(Smol::new(threads)?),
            BackendName::AsyncStd => Box::new(AsyncStd::new(threads)?),
            BackendName::Threads => Box::new(Threads),
            BackendName::Crossbeam => Box::new(Crossbeam::new(pool_size)?),
            BackendName::Rayon => Box::new(Rayon::new(threads)?),
            BackendName::Sequential => Box::new(Sequential),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_names_match_backend_names() {
        for backend in BackendName::ALL {
            let value = backend
                .to_possible_value()
                .expect("every backend is selectable");
            assert_eq!(value.get_name(), backend.name());
        }
    }
}
