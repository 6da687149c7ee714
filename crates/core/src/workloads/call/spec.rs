//! The `call` workload's spec: `calls` calls through one library, `concurrency` in flight,
//! placed where the backend runs blocking work; what a correct run returns.

use serde::{Deserialize, Serialize};

use super::Call;
use crate::design::CallClient;
use crate::error::SpecError;
use crate::outcome::{Mismatch, Outcome};
use crate::placement::BlockingMode;

/// The most calls in one run.
pub const CALLS_MAX: u64 = 10_000_000;
/// The most calls in flight (a thread each on a backend of threads).
pub const CONCURRENCY_MAX: u64 = 10_000;
/// The longest wait a call may ask of its server, milliseconds.
pub const WAIT_MS_MAX: u64 = 60_000;
/// The most rows a seeded table may hold.
pub const ROWS_MAX: u64 = 100_000_000;
/// The longest tick period, microseconds (one second).
pub const TICK_US_MAX: u64 = 1_000_000;
/// The shortest tick period other than none, microseconds.
pub const TICK_US_MIN: u64 = 100;
/// The largest HTTP body a call may ask for.
pub const BODY_BYTES_MAX: u64 = 64 << 20;

/// The blocking library a call goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Library {
    /// `ureq` against the embedded HTTP server ([`super::http`]).
    Http,
    /// SQLite through `rusqlite` on a seeded file ([`super::sqlite`]).
    Sqlite,
    /// PostgreSQL through the `postgres` crate on a seeded table ([`super::postgres`]).
    Postgres,
}

impl Library {
    /// Its name on the command line and in results.
    pub fn name(self) -> &'static str {
        match self {
            Library::Http => "http",
            Library::Sqlite => "sqlite",
            Library::Postgres => "postgres",
        }
    }
}

/// An HTTP answer's body when the cell does not say: 256 bytes.
fn default_body_bytes() -> u64 {
    256
}

/// A seeded table's rows when the cell does not say: 100,000.
fn default_rows() -> u64 {
    100_000
}

/// The seed when the cell does not say.
fn default_seed() -> u64 {
    1
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

/// `calls` calls through `library`, `concurrency` at once, each waiting `wait_ms` on its
/// server (HTTP and PostgreSQL; SQLite is in-process and waits on nothing but the file).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallSpec {
    /// The library.
    pub library: Library,
    /// Calls in the run.
    pub calls: u64,
    /// Calls in flight at once.
    pub concurrency: u64,
    /// What each call waits on its server, milliseconds (HTTP's delay, PostgreSQL's
    /// `pg_sleep`); 0 for SQLite.
    #[serde(default)]
    pub wait_ms: u64,
    /// HTTP: each answer's body, bytes.
    #[serde(default = "default_body_bytes")]
    pub body_bytes: u64,
    /// The databases: rows in the seeded table.
    #[serde(default = "default_rows")]
    pub rows: u64,
    /// The seed of bodies, tables and keys.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Where an async runtime runs the blocking calls; `None` is its blocking pool, as its
    /// docs advise (the other backends run them on their own threads and take `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<BlockingMode>,
    /// The library: the blocking one (shared design) or an async one on the runtime
    /// (labelled variant).
    #[serde(default, skip_serializing_if = "CallClient::is_blocking")]
    pub client: CallClient,
    /// A latency-sensitive ticker beside the calls, waking every `tick_us` microseconds
    /// ([`super::ticker`]); 0 for none.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tick_us: u64,
    /// For a cell fitted to a backend with fewer calls in flight: the calls of the cell it
    /// is a sample of (the first `calls` of them), so the two stay comparable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampled_from: Option<u64>,
}

impl CallSpec {
    /// Checks every bound, each named.
    pub fn validate(&self) -> Result<(), SpecError> {
        let within = SpecError::within;
        within("calls", self.calls, 1, CALLS_MAX)?;
        within("concurrency", self.concurrency, 1, CONCURRENCY_MAX)?;
        within("wait_ms", self.wait_ms, 0, WAIT_MS_MAX)?;
        if self.tick_us != 0 {
            within("tick_us", self.tick_us, TICK_US_MIN, TICK_US_MAX).map_err(|err| {
                SpecError::new("tick_us", format!("{}; or 0 for no ticker", err.message))
            })?;
        }
        match self.library {
            Library::Http => within("body_bytes", self.body_bytes, 0, BODY_BYTES_MAX),
            Library::Sqlite if self.wait_ms > 0 => Err(SpecError::new(
                "wait_ms",
                format!(
                    "wait_ms = {} for sqlite: it is in-process, a call has no server to wait \
                     on; valid value is 0",
                    self.wait_ms
                ),
            )),
            Library::Sqlite | Library::Postgres => within("rows", self.rows, 1, ROWS_MAX),
        }
    }

    /// What a correct run returns: every call once, each its token.
    pub fn expected(&self) -> Outcome {
        Outcome {
            ops: self.calls,
            checksum: (0..self.calls)
                .map(|id| u128::from(Call::of(id).0))
                .fold(0u128, u128::wrapping_add),
        }
    }

    /// Accepts `got` only when every call verified exactly once.
    pub fn verify(&self, got: &Outcome) -> Result<(), Mismatch> {
        Mismatch::unless_equal(&self.expected(), got)
    }
}

/// A run's calls as an outcome: each verified call adds its token.
pub fn counted(calls: impl IntoIterator<Item = Call>) -> Outcome {
    calls.into_iter().fold(Outcome::ZERO, |sum, call| {
        sum + Outcome {
            ops: 1,
            checksum: u128::from(call.0),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: CallSpec = CallSpec {
        library: Library::Http,
        calls: 100,
        concurrency: 8,
        wait_ms: 10,
        body_bytes: 256,
        rows: 0,
        seed: 1,
        mode: None,
        client: CallClient::Blocking,
        tick_us: 0,
        sampled_from: None,
    };

    #[test]
    fn every_call_once_verifies_and_a_lost_or_repeated_one_does_not() {
        let all = counted((0..100).map(Call::of));
        assert_eq!(SPEC.verify(&all), Ok(()));
        let lost = counted((0..99).map(Call::of));
        assert!(SPEC.verify(&lost).is_err());
        let repeated = counted((0..99).chain([5]).map(Call::of));
        assert_eq!(repeated.ops, 100);
        assert!(SPEC.verify(&repeated).is_err());
    }

    #[test]
    fn bounds_name_their_field() {
        let field = |spec: CallSpec| spec.validate().unwrap_err().field;
        assert_eq!(field(CallSpec { calls: 0, ..SPEC }), "calls");
        assert_eq!(
            field(CallSpec {
                concurrency: 0,
                ..SPEC
            }),
            "concurrency"
        );
        assert_eq!(
            field(CallSpec {
                wait_ms: WAIT_MS_MAX + 1,
                ..SPEC
            }),
            "wait_ms"
        );
        assert_eq!(
            field(CallSpec {
                tick_us: 99,
                ..SPEC
            }),
            "tick_us"
        );
        assert_eq!(CallSpec { tick_us: 0, ..SPEC }.validate(), Ok(()));
        assert_eq!(
            CallSpec {
                tick_us: 100,
                ..SPEC
            }
            .validate(),
            Ok(())
        );
        let sqlite = CallSpec {
            library: Library::Sqlite,
            wait_ms: 0,
            rows: 1000,
            ..SPEC
        };
        assert_eq!(sqlite.validate(), Ok(()));
        assert_eq!(field(CallSpec { rows: 0, ..sqlite }), "rows");
        assert_eq!(
            field(CallSpec {
                wait_ms: 5,
                ..sqlite
            }),
            "wait_ms"
        );
        let json = serde_json::to_string(&sqlite).unwrap();
        assert_eq!(
            json,
            r#"{"library":"sqlite","calls":100,"concurrency":8,"wait_ms":0,"body_bytes":256,"rows":1000,"seed":1}"#
        );
    }
}
