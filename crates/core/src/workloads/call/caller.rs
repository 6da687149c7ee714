//! One worker's caller of whichever library a spec names: the seam the family designs run
//! calls through, so a design never names a library.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::http::{Ask, HttpCaller};
use super::postgres::PostgresCaller;
use super::sqlite::SqliteCaller;
use super::{Call, CallError, CallSpec, Library};
use crate::fetch::Target;

/// Where a run's databases are: the folder of its seeded SQLite files and the PostgreSQL
/// server holding its seeded tables, each named by its rows and seed ([`sqlite_file`],
/// [`table`]), so that cells of other sizes find their own.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Databases {
    /// The folder of the SQLite files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sqlite_dir: Option<PathBuf>,
    /// The PostgreSQL connection string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres: Option<String>,
    /// The folder of the `files` workload's file sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_dir: Option<PathBuf>,
}

/// The SQLite file of `rows` rows from `seed`, in a run's folder of them.
pub fn sqlite_file(rows: u64, seed: u64) -> String {
    format!("items-{rows}-{seed}.sqlite")
}

/// The PostgreSQL table of `rows` rows from `seed`.
pub fn table(rows: u64, seed: u64) -> String {
    format!("shootout_items_{rows}_{seed}")
}

/// A worker's connection through the spec's library.
pub enum Caller {
    /// `ureq`.
    Http(Box<HttpCaller>),
    /// `rusqlite`.
    Sqlite(Box<SqliteCaller>),
    /// `postgres`.
    Postgres(Box<PostgresCaller>),
}

impl Caller {
    /// Opens a connection for `spec` to `target`'s server or databases; each HTTP call gives
    /// up after `timeout`.
    pub fn open(spec: &CallSpec, target: &Target, timeout: Duration) -> Result<Caller, CallError> {
        let missing = |what: &str| CallError::new(0, format!("no {what} to call"));
        let open =
            |err: String| CallError::new(0, format!("opening {}: {err}", spec.library.name()));
        Ok(match spec.library {
            Library::Http => {
                let ask = Ask {
                    bytes: spec.body_bytes,
                    delay_ms: spec.wait_ms,
                    seed: spec.seed,
                };
                Caller::Http(Box::new(HttpCaller::new(target, ask, timeout)))
            }
            Library::Sqlite => {
                let dir = target.databases.sqlite_dir.as_ref();
                let path = dir.ok_or_else(|| missing("SQLite file"))?;
                let path = path.join(sqlite_file(spec.rows, spec.seed));
                let caller = SqliteCaller::open(&path, spec.rows, spec.seed);
                Caller::Sqlite(Box::new(caller.map_err(|err| open(err.to_string()))?))
            }
            Library::Postgres => {
                let url = target.databases.postgres.as_ref();
                let url = url.ok_or_else(|| missing("PostgreSQL server"))?;
                let caller = PostgresCaller::connect(url, spec.rows, spec.seed, spec.wait_ms);
                Caller::Postgres(Box::new(caller.map_err(|err| open(err.to_string()))?))
            }
        })
    }

    /// Makes call `id`, verified.
    pub fn call(&mut self, id: u64) -> Result<Call, CallError> {
        match self {
            Caller::Http(caller) => caller.call(id),
            Caller::Sqlite(caller) => caller.call(id),
            Caller::Postgres(caller) => caller.call(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_without_the_librarys_server_is_a_clear_error() {
        let spec = CallSpec {
            library: Library::Postgres,
            calls: 1,
            concurrency: 1,
            wait_ms: 0,
            body_bytes: 0,
            rows: 10,
            seed: 1,
            mode: None,
            client: crate::design::CallClient::Blocking,
            tick_us: 0,
            sampled_from: None,
        };
        let nowhere = Target::embedded(([127, 0, 0, 1], 9).into());
        let err = Caller::open(&spec, &nowhere, Duration::from_secs(1)).err();
        assert_eq!(err.unwrap().message, "no PostgreSQL server to call");
        let refused = nowhere.with_databases(Databases {
            postgres: Some("host=/nonexistent port=5432 user=postgres".into()),
            ..Databases::default()
        });
        let err = Caller::open(&spec, &refused, Duration::from_secs(1)).err();
        assert!(err.unwrap().message.starts_with("opening postgres: "));
    }
}
