//! `call` through an async library on the runtime itself, the labelled `async-library`
//! variant: what a team gets by switching libraries instead of placing the blocking one.
//!
//! - HTTP: the shared async client over the runtime's own `TcpStream` (the design fetch's
//!   workers use: one keep-alive connection per worker, core's HTTP/1.1 framing), on every
//!   async runtime, epoll and io_uring;
//! - PostgreSQL: `tokio-postgres` (the async driver the blocking `postgres` crate wraps),
//!   its connection a task of the runtime, on tokio only: it needs tokio's reactor;
//! - SQLite: none of the runtime's own: the async SQLite drivers run SQLite on threads of
//!   their own (sqlx's a thread per connection), the blocking pool by another name; sqlx's
//!   is measured as its own variant.
//!
//! The libraries users pick run as variants of their own, named: `reqwest` on tokio
//! (`reqwest_calls.rs`) and `sqlx` on tokio, smol and async-std (`sqlx_calls.rs`).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use super::http::{Ask, checked, path};
use super::postgres::{Query, point_sql, sum_sql};
use super::tally::{CallOutcome, Tally};
use super::workers::{Shared, on_local_tasks, on_tasks};
use super::{CallError, CallSpec, Library};
use super::{reqwest_calls, sqlx_calls};
use crate::backend::BackendError;
use crate::cores::{LocalRuntime, PerCore};
use crate::design::CallClient;
use crate::exchange::ConnectionPool;
use crate::executor::Executor;
use crate::fetch::Target;
use crate::fetch::cores::{Connection, exchange};
use crate::outcome::Outcome;
use crate::runtime::AsyncRuntime;

/// Why SQLite has no async-library cell.
pub const NO_ASYNC_SQLITE: &str = "no SQLite driver of the runtime's own: the async drivers \
     run SQLite on threads of their own, the blocking pool by another name (sqlx's, a thread \
     per connection, is the sqlx cell)";

/// Why PostgreSQL's async library runs on tokio only.
pub const TOKIO_POSTGRES_ONLY: &str = "tokio-postgres, the async PostgreSQL driver, needs \
     tokio's reactor (sqlx, which also runs on smol and async-std, is the sqlx cell)";

/// Why reqwest runs on tokio only.
pub const REQWEST_ON_TOKIO: &str = "reqwest runs on tokio's reactor only";

/// Where sqlx runs.
pub const SQLX_RUNTIMES: &str = "sqlx runs on tokio and on async-io's reactor (smol, \
     async-std); it has no io_uring runtime";

/// Runs `spec` through the async library on a shared-executor runtime.
pub fn on_executor<E: Executor>(
    executor: &E,
    spec: &CallSpec,
    target: &Target,
    timeout: Duration,
) -> Result<CallOutcome, BackendError> {
    let shared = Shared::new(spec, target, timeout);
    let log = shared.log.clone();
    on_tasks(executor, &shared.clone(), move |runtime| {
        let shared = shared.clone();
        async move {
            Ok(match (shared.spec.client, shared.spec.library) {
                (CallClient::Reqwest, Library::Http) => reqwest_calls::http(shared).await,
                (CallClient::Sqlx, Library::Sqlite) => sqlx_calls::sqlite(shared).await,
                (CallClient::Sqlx, Library::Postgres) => sqlx_calls::postgres(shared).await,
                (_, Library::Http) => http::<E::Runtime>(shared).await,
                (_, Library::Postgres) => postgres(&runtime, shared).await,
                (_, Library::Sqlite) => unsupported(NO_ASYNC_SQLITE),
            })
        }
    })?
    .with_log(log)
}

/// A worker whose library has no async design here: the run fails saying why (the plan
/// never asks for one: the cell's `admits` refuses it first).
pub(super) fn unsupported(why: &str) -> Tally {
    Tally::failed(Outcome::ZERO, CallError::new(0, why))
}

/// HTTP on the runtime's own stream: one keep-alive connection per worker, as ureq's agent
/// keeps one, made at the first call.
async fn http<R: AsyncRuntime>(worker: Shared) -> Tally {
    let spec = worker.spec;
    let ask = Ask {
        bytes: spec.body_bytes,
        delay_ms: spec.wait_ms,
        seed: spec.seed,
    };
    let connection = ConnectionPool::<R::Stream>::default();
    worker.gate.arrive_async().await;
    let (target, timeout) = (worker.target.clone(), worker.timeout);
    worker
        .calls(|id| {
            let request = crate::http::request(&target.host, &path(&ask, id));
            let (connection, addr) = (&connection, target.addr);
            async move {
                let exchange = connection.exchange(|| R::connect(addr), &request);
                match R::timeout(timeout, exchange).await {
                    None => Err(CallError::new(id, format!("no answer within {timeout:?}"))),
                    Some(Err(failure)) => Err(CallError::new(id, format!("{failure:?}"))),
                    Some(Ok(r)) => checked(id, &ask, r.status, r.body_len, r.body_hash),
                }
            }
        })
        .await
}

/// PostgreSQL through tokio-postgres: the connection a task of the runtime, the statements
/// prepared before the clock.
async fn postgres<R: AsyncRuntime>(runtime: &R, worker: Shared) -> Tally {
    let spec = worker.spec;
    let opened = open_postgres(runtime, &worker).await;
    worker.gate.arrive_async().await;
    let (client, point, sum) = match opened {
        Ok(opened) => opened,
        Err(err) => return Tally::failed(Outcome::ZERO, err),
    };
    let wait_s = spec.wait_s();
    let tally = worker
        .calls(|id| {
            let (client, point, sum) = (&client, &point, &sum);
            async move {
                let postgres = |err: tokio_postgres::Error| {
                    CallError::new(id, format!("tokio-postgres: {err}"))
                };
                match Query::of(id, spec.rows, spec.seed) {
                    Query::Sum { first, last } => {
                        let row = client
                            .query_one(sum, &[&first, &last, &wait_s])
                            .await
                            .map_err(postgres)?;
                        Query::check_sum(id, spec.seed, (first, last), (row.get(0), row.get(1)))
                    }
                    Query::Point { k } => {
                        let row = client
                            .query_opt(point, &[&k, &wait_s])
                            .await
                            .map_err(postgres)?;
                        Query::check_point(id, spec.seed, k, row.map(|r| r.get(0)))
                    }
                }
            }
        })
        .await;
    drop(client);
    tally
}

/// A tokio-postgres client with its two statements prepared, its connection spawned.
async fn open_postgres<R: AsyncRuntime>(
    runtime: &R,
    worker: &Shared,
) -> Result<
    (
        tokio_postgres::Client,
        tokio_postgres::Statement,
        tokio_postgres::Statement,
    ),
    CallError,
> {
    let spec = worker.spec;
    let open = |err: String| CallError::new(0, format!("opening tokio-postgres: {err}"));
    let url = worker.target.databases.postgres.as_deref();
    let url = url.ok_or_else(|| CallError::new(0, "no PostgreSQL server to call"))?;
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .map_err(|err| open(err.to_string()))?;
    runtime.spawn_detached(async move {
        // Ends when the client is dropped; an error then fails the client's next query.
        let _ = connection.await;
    });
    let point = client.prepare(&point_sql(spec.rows, spec.seed)).await;
    let sum = client.prepare(&sum_sql(spec.rows, spec.seed)).await;
    match (point, sum) {
        (Ok(point), Ok(sum)) => Ok((client, point, sum)),
        (Err(err), _) | (_, Err(err)) => Err(open(err.to_string())),
    }
}

/// Runs `spec` through the async library on thread-per-core runtimes: HTTP over each
/// runtime's own completion-based stream (PostgreSQL and SQLite have none here).
pub fn on_cores<R: LocalRuntime, C: PerCore>(
    cores: &C,
    spec: &CallSpec,
    target: &Target,
    timeout: Duration,
) -> Result<CallOutcome, BackendError> {
    let shared = Shared::new(spec, target, timeout);
    let (log, on) = (shared.log.clone(), shared.clone());
    let run = move |()| http_local::<R>(shared.clone());
    on_local_tasks::<R, C, _, _, _, _, _>(cores, &on, || async {}, run)?.with_log(log)
}

/// HTTP on a thread-per-core runtime's own stream, one keep-alive connection per worker.
async fn http_local<R: LocalRuntime>(worker: Shared) -> Tally {
    let spec = worker.spec;
    match spec.library {
        _ if spec.client == CallClient::Reqwest => return unsupported(REQWEST_ON_TOKIO),
        _ if spec.client == CallClient::Sqlx => return unsupported(SQLX_RUNTIMES),
        Library::Http => {}
        Library::Postgres => return unsupported(TOKIO_POSTGRES_ONLY),
        Library::Sqlite => return unsupported(NO_ASYNC_SQLITE),
    }
    let ask = Ask {
        bytes: spec.body_bytes,
        delay_ms: spec.wait_ms,
        seed: spec.seed,
    };
    let slot: Rc<RefCell<Option<Connection<R::Stream>>>> = Rc::default();
    let (target, timeout) = (worker.target.clone(), worker.timeout);
    worker
        .calls(|id| {
            let request = crate::http::request(&target.host, &path(&ask, id));
            let (slot, addr) = (slot.clone(), target.addr);
            async move {
                // Taken out for the exchange, put back only when it can carry another request.
                let mut connection = slot.borrow_mut().take();
                let exchanged = R::timeout(timeout, exchange::<R>(&mut connection, addr, request));
                match exchanged.await {
                    None => Err(CallError::new(id, format!("no answer within {timeout:?}"))),
                    Some(Err(failure)) => Err(CallError::new(id, format!("{failure:?}"))),
                    Some(Ok(r)) => {
                        if r.keep_alive {
                            *slot.borrow_mut() = connection;
                        }
                        checked(id, &ask, r.status, r.body_len, r.body_hash)
                    }
                }
            }
        })
        .await
}
