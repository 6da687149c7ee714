//! Designs: where one backend's idiom for a workload differs from the design every backend
//! shares. The shared design is what the headline cells compare (so a difference there is a
//! difference between runtimes); a backend's own idiom runs as a labelled variant next to
//! it, so users see what the idiom costs.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::workload::Workload;

/// Where the `spawn` workload's driver spawns its tasks from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpawnFrom {
    /// From a task on the runtime, as a server spawns from inside its tasks (shared design).
    #[default]
    Runtime,
    /// From the thread that called `block_on`, outside the runtime: every spawn goes through
    /// the runtime's remote queue and every join wakes a thread outside it.
    Outside,
}

/// Which channel the `pipeline` workload passes messages through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// The bounded MPMC channel every backend of a kind shares: `async-channel` for async
    /// runtimes, `crossbeam-channel` for threads and pools (shared design).
    #[default]
    Shared,
    /// The backend's own channel where it differs, e.g. tokio's mpsc with its one receiver
    /// shared by the consumers behind a mutex.
    Own,
}

/// How the `fetch` client keeps `concurrency` requests in flight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Client {
    /// `concurrency` long-lived workers (tasks or threads) each pulling the next request id
    /// (shared design).
    #[default]
    Workers,
    /// A task per request, at most `concurrency` admitted by a semaphore: the tutorials'
    /// gather + semaphore.
    TaskPerRequest,
}

/// On how many threads the `cpu` workload's jobs run, on a backend that starts a thread
/// per job (`threads`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JobThreads {
    /// W threads, each taking the next job until none is left, as every pool computes on W
    /// (shared design).
    #[default]
    Workers,
    /// A thread per job, whatever W: what `thread::spawn` per job does, and more threads
    /// than the pools get.
    PerJob,
}

/// Which library the `call` workload's calls go through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallClient {
    /// The blocking library (ureq, rusqlite, the postgres crate), placed where the backend
    /// runs blocking work (shared design).
    #[default]
    Blocking,
    /// An async library on the runtime itself: the shared async HTTP client over the
    /// runtime's own `TcpStream`, `tokio-postgres` on tokio.
    Async,
    /// `reqwest`, the HTTP client most tokio users pick (tokio only).
    Reqwest,
    /// `sqlx`, the async SQL toolkit users pick for SQLite and PostgreSQL (tokio, smol and
    /// async-std).
    Sqlx,
}

/// A labelled variant a backend runs besides the shared design.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// `spawn` from outside the runtime ([`SpawnFrom::Outside`]).
    SpawnFromOutside,
    /// `pipeline` on the backend's own channel ([`Channel::Own`]).
    OwnChannel,
    /// `fetch` with a task per request ([`Client::TaskPerRequest`]).
    TaskPerRequest,
    /// `cpu` with a thread per job ([`JobThreads::PerJob`]).
    ThreadPerJob,
    /// `call` through an async library instead of the blocking one ([`CallClient::Async`]).
    AsyncLibrary,
    /// `call` over HTTP through `reqwest` on tokio ([`CallClient::Reqwest`]).
    Reqwest,
    /// `call` to a database through `sqlx` ([`CallClient::Sqlx`]).
    Sqlx,
    /// `files` with direct I/O (`O_DIRECT`, the page cache bypassed), where the runtime's
    /// file API offers it ([`crate::files::FileIo::Direct`]).
    DirectIo,
    /// `files` through `std::fs` on the runtime's blocking pool, one hand-off per read,
    /// instead of its file API ([`crate::files::FileIo::StdOnPool`]).
    StdFsOnPool,
}

impl Variant {
    /// Every variant.
    pub const ALL: [Variant; 9] = [
        Variant::SpawnFromOutside,
        Variant::OwnChannel,
        Variant::TaskPerRequest,
        Variant::ThreadPerJob,
        Variant::AsyncLibrary,
        Variant::Reqwest,
        Variant::Sqlx,
        Variant::DirectIo,
        Variant::StdFsOnPool,
    ];

    /// The label it carries in tables, e.g. `own-channel`.
    pub fn name(self) -> &'static str {
        match self {
            Variant::SpawnFromOutside => "from-outside",
            Variant::OwnChannel => "own-channel",
            Variant::TaskPerRequest => "task-per-request",
            Variant::ThreadPerJob => "thread-per-job",
            Variant::AsyncLibrary => "async-library",
            Variant::Reqwest => "reqwest",
            Variant::Sqlx => "sqlx",
            Variant::DirectIo => "direct-io",
            Variant::StdFsOnPool => "std-fs-on-pool",
        }
    }

    /// `workload` in this variant, when it is the shared design of the variant's workload
    /// (fetch variants apply to plain fetch cells only, not to the fault scenarios).
    pub fn apply(self, workload: &Workload) -> Option<Workload> {
        workload.with_variant(self)
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl SpawnFrom {
    pub(crate) fn is_runtime(&self) -> bool {
        *self == SpawnFrom::Runtime
    }
}

impl Channel {
    pub(crate) fn is_shared(&self) -> bool {
        *self == Channel::Shared
    }
}

impl Client {
    pub(crate) fn is_workers(&self) -> bool {
        *self == Client::Workers
    }
}

impl CallClient {
    pub(crate) fn is_blocking(&self) -> bool {
        *self == CallClient::Blocking
    }

    /// Its name on the command line, e.g. `sqlx`.
    pub fn name(self) -> &'static str {
        match self {
            CallClient::Blocking => "blocking",
            CallClient::Async => "async",
            CallClient::Reqwest => "reqwest",
            CallClient::Sqlx => "sqlx",
        }
    }

    /// The variant that runs it (none for the blocking library, the shared design).
    pub fn variant(self) -> Option<Variant> {
        match self {
            CallClient::Blocking => None,
            CallClient::Async => Some(Variant::AsyncLibrary),
            CallClient::Reqwest => Some(Variant::Reqwest),
            CallClient::Sqlx => Some(Variant::Sqlx),
        }
    }
}

impl Variant {
    /// Whether it is one of `call`'s async libraries: what a team gets by switching
    /// libraries instead of placing the blocking one.
    pub fn is_async_library(self) -> bool {
        matches!(
            self,
            Variant::AsyncLibrary | Variant::Reqwest | Variant::Sqlx
        )
    }
}

impl JobThreads {
    pub(crate) fn is_workers(&self) -> bool {
        *self == JobThreads::Workers
    }
}
