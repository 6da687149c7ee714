//! The databases a run's `call` cells read and the file sets its `files` cells read, made
//! before any trial and removed at the end: the seeded SQLite files and the file sets each in
//! a scratch folder (its space checked first; the file sets under `--dir` where given), and
//! the seeded PostgreSQL tables in a throwaway cluster the run starts itself where the server is
//! installed, or on the server `--postgres` names. A trial run alone makes its own the
//! same way. Dropping them removes everything (also after Ctrl-C, which ends a run
//! through its normal end; a cluster's server dies with a killed run, and the next run
//! sweeps what a killed one left).

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, Result};
use shootout_core::Workload;
use shootout_core::call::{Databases, Store};
use shootout_database::{Cluster, ClusterError, Scratch};

/// What a run made, and where its trials find it.
pub struct RunDatabases {
    /// Where the trials find the databases.
    pub databases: Databases,
    /// The tables and files made, removed at the end.
    made: Vec<Store>,
    /// The SQLite files' folder.
    _scratch: Option<Scratch>,
    /// The file sets' folder.
    _files: Option<Scratch>,
    /// The run's own PostgreSQL server.
    cluster: Option<Cluster>,
}

/// The databases, and why PostgreSQL cells cannot run here where they cannot.
pub struct Prepared {
    /// What was made.
    pub made: RunDatabases,
    /// Why the PostgreSQL cells are unavailable here (the server is not installed).
    pub postgres_unavailable: Option<String>,
}

impl RunDatabases {
    /// Makes every database and file set `workloads` read, under `parent` (the scratch
    /// folder and the cluster's; the file sets under `files_parent` where given), on the
    /// server at `postgres` where given.
    pub fn prepare<'w>(
        workloads: impl IntoIterator<Item = &'w Workload>,
        parent: &Path,
        files_parent: Option<&Path>,
        postgres: Option<&str>,
    ) -> Result<Prepared> {
        let stores: BTreeSet<Store> = workloads.into_iter().filter_map(Workload::store).collect();
        let files_bytes: u64 = stores
            .iter()
            .filter(|s| matches!(s, Store::Files(_)))
            .map(|s| s.bytes())
            .sum();
        let files_parent = files_parent.unwrap_or(parent);
        let files = (files_bytes > 0)
            .then(|| Scratch::make(files_parent, files_bytes))
            .transpose()
            .with_context(|| {
                format!(
                    "the folder for the file sets, in {}",
                    files_parent.display()
                )
            })?;
        let sqlite_bytes: u64 = stores
            .iter()
            .filter(|s| matches!(s, Store::Sqlite { .. }))
            .map(|s| s.bytes())
            .sum();
        let scratch = (sqlite_bytes > 0)
            .then(|| Scratch::make(parent, sqlite_bytes))
            .transpose()
            .context("the scratch folder for the SQLite databases")?;
        let wants_postgres = stores.iter().any(|s| matches!(s, Store::Postgres { .. }));
        let (cluster, url, unavailable) = match (wants_postgres, postgres) {
            (false, _) => (None, None, None),
            (true, Some(url)) => (None, Some(url.to_string()), None),
            (true, None) => match Cluster::start(parent) {
                Ok(cluster) => {
                    let url = cluster.url();
                    (Some(cluster), Some(url), None)
                }
                Err(ClusterError::Unavailable(why)) => (None, None, Some(why)),
                // Its cells fail, each saying there was no server to call.
                Err(err) => {
                    eprintln!(
                        "warning: starting the run's PostgreSQL cluster: {err}; its cells will \
                         fail"
                    );
                    (None, None, None)
                }
            },
        };
        let databases = Databases {
            sqlite_dir: scratch.as_ref().map(|s| s.dir().to_path_buf()),
            postgres: url,
            files_dir: files.as_ref().map(|s| s.dir().to_path_buf()),
        };
        let mut made = RunDatabases {
            databases,
            made: Vec::new(),
            _scratch: scratch,
            _files: files,
            cluster,
        };
        // A database that cannot be made fails its cells' trials, each naming what the
        // library said; the rest of the run goes on.
        for store in stores {
            let skipped = matches!(store, Store::Postgres { .. }) && unavailable.is_some();
            if skipped {
                continue;
            }
            match store.make(&made.databases) {
                Ok(()) => made.made.push(store),
                Err(err) => eprintln!(
                    "warning: making the seeded database {store:?}: {err}; its cells will fail"
                ),
            }
        }
        Ok(Prepared {
            made,
            postgres_unavailable: unavailable,
        })
    }

    /// The flags that hand a trial these databases.
    pub fn trial_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(dir) = &self.databases.sqlite_dir {
            args.extend(["--sqlite-dir".to_string(), dir.display().to_string()]);
        }
        if let Some(url) = &self.databases.postgres {
            args.extend(["--postgres".to_string(), url.clone()]);
        }
        if let Some(dir) = &self.databases.files_dir {
            args.extend(["--files-dir".to_string(), dir.display().to_string()]);
        }
        args
    }
}

impl Drop for RunDatabases {
    // The run's own cluster and folder go whole (dropped after this); on a server of the
    // user's, the tables the run made are dropped.
    fn drop(&mut self) {
        if self.cluster.is_some() {
            return;
        }
        for store in &self.made {
            if let Err(err) = store.remove(&self.databases) {
                eprintln!("warning: removing the seeded database {store:?}: {err}");
            }
        }
    }
}
