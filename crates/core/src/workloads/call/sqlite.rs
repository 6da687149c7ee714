//! SQLite through `rusqlite`: a database file made from a seed (the table of
//! [`super::value`]), then calls that read it as a service does: a point lookup by key, and
//! every eighth call an aggregate over a range of keys. Every answer is checked against the
//! value the seed gives.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, params};

use super::{Call, CallError, SetupError, aggregates, key, value};

/// Makes the database at `path` (which must not exist): `rows` rows from `seed`, in one
/// transaction, the keys the table's primary key.
pub fn create(path: &Path, rows: u64, seed: u64) -> Result<(), SetupError> {
    let mut db = Connection::open(path)?;
    db.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE TABLE items (k INTEGER PRIMARY KEY, v INTEGER NOT NULL);",
    )?;
    let transaction = db.transaction()?;
    {
        let mut insert = transaction.prepare("INSERT INTO items (k, v) VALUES (?1, ?2)")?;
        for k in 0..rows {
            insert.execute(params![k as i64, value(seed, k)])?;
        }
    }
    transaction.commit()?;
    Ok(())
}

/// One worker's read-only connection to a seeded database, with its two statements
/// prepared.
pub struct SqliteCaller {
    db: Connection,
    rows: u64,
    seed: u64,
}

impl SqliteCaller {
    /// Opens the database at `path`, made by [`create`] with `rows` and `seed`, read-only.
    pub fn open(path: &Path, rows: u64, seed: u64) -> Result<SqliteCaller, rusqlite::Error> {
        let db = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Prepared once here, so a call finds them in the connection's cache.
        db.prepare_cached(POINT)?;
        db.prepare_cached(SUM)?;
        Ok(SqliteCaller { db, rows, seed })
    }

    /// Makes call `id`: its answer must be the seed's value (or sum of values) exactly.
    pub fn call(&self, id: u64) -> Result<Call, CallError> {
        let fail = |message: String| CallError::new(id, message);
        let sqlite = |err: rusqlite::Error| fail(format!("sqlite: {err}"));
        let k = key(self.seed, id, self.rows);
        if aggregates(id) {
            let keys = super::range(k, self.rows);
            let (first, last) = (*keys.start(), *keys.end());
            let got: (i64, i64) = self
                .db
                .prepare_cached(SUM)
                .map_err(sqlite)?
                .query_row(params![first as i64, last as i64], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .map_err(sqlite)?;
            let expected = super::expected_sum(self.seed, keys);
            if got != expected {
                return Err(fail(format!(
                    "keys {first}..={last}: {} rows summing to {}, expected {} summing to {}",
                    got.0, got.1, expected.0, expected.1
                )));
            }
        } else {
            let got: i64 = self
                .db
                .prepare_cached(POINT)
                .map_err(sqlite)?
                .query_row(params![k as i64], |row| row.get(0))
                .map_err(sqlite)?;
            if got != value(self.seed, k) {
                return Err(fail(format!(
                    "key {k}: {got}, expected {}",
                    value(self.seed, k)
                )));
            }
        }
        Ok(Call::of(id))
    }
}

/// The point lookup.
pub(super) const POINT: &str = "SELECT v FROM items WHERE k = ?1";

/// The aggregate.
pub(super) const SUM: &str = "SELECT count(*), sum(v) FROM items WHERE k BETWEEN ?1 AND ?2";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::RANGE;

    /// A seeded database in a folder of its own, removed at the end.
    fn made(rows: u64, seed: u64) -> (std::path::PathBuf, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "shootout-sqlite-test-{}-{rows}-{seed}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("items.sqlite");
        let _ = std::fs::remove_file(&path);
        create(&path, rows, seed).unwrap();
        (dir, path)
    }

    #[test]
    fn every_call_reads_the_seeds_answer() {
        let (dir, path) = made(1_000, 7);
        let caller = SqliteCaller::open(&path, 1_000, 7).unwrap();
        for id in 0..200 {
            assert_eq!(caller.call(id), Ok(Call::of(id)), "call {id}");
        }
        // Keys near the end: an aggregate's range is cut at the last row.
        let near_end = (0..10_000)
            .find(|&id| aggregates(id) && key(7, id, 1_000) > 1_000 - RANGE)
            .unwrap();
        assert_eq!(caller.call(near_end), Ok(Call::of(near_end)));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_wrong_row_fails_the_calls_that_read_it() {
        let (dir, path) = made(100, 3);
        let id = (0..).find(|&id| !aggregates(id)).unwrap();
        let k = key(3, id, 100);
        Connection::open(&path)
            .unwrap()
            .execute("UPDATE items SET v = v + 1 WHERE k = ?1", params![k as i64])
            .unwrap();
        let caller = SqliteCaller::open(&path, 100, 3).unwrap();
        let err = caller.call(id).unwrap_err();
        assert!(err.message.starts_with(&format!("key {k}: ")), "{err}");
        let sum = (0..)
            .find(|&id| aggregates(id) && (key(3, id, 100)..key(3, id, 100) + RANGE).contains(&k))
            .unwrap();
        assert!(caller.call(sum).unwrap_err().message.contains("summing to"));
        // A database made from another seed fails too.
        let other = SqliteCaller::open(&path, 100, 4).unwrap();
        assert!((0..8).any(|id| other.call(id).is_err()));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_missing_database_is_an_error_not_a_new_file() {
        let path =
            std::env::temp_dir().join(format!("shootout-absent-{}.sqlite", std::process::id()));
        assert!(SqliteCaller::open(&path, 10, 1).is_err());
        assert!(!path.exists());
    }
}
