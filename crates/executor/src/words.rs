//! The settings every shared-executor backend shows, written once from the names of its
//! runtime's own calls.

use shootout_core::{BackendInfo, BlockingMode, Config, Variant, mpmc};

/// A runtime's names for the calls the shared workloads make, e.g. `tokio::spawn`.
#[derive(Clone, Copy, Debug)]
pub struct Words {
    /// Spawning a task, e.g. `tokio::spawn`.
    pub spawn: &'static str,
    /// Waiting on the runtime from the calling thread, e.g. `Runtime::block_on`.
    pub block_on: &'static str,
    /// The task-group idiom, e.g. `JoinSet::spawn per task, join_next until empty`.
    pub group: &'static str,
    /// Spawning a task into the group, e.g. `JoinSet::spawn`.
    pub group_spawn: &'static str,
    /// The blocking pool, e.g. `JoinSet::spawn_blocking`.
    pub spawn_blocking: &'static str,
    /// The timer for a duration, e.g. `tokio::time::sleep`.
    pub sleep: &'static str,
    /// The timer for a deadline, e.g. `tokio::time::sleep_until`.
    pub sleep_until: &'static str,
    /// The TCP stream, e.g. `tokio::net::TcpStream`.
    pub stream: &'static str,
    /// The runtime's own channel, where it offers the `own-channel` variant.
    pub own_channel: Option<&'static str>,
    /// Its own task-per-request client; `None` for the shared one, [`shootout_core::request::detached`].
    pub per_request: Option<&'static str>,
    /// Its file API for the files workload: the whole-file read and the block read, e.g.
    /// `tokio::fs::read; tokio::fs::File seek + read_exact`.
    pub files: &'static str,
    /// Settings of its own, e.g. `("executor", "...")`.
    pub own: &'static [(&'static str, &'static str)],
}

impl Words {
    /// The settings of a backend described by `info` whose runtime has `workers` worker
    /// threads and a blocking pool of at most `blocking` threads.
    pub fn config(&self, info: &BackendInfo, workers: usize, blocking: usize) -> Config {
        let mut config = Config::from([
            (
                "driver".into(),
                format!(
                    "every workload's driver is a task spawned with {}, awaited by {}",
                    self.spawn, self.block_on
                ),
            ),
            ("spawn".into(), self.group.into()),
            ("pipeline".into(), mpmc::CHANNEL.into()),
            (
                "fetch".into(),
                format!(
                    "concurrency worker tasks ({}) pulling request ids, each with its own \
                     keep-alive {}",
                    self.spawn, self.stream
                ),
            ),
            (
                "sleep".into(),
                format!("{} in {} tasks", self.sleep, self.group_spawn),
            ),
            (
                "cpu_jobs".into(),
                format!(
                    "{} (blocking pool); placed by mode: inline = {}, rayon = the rayon pool \
                     of W threads",
                    self.spawn_blocking, self.group_spawn
                ),
            ),
            ("blocking".into(), self.blocking(info)),
            (
                "call".into(),
                format!(
                    "concurrency worker tasks ({}), each with its own connection, each call on \
                     {} (the blocking pool, max_blocking_threads sized to the calls in flight); \
                     placed by mode: inline = in the task on its worker, rayon = the rayon pool \
                     of W threads",
                    self.spawn, self.spawn_blocking
                ),
            ),
            (
                "files".into(),
                format!(
                    "concurrency worker tasks ({}), each with its own handle on the file: {}; \
                     the blocking pool sized to the operations in flight",
                    self.spawn, self.files
                ),
            ),
            ("workers".into(), workers.to_string()),
            ("max_blocking_threads".into(), blocking.to_string()),
        ]);
        if info.variants.contains(&Variant::StdFsOnPool) {
            config.insert(
                "files.std-fs-on-pool".into(),
                format!(
                    "std::fs::read (a whole file) and FileExt::read_exact_at (a block, pread on \
                     the worker's own std handle) on {}, one hand-off per read, in place of \
                     the runtime's file API",
                    self.spawn_blocking
                ),
            );
        }
        if let Some(channel) = self.own_channel {
            config.insert("pipeline.own-channel".into(), channel.into());
        }
        if info.variants.contains(&Variant::TaskPerRequest) {
            config.insert("fetch.task-per-request".into(), self.per_request());
        }
        for (key, value) in self.own {
            config.insert((*key).into(), (*value).into());
        }
        if info.variants.contains(&Variant::SpawnFromOutside) {
            config.insert(
                "spawn.from-outside".into(),
                format!(
                    "the same task group, filled and joined from {} on the calling thread",
                    self.block_on
                ),
            );
        }
        config
    }

    fn per_request(&self) -> String {
        self.per_request.map_or_else(
            || {
                format!(
                    "a detached task per request ({}), spawned when an \
                     async_lock::Semaphore(concurrency) permit frees, a shared pool of \
                     keep-alive {}",
                    self.spawn, self.stream
                )
            },
            str::to_string,
        )
    }

    fn blocking(&self, info: &BackendInfo) -> String {
        let mut words = format!(
            "tickers: {} tasks on {}; CPU jobs: inline = {} (the pitfall), offload = {}, \
             rayon = a rayon pool of W threads answering on an async_channel::bounded(1)",
            self.group_spawn, self.sleep_until, self.group_spawn, self.spawn_blocking
        );
        if info.blocking_modes.contains(&BlockingMode::BlockInPlace) {
            words.push_str(", block-in-place = task::block_in_place inside a task");
        }
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: Words = Words {
        spawn: "rt::spawn",
        block_on: "rt::block_on",
        group: "a Vec of handles",
        group_spawn: "rt::spawn",
        spawn_blocking: "rt::unblock",
        sleep: "rt::sleep",
        sleep_until: "rt::sleep_until",
        stream: "rt::TcpStream",
        own_channel: None,
        per_request: None,
        files: "rt::fs::read",
        own: &[("executor", "one")],
    };

    fn info(variants: &'static [Variant], modes: &'static [BlockingMode]) -> BackendInfo {
        BackendInfo {
            variants,
            blocking_modes: modes,
            ..crate::ASYNC_RUNTIME
        }
    }

    #[test]
    fn a_variant_is_described_only_where_offered() {
        let plain = WORDS.config(&info(&[], &BlockingMode::POOLED), 2, 2);
        assert!(!plain.contains_key("spawn.from-outside"));
        assert!(!plain.contains_key("fetch.task-per-request"));
        assert!(!plain["blocking"].contains("block_in_place"));
        assert_eq!(plain["executor"], "one");
        let every = info(
            &[Variant::SpawnFromOutside, Variant::TaskPerRequest],
            &BlockingMode::ALL,
        );
        let full = WORDS.config(&every, 2, 2);
        assert!(full["spawn.from-outside"].contains("rt::block_on"));
        assert!(full["fetch.task-per-request"].contains("detached"));
        assert!(full["blocking"].contains("block_in_place"));
    }
}
