//! PostgreSQL through the `postgres` crate, the blocking driver (it runs its own small tokio
//! runtime inside; to the caller a query blocks): a table made from a seed, then the calls
//! of [`super::sqlite`], each able to wait `wait_ms` on the server (`pg_sleep`) so that a
//! call is I/O-bound as a real one is. Every answer is checked against the seed's value.

use postgres::{Client, NoTls, Statement};

use super::caller::table;
use super::{Call, CallError, SetupError, aggregates, expected_sum, key, range, value};

/// Makes the table of `rows` rows from `seed` ([`table`], replacing one there), copied in
/// one `COPY`.
pub fn create(client: &mut Client, rows: u64, seed: u64) -> Result<(), SetupError> {
    use std::io::Write;
    let items = table(rows, seed);
    client.batch_execute(&format!(
        "DROP TABLE IF EXISTS {items};
         CREATE TABLE {items} (k bigint PRIMARY KEY, v bigint NOT NULL);"
    ))?;
    let mut copy = client.copy_in(&format!("COPY {items} (k, v) FROM STDIN"))?;
    let mut text = String::with_capacity(64 * 1024);
    for k in 0..rows {
        text.push_str(&format!("{k}\t{}\n", value(seed, k)));
        if text.len() > 60 * 1024 || k + 1 == rows {
            copy.write_all(text.as_bytes())?;
            text.clear();
        }
    }
    copy.finish()?;
    client.batch_execute(&format!("ANALYZE {items}"))?;
    Ok(())
}

/// Drops the table of `rows` rows from `seed`, where it is.
pub fn drop_table(client: &mut Client, rows: u64, seed: u64) -> Result<(), SetupError> {
    let items = table(rows, seed);
    client.batch_execute(&format!("DROP TABLE IF EXISTS {items}"))?;
    Ok(())
}

/// The point lookup of the table of `rows` rows from `seed`: `$1` the key, `$2` the
/// server's wait, seconds (pg_sleep's column, void, is never read: it only makes the query
/// wait).
pub fn point_sql(rows: u64, seed: u64) -> String {
    let items = table(rows, seed);
    format!("SELECT v, pg_sleep($2) FROM {items} WHERE k = $1")
}

/// The aggregate over keys `$1..=$2` of the same table, waiting `$3` seconds.
pub fn sum_sql(rows: u64, seed: u64) -> String {
    let items = table(rows, seed);
    format!("SELECT count(*), sum(v)::bigint, pg_sleep($3) FROM {items} WHERE k BETWEEN $1 AND $2")
}

/// What call `id` asks of a table of `rows` rows from `seed`, and checks of the answer:
/// shared by the blocking driver and the async one.
#[derive(Clone, Copy, Debug)]
pub enum Query {
    /// A point lookup of key `k`.
    Point {
        /// The key.
        k: i64,
    },
    /// Count and sum of keys `first..=last`.
    Sum {
        /// The first key.
        first: i64,
        /// The last key.
        last: i64,
    },
}

impl Query {
    /// What call `id` asks.
    pub fn of(id: u64, rows: u64, seed: u64) -> Query {
        let k = key(seed, id, rows);
        if aggregates(id) {
            let keys = range(k, rows);
            Query::Sum {
                first: *keys.start() as i64,
                last: *keys.end() as i64,
            }
        } else {
            Query::Point { k: k as i64 }
        }
    }

    /// Checks a point lookup's value (`None`: no row).
    pub fn check_point(id: u64, seed: u64, k: i64, got: Option<i64>) -> Result<Call, CallError> {
        let fail = |message: String| CallError::new(id, message);
        let got = got.ok_or_else(|| fail(format!("key {k}: no row")))?;
        let expected = value(seed, k as u64);
        if got != expected {
            return Err(fail(format!("key {k}: {got}, expected {expected}")));
        }
        Ok(Call::of(id))
    }

    /// Checks an aggregate's count and sum over `first..=last`.
    pub fn check_sum(
        id: u64,
        seed: u64,
        (first, last): (i64, i64),
        got: (i64, i64),
    ) -> Result<Call, CallError> {
        let expected = expected_sum(seed, first as u64..=last as u64);
        if got != expected {
            return Err(CallError::new(
                id,
                format!(
                    "keys {first}..={last}: {} rows summing to {}, expected {} summing to {}",
                    got.0, got.1, expected.0, expected.1
                ),
            ));
        }
        Ok(Call::of(id))
    }
}

/// One worker's connection, with its statements prepared.
pub struct PostgresCaller {
    client: Client,
    point: Statement,
    sum: Statement,
    rows: u64,
    seed: u64,
    wait_s: f64,
}

impl PostgresCaller {
    /// Connects with `config` (a connection string) to a database holding the table
    /// [`create`] made with `rows` and `seed`; each call waits `wait_ms` on the server.
    pub fn connect(
        config: &str,
        rows: u64,
        seed: u64,
        wait_ms: u64,
    ) -> Result<PostgresCaller, postgres::Error> {
        let mut client = Client::connect(config, NoTls)?;
        let point = client.prepare(&point_sql(rows, seed))?;
        let sum = client.prepare(&sum_sql(rows, seed))?;
        Ok(PostgresCaller {
            client,
            point,
            sum,
            rows,
            seed,
            wait_s: wait_ms as f64 / 1e3,
        })
    }

    /// Makes call `id`: its answer must be the seed's value (or count and sum) exactly.
    pub fn call(&mut self, id: u64) -> Result<Call, CallError> {
        let postgres = |err: postgres::Error| CallError::new(id, format!("postgres: {err}"));
        match Query::of(id, self.rows, self.seed) {
            Query::Sum { first, last } => {
                let row = self
                    .client
                    .query_one(&self.sum, &[&first, &last, &self.wait_s])
                    .map_err(postgres)?;
                Query::check_sum(id, self.seed, (first, last), (row.get(0), row.get(1)))
            }
            Query::Point { k } => {
                let row = self
                    .client
                    .query_opt(&self.point, &[&k, &self.wait_s])
                    .map_err(postgres)?;
                Query::check_point(id, self.seed, k, row.map(|r| r.get(0)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use shootout_database::Cluster;

    use super::*;

    /// A cluster with the table made from `seed`, or `None` where PostgreSQL is not
    /// installed ([`shootout_database::installed_for_tests`]).
    fn seeded(rows: u64, seed: u64) -> Option<Cluster> {
        if !shootout_database::installed_for_tests() {
            return None;
        }
        let cluster = Cluster::start(&std::env::temp_dir()).unwrap();
        create(&mut cluster.connect().unwrap(), rows, seed).unwrap();
        Some(cluster)
    }

    #[test]
    fn calls_read_the_seeds_answers_and_wait_on_the_server() {
        let Some(cluster) = seeded(1_000, 7) else {
            return;
        };
        let mut caller = PostgresCaller::connect(&cluster.url(), 1_000, 7, 0).unwrap();
        for id in 0..200 {
            assert_eq!(caller.call(id), Ok(Call::of(id)), "call {id}");
        }
        let mut waiting = PostgresCaller::connect(&cluster.url(), 1_000, 7, 20).unwrap();
        let started = Instant::now();
        for id in 0..5 {
            assert_eq!(waiting.call(id), Ok(Call::of(id)));
        }
        assert!(
            started.elapsed() >= Duration::from_millis(100),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_wrong_row_or_a_server_gone_fails_the_call() {
        let Some(cluster) = seeded(100, 3) else {
            return;
        };
        let id = (0..).find(|&id| !aggregates(id)).unwrap();
        let k = key(3, id, 100);
        cluster
            .connect()
            .unwrap()
            .execute(
                &format!("UPDATE {} SET v = v + 1 WHERE k = $1", table(100, 3)),
                &[&(k as i64)],
            )
            .unwrap();
        let mut caller = PostgresCaller::connect(&cluster.url(), 100, 3, 0).unwrap();
        let err = caller.call(id).unwrap_err();
        assert!(err.message.starts_with(&format!("key {k}: ")), "{err}");
        let sum = (0..)
            .find(|&id| aggregates(id) && range(key(3, id, 100), 100).contains(&k))
            .unwrap();
        assert!(caller.call(sum).unwrap_err().message.contains("summing to"));
        drop(cluster);
        assert!(
            caller
                .call(0)
                .unwrap_err()
                .message
                .starts_with("postgres: ")
        );
    }
}
