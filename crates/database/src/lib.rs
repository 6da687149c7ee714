//! The real database server a run measures against: a throwaway PostgreSQL cluster that
//! `shootout run` starts itself where PostgreSQL's server binaries are installed (Debian's
//! `postgresql` package), as it starts the embedded HTTP server, and stops and deletes at
//! the end.
//!
//! - [`binaries`] finds the server's folder (`pg_config --bindir`, else the newest
//!   `/usr/lib/postgresql/*/bin`), or says why there is none: the run then marks the
//!   PostgreSQL cells "unavailable here", never failed.
//! - [`Cluster::start`] runs `initdb` into a fresh folder and starts `postgres` on a Unix
//!   socket in that folder only (`listen_addresses = ''`: nothing listens on the network),
//!   as the `postgres` user when run as root (PostgreSQL refuses root). The server is a
//!   child of the run that receives SIGINT (a fast shutdown) when the run dies, even by
//!   SIGKILL, so it never outlives the run.
//! - Dropping the [`Cluster`] stops the server and deletes its folder; [`sweep`] deletes
//!   the folders of clusters whose run was killed before it could.
//! - [`Scratch`] is a run's folder for the files it makes (the seeded SQLite databases),
//!   checked for space first and deleted the same way.

mod cluster;
mod find;
mod scratch;

pub use cluster::{Cluster, FOLDER_PREFIX, MAX_CONNECTIONS, sweep};
pub use find::binaries;
pub use scratch::{SCRATCH_PREFIX, Scratch, ScratchError, free_bytes, sweep_scratch};

use std::path::PathBuf;

/// For tests that need the server: whether it is installed, saying why on stderr when not.
/// Where `CI` is set (`.ci/run` installs the server) its absence panics instead, so CI never
/// passes such a test by skipping it.
pub fn installed_for_tests() -> bool {
    match binaries() {
        Ok(_) => true,
        Err(ClusterError::Unavailable(why)) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install it: {why}"
            );
            eprintln!("skipped: {why}");
            false
        }
        Err(err) => panic!("{err}"),
    }
}

/// Why no cluster could be had.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// PostgreSQL's server binaries are not on this machine: its cells are unavailable
    /// here, not failed.
    #[error("PostgreSQL's server is not installed here: {0}")]
    Unavailable(String),
    /// A step of making or starting the cluster failed.
    #[error("{step} failed: {message}")]
    Step {
        /// What was being done (`initdb`, starting `postgres`, connecting).
        step: &'static str,
        /// The error, with what the program printed.
        message: String,
    },
    /// The folder could not be made or handed to the `postgres` user.
    #[error("the cluster folder {path}: {message}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The error.
        message: String,
    },
}
