//! `call` through an async library on the runtime itself, the labelled `async-library`
//! variant: what a team gets by switching libraries instead of placing the blocking one.
//!
//! - HTTP: the shared async client over the runtime's own `TcpStream` (the design fetch's
//!   workers use: one keep-alive connection per worker, core's HTTP/1.1 framing), on every
//!   async runtime, epoll and io_uring;
//! - PostgreSQL: `tokio-postgres` (the async driver the blocking `postgres` crate wraps),
//!   its connection a task of the runtime, on tokio only: it needs tokio's reactor;
//! - SQLite: none. The async SQLite drivers (sqlx's, tokio-rusqlite) run SQLite on
//!   threads of their own, the blocking pool by another name.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::http::{Ask, checked, path};
use super::postgres::{Query, point_sql, sum_sql};
use super::spec::counted;
use super::tally::{self, CallOutcome, Tally};
use super::{Call, CallError, CallSpec, Library};
use crate::backend::BackendError;
use crate::clock::Gate;
use crate::cores::{Local, LocalRuntime, PerCore, share};
use crate::driver;
use crate::exchange::ConnectionPool;
use crate::executor::{Executor, collect, drive};
use crate::fetch::Target;
use crate::fetch::cores::{Connection, exchange};
use crate::latencies::LatencyLog;
use crate::outcome::Outcome;
use crate::runtime::{AsyncRuntime, TaskGroup};

/// Why SQLite has no async-library cell.
pub const NO_ASYNC_SQLITE: &str = "no async SQLite library here: the async drivers (sqlx's \
     SQLite, tokio-rusqlite) run SQLite on threads of their own, the blocking pool by another \
     name";

/// Why PostgreSQL's async library runs on tokio only.
pub const TOKIO_POSTGRES_ONLY: &str = "tokio-postgres, the async PostgreSQL driver, needs \
     tokio's reactor (sqlx, which also runs on async-std, is not built here)";

/// What each worker task needs.
#[derive(Clone)]
struct Worker {
    spec: CallSpec,
    target: Arc<Target>,
    timeout: Duration,
    next: Arc<AtomicU64>,
    gate: Arc<Gate>,
    log: Arc<LatencyLog>,
}

impl Worker {
    /// The next call's id, or `None` when every call is taken.
    fn next_id(&self) -> Option<u64> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        (id < self.spec.calls).then_some(id)
    }
}

/// Runs `spec` through the async library on a shared-executor runtime.
pub fn on_executor<E: Executor>(
    executor: &E,
    spec: &CallSpec,
    target: &Target,
    timeout: Duration,
) -> Result<CallOutcome, BackendError> {
    let runtime = executor.runtime();
    let slots = spec.concurrency.min(spec.calls);
    let worker = Worker {
        spec: *spec,
        target: Arc::new(target.clone()),
        timeout,
        next: Arc::new(AtomicU64::new(0)),
        gate: Arc::new(Gate::new(slots as usize)),
        log: tally::log(spec.calls),
    };
    let log = worker.log.clone();
    drive(executor, async move {
        let mut workers = runtime.group(slots as usize);
        for _ in 0..slots {
            let (worker, runtime) = (worker.clone(), runtime.clone());
            workers.spawn(async move {
                match worker.spec.library {
                    Library::Http => http::<E::Runtime>(worker).await,
                    Library::Postgres => postgres(&runtime, worker).await,
                    Library::Sqlite => {
                        Tally::failed(Outcome::ZERO, CallError::new(0, NO_ASYNC_SQLITE))
                    }
                }
            });
        }
        let tallies: Vec<Tally> = collect(workers).await?;
        tallies.into_iter().sum::<Tally>().with_log(log)
    })
}

/// The calls one worker makes, verified, until `call` fails or none are left.
async fn calls<F, Fut>(worker: &Worker, mut call: F) -> Tally
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<Call, CallError>>,
{
    let mut outcome = Outcome::ZERO;
    while let Some(id) = worker.next_id() {
        let start = Instant::now();
        match call(id).await {
            Ok(done) => outcome += counted([done]),
            Err(err) => return Tally::failed(outcome, err),
        }
        tally::timed(&worker.log, id, start);
    }
    Tally {
        outcome,
        failed: None,
    }
}

/// HTTP on the runtime's own stream: one keep-alive connection per worker, as ureq's agent
/// keeps one, made at the first call.
async fn http<R: AsyncRuntime>(worker: Worker) -> Tally {
    let spec = worker.spec;
    let ask = Ask {
        bytes: spec.body_bytes,
        delay_ms: spec.wait_ms,
        seed: spec.seed,
    };
    let connection = ConnectionPool::<R::Stream>::default();
    worker.gate.arrive_async().await;
    let (target, timeout) = (worker.target.clone(), worker.timeout);
    calls(&worker, |id| {
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
async fn postgres<R: AsyncRuntime>(runtime: &R, worker: Worker) -> Tally {
    let spec = worker.spec;
    let opened = open_postgres(runtime, &worker).await;
    worker.gate.arrive_async().await;
    let (client, point, sum) = match opened {
        Ok(opened) => opened,
        Err(err) => return Tally::failed(Outcome::ZERO, err),
    };
    let wait_s = spec.wait_s();
    let tally = calls(&worker, |id| {
        let (client, point, sum) = (&client, &point, &sum);
        async move {
            let postgres =
                |err: tokio_postgres::Error| CallError::new(id, format!("tokio-postgres: {err}"));
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
    worker: &Worker,
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
    let slots = spec.concurrency.min(spec.calls);
    let count = cores.count();
    let worker = Worker {
        spec: *spec,
        target: Arc::new(target.clone()),
        timeout,
        next: Arc::new(AtomicU64::new(0)),
        gate: Arc::new(Gate::new(slots as usize)),
        log: tally::log(spec.calls),
    };
    let log = worker.log.clone();
    let parts = cores.scatter(move |i| {
        driver::started();
        let mine = share(slots, i, count);
        let worker = worker.clone();
        Box::pin(async move {
            let handles: Vec<_> = mine
                .map(|_| R::spawn(http_local::<R>(worker.clone())))
                .collect();
            let mut tallies = Vec::with_capacity(handles.len());
            for handle in handles {
                tallies.push(handle.await);
            }
            tallies.into_iter().sum::<Tally>()
        }) as Local<Tally>
    })?;
    parts.into_iter().sum::<Tally>().with_log(log)
}

/// HTTP on a thread-per-core runtime's own stream, one keep-alive connection per worker.
async fn http_local<R: LocalRuntime>(worker: Worker) -> Tally {
    let spec = worker.spec;
    if spec.library != Library::Http {
        return Tally::failed(Outcome::ZERO, CallError::new(0, TOKIO_POSTGRES_ONLY));
    }
    let ask = Ask {
        bytes: spec.body_bytes,
        delay_ms: spec.wait_ms,
        seed: spec.seed,
    };
    worker.gate.arrive_async().await;
    let slot: Rc<RefCell<Option<Connection<R::Stream>>>> = Rc::default();
    let (target, timeout) = (worker.target.clone(), worker.timeout);
    calls(&worker, |id| {
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
