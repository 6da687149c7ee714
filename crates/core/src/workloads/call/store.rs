//! The seeded data a run makes before its trials, and removes after: a SQLite file in the
//! run's scratch folder, a table on the PostgreSQL server, one per rows and seed; and the
//! `files` workload's file sets in its folder of them.

use std::fs;

use super::{Databases, SetupError, postgres, sqlite, sqlite_file};

/// A seeded database (or file set) a cell reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Store {
    /// A SQLite file of `rows` rows from `seed`.
    Sqlite {
        /// Rows.
        rows: u64,
        /// Seed.
        seed: u64,
    },
    /// A PostgreSQL table of `rows` rows from `seed`.
    Postgres {
        /// Rows.
        rows: u64,
        /// Seed.
        seed: u64,
    },
    /// A `files` workload's file set.
    Files(crate::files::SetKey),
}

impl Store {
    /// The disk it takes, bytes, rounded up (SQLite: about 30 bytes a row; PostgreSQL's
    /// table and index: about 80).
    pub fn bytes(self) -> u64 {
        match self {
            Store::Sqlite { rows, .. } => (1 << 20) + rows * 32,
            Store::Postgres { rows, .. } => (8 << 20) + rows * 96,
            // Each file a whole number of 4 KiB blocks, and a block per folder of files.
            Store::Files(key) => {
                (1 << 20)
                    + key
                        .files
                        .saturating_mul(key.file_bytes.next_multiple_of(4096) + 64)
            }
        }
    }

    /// Makes it in `databases` (a file already there is kept: made by this run).
    pub fn make(self, databases: &Databases) -> Result<(), SetupError> {
        match self {
            Store::Sqlite { rows, seed } => {
                let dir = databases.sqlite_dir.as_ref().ok_or_else(no_folder)?;
                let path = dir.join(sqlite_file(rows, seed));
                if path.exists() {
                    return Ok(());
                }
                // Made under another name and renamed: a file left half-made by a failure
                // never passes for a seeded one.
                let part = dir.join(format!("{}.part", sqlite_file(rows, seed)));
                let _ = fs::remove_file(&part);
                sqlite::create(&part, rows, seed)?;
                fs::rename(&part, &path)?;
                Ok(())
            }
            Store::Postgres { rows, seed } => {
                let url = databases.postgres.as_ref().ok_or_else(no_server)?;
                let mut client = ::postgres::Client::connect(url, ::postgres::NoTls)?;
                postgres::create(&mut client, rows, seed)
            }
            Store::Files(key) => {
                let dir = databases.files_dir.as_ref().ok_or_else(no_files_folder)?;
                crate::files::FileSet::make(dir, key)?;
                Ok(())
            }
        }
    }

    /// Removes it from `databases`, where it is.
    pub fn remove(self, databases: &Databases) -> Result<(), SetupError> {
        match self {
            Store::Sqlite { rows, seed } => {
                if let Some(dir) = &databases.sqlite_dir {
                    let _ = fs::remove_file(dir.join(sqlite_file(rows, seed)));
                }
                Ok(())
            }
            Store::Postgres { rows, seed } => {
                let url = databases.postgres.as_ref().ok_or_else(no_server)?;
                let mut client = ::postgres::Client::connect(url, ::postgres::NoTls)?;
                postgres::drop_table(&mut client, rows, seed)
            }
            Store::Files(key) => {
                if let Some(dir) = &databases.files_dir {
                    let _ = crate::files::FileSet::under(dir, key).remove();
                }
                Ok(())
            }
        }
    }
}

/// Checks that `url` reads as a PostgreSQL connection string (`host=… user=…` or
/// `postgresql://user@host/db`), without connecting.
pub fn check_postgres_url(url: &str) -> Result<(), String> {
    url.parse::<::postgres::Config>()
        .map(|_| ())
        .map_err(|err| format!("not a PostgreSQL connection string: {err}"))
}

fn no_folder() -> SetupError {
    SetupError("no scratch folder for the SQLite file".into())
}

fn no_files_folder() -> SetupError {
    SetupError("no folder for the file sets".into())
}

fn no_server() -> SetupError {
    SetupError("no PostgreSQL server".into())
}
