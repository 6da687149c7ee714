//! What a `call` cell says of itself to the plan, the trial and the report.

use super::{CallSpec, Library, Store, has_event_loop};
use crate::backend::BackendInfo;
use crate::backend::FetchSlots;
use crate::design::{CallClient, Variant};
use crate::error::SpecError;
use crate::outcome::{Mismatch, RunOutcome};
use crate::placement::BlockingMode;
use crate::workload::{SweepPoint, WorkloadKind, WorkloadSpec};

impl CallSpec {
    /// What each call waits on its server, seconds.
    pub fn wait_s(&self) -> f64 {
        self.wait_ms as f64 / 1e3
    }

    /// How long one call may take before it fails: ten seconds beyond twice its wait.
    pub fn call_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(10_000 + 2 * self.wait_ms)
    }

    /// Whether a backend described by `info` can run this cell's async library: an event
    /// loop, a library that has one, and tokio's reactor for tokio-postgres.
    fn admits_async(&self, info: &BackendInfo) -> Result<(), String> {
        if !has_event_loop(info) {
            return Err(format!(
                "an async library runs on an event loop, and {} has none",
                info.name
            ));
        }
        if self.mode.is_some() {
            return Err(
                "an async library is not placed: it runs on the runtime's own tasks".into(),
            );
        }
        let has = |name: &str| info.crates.contains(&name);
        match (self.client, self.library) {
            (CallClient::Reqwest, Library::Http) if has("tokio") => Ok(()),
            (CallClient::Reqwest, Library::Http) => Err(super::native::REQWEST_ON_TOKIO.into()),
            (CallClient::Reqwest, _) => Err("reqwest is an HTTP client".into()),
            (CallClient::Sqlx, Library::Http) => Err("sqlx is a database driver".into()),
            (CallClient::Sqlx, _) if ["tokio", "smol", "async-std"].iter().any(|c| has(c)) => {
                Ok(())
            }
            (CallClient::Sqlx, _) => Err(super::native::SQLX_RUNTIMES.into()),
            (_, Library::Http) => Ok(()),
            (_, Library::Sqlite) => Err(super::native::NO_ASYNC_SQLITE.into()),
            (_, Library::Postgres) if has("tokio") => Ok(()),
            (_, Library::Postgres) => Err(super::native::TOKIO_POSTGRES_ONLY.into()),
        }
    }

    /// The first `calls` calls of this cell, as a sample of it.
    pub fn sample(&self, calls: u64) -> CallSpec {
        if calls >= self.calls {
            return *self;
        }
        CallSpec {
            calls,
            sampled_from: Some(self.sampled_from.unwrap_or(self.calls)),
            ..*self
        }
    }

    /// The calls of the cell this one stands for (itself, or the cell it samples).
    pub fn full_calls(&self) -> u64 {
        self.sampled_from.unwrap_or(self.calls).max(self.calls)
    }
}

/// The most threads an async runtime's blocking pool gets for calls: tokio's default
/// `max_blocking_threads`.
pub const BLOCKING_POOL_MAX: u64 = 512;

/// Why the postgres crate cannot be called inline on a tokio runtime, as measured: it
/// blocks on a tokio runtime of its own, and tokio refuses that on its workers.
pub const INLINE_POSTGRES_ON_TOKIO: &str = "the postgres crate blocks on a tokio runtime of its \
     own, which tokio refuses on its workers (the call panics: \"Cannot start a runtime from \
     within a runtime\"): on tokio it runs on the blocking pool or in place, never inline";

impl WorkloadSpec for CallSpec {
    fn kind(&self) -> WorkloadKind {
        WorkloadKind::Call
    }

    fn validate(&self) -> Result<(), SpecError> {
        CallSpec::validate(self)
    }

    fn expected_checksum(&self) -> String {
        self.expected().checksum.to_string()
    }

    fn verify_run(&self, got: &RunOutcome) -> Result<(), Mismatch> {
        match got {
            // The process pool's parts count their calls without timing them, and its parent
            // runs nothing beside them to tick.
            RunOutcome::Called(called) => {
                self.verify(&called.calls)?;
                match (self.tick_us, &called.ticks) {
                    (0, _) | (_, Some(_)) => Ok(()),
                    (tick_us, None) => Err(Mismatch::new(format!(
                        "no ticker ran beside the calls (tick_us = {tick_us})"
                    ))),
                }
            }
            other => self.verify(other.counted(self.kind())?),
        }
    }

    fn synthetic(&self, _slowness: u32, _took: std::time::Duration) -> RunOutcome {
        super::cases::synthetic(self)
    }

    // Two connections making two calls each: the libraries' code and the server warm, the
    // file cached. The blocking pool's threads need no warming: each worker opens its
    // connection where its calls will run before the clock starts.
    fn warmup(&self) -> Self {
        CallSpec {
            calls: self.calls.min(4),
            concurrency: self.concurrency.min(2),
            sampled_from: None,
            ..*self
        }
    }

    fn rate(&self, wall_s: f64) -> f64 {
        self.calls as f64 / wall_s
    }

    // Calls in flight: what the library's calls wait on at once.
    fn size(&self) -> f64 {
        self.concurrency as f64
    }

    fn most_at_once(&self, _threads: u64) -> f64 {
        self.concurrency.min(self.calls) as f64
    }

    // Every async runtime's default is its blocking pool; the other places are extra
    // cells, as cpu's are.
    fn admits(&self, info: &BackendInfo) -> Result<(), String> {
        if !self.client.is_blocking() {
            return self.admits_async(info);
        }
        match self.mode {
            Some(mode) if !info.cpu_modes().contains(&mode) => Err(format!(
                "{} places blocking calls one way only; --mode {mode} is for the async runtimes",
                info.name
            )),
            Some(BlockingMode::Inline)
                if self.library == Library::Postgres && info.crates.contains(&"tokio") =>
            {
                Err(INLINE_POSTGRES_ON_TOKIO.into())
            }
            _ => Ok(()),
        }
    }

    fn placement(&self) -> Option<BlockingMode> {
        self.mode
    }

    // Inline (the pitfall) and in place (tokio) beside the blocking pool; a rayon pool of
    // W threads is the wrong tool for waiting, as the rayon backend shows, so it runs only
    // when asked for (`--mode rayon`).
    fn placements(&self, offered: &[BlockingMode]) -> Vec<Self> {
        if self.mode.is_some() || !self.client.is_blocking() {
            return Vec::new();
        }
        [BlockingMode::Inline, BlockingMode::BlockInPlace]
            .into_iter()
            .filter(|mode| offered.contains(mode))
            .map(|mode| CallSpec {
                mode: Some(mode),
                ..*self
            })
            .collect()
    }

    fn variant(&self) -> Option<&'static str> {
        match self.design_variant() {
            Some(variant) => Some(variant.name()),
            None => self.mode.map(BlockingMode::name),
        }
    }

    fn design_variant(&self) -> Option<Variant> {
        self.client.variant()
    }

    // Each async library where it speaks the cell's protocol: reqwest HTTP, sqlx SQL.
    fn with_variant(&self, variant: Variant) -> Option<Self> {
        let blocking = self.mode.is_none() && self.client.is_blocking();
        let client = match (variant, self.library) {
            (Variant::AsyncLibrary, _) => CallClient::Async,
            (Variant::Reqwest, Library::Http) => CallClient::Reqwest,
            (Variant::Sqlx, Library::Sqlite | Library::Postgres) => CallClient::Sqlx,
            _ => return None,
        };
        blocking.then_some(CallSpec { client, ..*self })
    }

    fn headline(&self) -> Option<&'static str> {
        Some(match self.library {
            Library::Http => super::HEADLINES[0],
            Library::Sqlite => super::HEADLINES[1],
            Library::Postgres => super::HEADLINES[2],
        })
    }

    fn sweep_point(&self, threads: u64) -> Option<SweepPoint> {
        Some(SweepPoint {
            row: self.headline()?,
            fixed: format!(
                "library={} wait_ms={} rows={} threads={threads}",
                self.library.name(),
                self.wait_ms,
                self.rows
            ),
            axis: "calls in flight",
            at: self.concurrency as f64,
        })
    }

    // Placements side by side; a waiting cell's calls may be a sample of it.
    fn comparable(&self, threads: u64) -> String {
        let mut title = format!(
            "library={} concurrency={} wait_ms={}",
            self.library.name(),
            self.concurrency,
            self.wait_ms
        );
        match self.library {
            Library::Http => title += &format!(" body_bytes={}", self.body_bytes),
            Library::Sqlite | Library::Postgres => title += &format!(" rows={}", self.rows),
        }
        if self.tick_us > 0 {
            title += &format!(" tick_us={}", self.tick_us);
        }
        if self.wait_ms == 0 {
            title += &format!(" calls={} threads={threads}", self.calls);
        }
        title
    }

    fn params_label(&self) -> String {
        let mut label = format!(
            "library={} calls={} concurrency={} wait_ms={}",
            self.library.name(),
            self.calls,
            self.concurrency,
            self.wait_ms
        );
        match self.library {
            Library::Http => label += &format!(" body_bytes={}", self.body_bytes),
            Library::Sqlite | Library::Postgres => label += &format!(" rows={}", self.rows),
        }
        if self.tick_us > 0 {
            label += &format!(" tick_us={}", self.tick_us);
        }
        if let Some(mode) = self.mode {
            label += &format!(" mode={mode}");
        }
        if !self.client.is_blocking() {
            label += &format!(" client={}", self.client.name());
        }
        label
    }

    fn fitted(&self) -> Option<String> {
        self.sampled_from
            .filter(|&m| m > self.calls)
            .map(|m| format!("{} of {m} calls", self.calls))
    }

    // The thread-pool-for-I/O pattern: a pool of a thread per call in flight.
    fn pool_workers(&self, _threads: u64) -> u64 {
        self.concurrency
    }

    // The blocking pool holds every call in flight (a pool for blocking I/O, not for CPU),
    // up to tokio's default cap of 512 threads (smol's and async-std's `blocking` crate caps
    // at 500): past it, the pool is the limit, as it is in a service built on defaults.
    fn blocking_pool(&self, threads: u64) -> u64 {
        self.concurrency
            .clamp(threads, BLOCKING_POOL_MAX.max(threads))
    }

    // An event loop's workers hold one blocking call each when calls run inline, as a pool
    // of W does; elsewhere the backend's slots.
    fn in_flight(&self, info: &BackendInfo, threads: u64) -> u64 {
        let slots = match self.mode {
            Some(BlockingMode::Inline | BlockingMode::Rayon) if has_event_loop(info) => {
                FetchSlots::Workers
            }
            _ => info.fetch_slots,
        };
        slots.in_flight(threads, self.concurrency.min(self.calls))
    }

    // Rounds of calls in flight, each its wait on the server; none where calls wait on
    // nothing but the machine (SQLite).
    fn predict_s(&self, in_flight: u64) -> Option<f64> {
        (self.wait_ms > 0).then(|| self.calls.div_ceil(in_flight.max(1)) as f64 * self.wait_s())
    }

    // A backend with fewer in flight makes the first calls of the cell, enough rounds to
    // take about `fit_s`.
    fn fit(&self, in_flight: u64, fit_s: f64) -> Self {
        if self.wait_ms == 0 {
            return *self;
        }
        let rounds = ((fit_s / self.wait_s()) as u64).max(1);
        self.sample((rounds * in_flight).max(in_flight))
    }

    // Every call in flight at once, each its wait: rounds of C.
    fn ideal_s(&self) -> Option<f64> {
        self.waits_floor_s()
    }

    fn waits_floor_s(&self) -> Option<f64> {
        let rounds = self.calls.div_ceil(self.concurrency.min(self.calls).max(1));
        (self.wait_ms > 0).then(|| rounds as f64 * self.wait_s())
    }

    // Generous: every call one after another, twice over, as a stalled pool would.
    fn timeout_s(&self, predicted_s: Option<f64>) -> f64 {
        30.0 + 3.0 * predicted_s.unwrap_or(0.0) + self.calls as f64 * (self.wait_s() + 1e-3) * 2.0
    }

    // A connection per call in flight.
    fn held(&self, in_flight: u64) -> u64 {
        in_flight
    }

    fn needs_server(&self) -> bool {
        true
    }

    fn store(&self) -> Option<Store> {
        let (rows, seed) = (self.rows, self.seed);
        match self.library {
            Library::Http => None,
            Library::Sqlite => Some(Store::Sqlite { rows, seed }),
            Library::Postgres => Some(Store::Postgres { rows, seed }),
        }
    }
}
