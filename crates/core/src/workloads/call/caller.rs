//! One worker's caller of whichever library a spec names: the seam the family designs run
//! calls through, so a design never names a library.

use std::path::PathBuf;
use std::time::Duration;

use super::http::{Ask, HttpCaller};
use super::postgres::PostgresCaller;
use super::sqlite::SqliteCaller;
use super::{Call, CallError, CallSpec, Library};
use crate::fetch::Target;

/// Where a run's library finds its server or file: the embedded HTTP server, the seeded
/// SQLite file, the PostgreSQL connection string. A run fills the one its library needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// The HTTP server.
    pub http: Option<Target>,
    /// The SQLite file.
    pub sqlite: Option<PathBuf>,
    /// The PostgreSQL connection string.
    pub postgres: Option<String>,
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
    /// Opens a connection for `spec` at `place`; each HTTP call gives up after `timeout`.
    pub fn open(spec: &CallSpec, place: &Place, timeout: Duration) -> Result<Caller, CallError> {
        let missing = |what: &str| CallError::new(0, format!("no {what} to call"));
        let open =
            |err: String| CallError::new(0, format!("opening {}: {err}", spec.library.name()));
        Ok(match spec.library {
            Library::Http => {
                let target = place.http.as_ref().ok_or_else(|| missing("HTTP server"))?;
                let ask = Ask {
                    bytes: spec.body_bytes,
                    delay_ms: spec.wait_ms,
                    seed: spec.seed,
                };
                Caller::Http(Box::new(HttpCaller::new(target, ask, timeout)))
            }
            Library::Sqlite => {
                let path = place
                    .sqlite
                    .as_ref()
                    .ok_or_else(|| missing("SQLite file"))?;
                let caller = SqliteCaller::open(path, spec.rows, spec.seed);
                Caller::Sqlite(Box::new(caller.map_err(|err| open(err.to_string()))?))
            }
            Library::Postgres => {
                let url = place
                    .postgres
                    .as_ref()
                    .ok_or_else(|| missing("PostgreSQL server"))?;
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
        };
        let err = Caller::open(&spec, &Place::default(), Duration::from_secs(1)).err();
        assert_eq!(err.unwrap().message, "no PostgreSQL server to call");
        let refused = Place {
            postgres: Some("host=/nonexistent port=5432 user=postgres".into()),
            ..Place::default()
        };
        let err = Caller::open(&spec, &refused, Duration::from_secs(1)).err();
        assert!(err.unwrap().message.starts_with("opening postgres: "));
    }
}
