//! `call` through `sqlx`, the async SQL toolkit users pick, on the runtime it finds itself
//! on (tokio's reactor on tokio, async-io's on smol and async-std): the labelled `sqlx`
//! variant. Each worker opens its own connection before the clock, as the blocking drivers'
//! workers do, and prepares both statements on it (sqlx caches them per connection). Its
//! PostgreSQL connection is a socket on the runtime; its SQLite connection is a thread of
//! its own that runs SQLite, the task waiting on a channel: a blocking pool by another name.

use std::sync::Arc;

use async_lock::Mutex;
use sqlx::AssertSqlSafe;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgSslMode};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{Connection, Executor, Row, SqlSafeStr};

use super::postgres::{Query, point_sql, sum_sql};
use super::tally::Tally;
use super::workers::Shared;
use super::{CallError, sqlite};
use crate::outcome::Outcome;

/// SQLite: a read-only connection per worker on the run's seeded file.
pub(super) async fn sqlite(worker: Shared) -> Tally {
    let opened = open_sqlite(&worker).await;
    worker.gate.arrive_async().await;
    // Each worker's own, so never waited for: a call's query needs it mutably.
    let connection = match opened {
        Ok(connection) => Mutex::new(connection),
        Err(err) => return Tally::failed(Outcome::ZERO, err),
    };
    let spec = worker.spec;
    let tally = worker
        .calls(|id| {
            let connection = &connection;
            async move {
                let mut connection = connection.lock().await;
                let sqlx = |err: sqlx::Error| CallError::new(id, format!("sqlx: {err}"));
                match Query::of(id, spec.rows, spec.seed) {
                    Query::Sum { first, last } => {
                        let row = sqlx::query(sqlite::SUM)
                            .bind(first)
                            .bind(last)
                            .fetch_one(&mut *connection)
                            .await
                            .map_err(sqlx)?;
                        let got = (row.try_get(0).map_err(sqlx)?, row.try_get(1).map_err(sqlx)?);
                        Query::check_sum(id, spec.seed, (first, last), got)
                    }
                    Query::Point { k } => {
                        let row = sqlx::query(sqlite::POINT)
                            .bind(k)
                            .fetch_optional(&mut *connection)
                            .await
                            .map_err(sqlx)?;
                        let got = row.map(|r| r.try_get(0)).transpose().map_err(sqlx)?;
                        Query::check_point(id, spec.seed, k, got)
                    }
                }
            }
        })
        .await;
    // Closed here, on the runtime, its thread joined.
    let _ = connection.into_inner().close().await;
    tally
}

/// The worker's SQLite connection, read-only, its statements prepared.
async fn open_sqlite(worker: &Shared) -> Result<SqliteConnection, CallError> {
    let open = |err: sqlx::Error| CallError::new(0, format!("opening sqlx's SQLite: {err}"));
    let spec = worker.spec;
    let dir = worker.target.databases.sqlite_dir.as_ref();
    let dir = dir.ok_or_else(|| CallError::new(0, "no SQLite file to call"))?;
    let path = dir.join(super::sqlite_file(spec.rows, spec.seed));
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    let mut connection = SqliteConnection::connect_with(&options)
        .await
        .map_err(open)?;
    connection
        .prepare(sqlite::POINT.into_sql_str())
        .await
        .map_err(open)?;
    connection
        .prepare(sqlite::SUM.into_sql_str())
        .await
        .map_err(open)?;
    Ok(connection)
}

/// PostgreSQL: a connection per worker to the run's server.
pub(super) async fn postgres(worker: Shared) -> Tally {
    let opened = open_postgres(&worker).await;
    worker.gate.arrive_async().await;
    // Each worker's own, so never waited for: a call's query needs it mutably.
    let connection = match opened {
        Ok(connection) => Mutex::new(connection),
        Err(err) => return Tally::failed(Outcome::ZERO, err),
    };
    let spec = worker.spec;
    // Shared, not copied, by each call's query.
    let point: Arc<str> = point_sql(spec.rows, spec.seed).into();
    let sum: Arc<str> = sum_sql(spec.rows, spec.seed).into();
    let wait_s = spec.wait_s();
    let tally = worker
        .calls(|id| {
            let (connection, point, sum) = (&connection, point.clone(), sum.clone());
            async move {
                let mut connection = connection.lock().await;
                let sqlx = |err: sqlx::Error| CallError::new(id, format!("sqlx: {err}"));
                match Query::of(id, spec.rows, spec.seed) {
                    Query::Sum { first, last } => {
                        let row = sqlx::query(AssertSqlSafe(sum))
                            .bind(first)
                            .bind(last)
                            .bind(wait_s)
                            .fetch_one(&mut *connection)
                            .await
                            .map_err(sqlx)?;
                        let got = (row.try_get(0).map_err(sqlx)?, row.try_get(1).map_err(sqlx)?);
                        Query::check_sum(id, spec.seed, (first, last), got)
                    }
                    Query::Point { k } => {
                        let row = sqlx::query(AssertSqlSafe(point))
                            .bind(k)
                            .bind(wait_s)
                            .fetch_optional(&mut *connection)
                            .await
                            .map_err(sqlx)?;
                        let got = row.map(|r| r.try_get(0)).transpose().map_err(sqlx)?;
                        Query::check_point(id, spec.seed, k, got)
                    }
                }
            }
        })
        .await;
    let _ = connection.into_inner().close().await;
    tally
}

/// The worker's PostgreSQL connection, its statements prepared.
async fn open_postgres(worker: &Shared) -> Result<PgConnection, CallError> {
    let open = |err: sqlx::Error| CallError::new(0, format!("opening sqlx's PostgreSQL: {err}"));
    let spec = worker.spec;
    let url = worker.target.databases.postgres.as_deref();
    let url = url.ok_or_else(|| CallError::new(0, "no PostgreSQL server to call"))?;
    let options = pg_options(url).map_err(|err| CallError::new(0, err))?;
    let mut connection = PgConnection::connect_with(&options).await.map_err(open)?;
    let (point, sum) = (
        point_sql(spec.rows, spec.seed),
        sum_sql(spec.rows, spec.seed),
    );
    connection
        .prepare(AssertSqlSafe(point).into_sql_str())
        .await
        .map_err(open)?;
    connection
        .prepare(AssertSqlSafe(sum).into_sql_str())
        .await
        .map_err(open)?;
    Ok(connection)
}

/// sqlx's options for a connection string in either form the postgres crate reads (a URL,
/// or `key=value` pairs as the run's own cluster gives; sqlx reads URLs only).
fn pg_options(url: &str) -> Result<PgConnectOptions, String> {
    use tokio_postgres::config::Host;
    let config: tokio_postgres::Config = url
        .parse()
        .map_err(|err| format!("not a PostgreSQL connection string: {err}"))?;
    // No TLS, as the postgres crate's NoTls: the run's servers are local.
    let mut options = PgConnectOptions::new_without_pgpass().ssl_mode(PgSslMode::Disable);
    match config.get_hosts().first() {
        Some(Host::Tcp(host)) => options = options.host(host),
        Some(Host::Unix(folder)) => options = options.socket(folder),
        None => {}
    }
    if let Some(&port) = config.get_ports().first() {
        options = options.port(port);
    }
    if let Some(user) = config.get_user() {
        options = options.username(user);
    }
    if let Some(password) = config.get_password() {
        options = options.password(&String::from_utf8_lossy(password));
    }
    if let Some(dbname) = config.get_dbname() {
        options = options.database(dbname);
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_of_a_connection_string_read_alike() {
        for url in [
            "host=/tmp/cluster port=5433 user=postgres dbname=items",
            "postgresql://postgres@%2Ftmp%2Fcluster:5433/items",
        ] {
            let options = pg_options(url).unwrap();
            assert_eq!(options.get_port(), 5433, "{url}");
            assert_eq!(options.get_username(), "postgres", "{url}");
            assert_eq!(options.get_database(), Some("items"), "{url}");
            assert_eq!(
                options.get_socket(),
                Some(&std::path::PathBuf::from("/tmp/cluster")),
                "{url}"
            );
        }
        let tcp = pg_options("postgresql://me:secret@127.0.0.1:6000/db").unwrap();
        assert_eq!((tcp.get_host(), tcp.get_port()), ("127.0.0.1", 6000));
        let bad = pg_options("host='unterminated").unwrap_err();
        assert!(
            bad.starts_with("not a PostgreSQL connection string"),
            "{bad}"
        );
    }
}
