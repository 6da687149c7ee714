//! What the `fetch` workload and its scenarios say of themselves: validation, the
//! expected answer, warm-up, rate, the sizes that make cells comparable and their labels.

use super::{
    Arrival, BACKOFF_MS_MAX, BODY_BYTES_MAX, CONCURRENCY_MAX, FetchSpec, LATENCY_MS_MAX, RATE_MAX,
    REQUESTS_MAX, RETRIES_MAX, Scenario, TIMEOUT_MS_MAX, parse_url,
};
use crate::backend::BackendInfo;
use crate::design::{Client, Variant};
use crate::error::SpecError;
use crate::outcome::{Mismatch, RunOutcome};
use crate::workload::{Judged, SweepPoint, Workload, WorkloadKind, WorkloadSpec};

/// Requests per connection a custom question's fetch cell carries at least.
pub const QUESTION_ROUNDS: u64 = 50;

/// Requests a custom question's fetch cell makes at least: enough for a p99 (ten beyond it).
pub const QUESTION_REQUESTS: u64 = 1_000;

impl WorkloadSpec for FetchSpec {
    fn size(&self) -> f64 {
        self.concurrency as f64
    }

    // Even with no server delay a request waits on the round trip, which C in flight hide.
    fn most_at_once(&self, _threads: u64) -> f64 {
        self.concurrency as f64
    }

    fn kind(&self) -> WorkloadKind {
        match self.scenario {
            Scenario::Plain => WorkloadKind::Fetch,
            Scenario::PartialFailure(_) => WorkloadKind::PartialFailure,
            Scenario::Timeout(_) => WorkloadKind::Timeout,
            Scenario::RateLimit(_) => WorkloadKind::RateLimit,
            Scenario::Retry(_) => WorkloadKind::Retry,
            Scenario::Load { .. } => WorkloadKind::Load,
            Scenario::Capacity(_) => WorkloadKind::Capacity,
        }
    }

    /// Checks every parameter against its range, and the URL's form.
    fn validate(&self) -> Result<(), SpecError> {
        SpecError::check_ranges(&[
            ("requests", self.requests, 1, REQUESTS_MAX),
            ("concurrency", self.concurrency, 1, CONCURRENCY_MAX),
            ("latency_ms", self.latency_ms, 0, LATENCY_MS_MAX),
            ("body_bytes", self.body_bytes, 0, BODY_BYTES_MAX),
            ("timeout_ms", self.timeout_ms, 1, TIMEOUT_MS_MAX),
            ("slow_ms", self.slow_ms(), 0, LATENCY_MS_MAX),
            ("retries", self.retries(), 0, RETRIES_MAX),
            ("backoff_ms", self.backoff_ms(), 0, BACKOFF_MS_MAX),
            ("pause_ms", self.pause_ms(), 0, LATENCY_MS_MAX),
        ])?;
        self.validate_search()?;
        if self.arrival() == Arrival::Poisson && self.rate_per_s() <= 0.0 {
            return Err(SpecError::new(
                "arrival",
                "--arrival poisson draws arrivals at a rate; give --rate too".into(),
            ));
        }
        if let Some(m) = self.sampled_from {
            SpecError::check_ranges(&[("sampled_from", m, self.requests, REQUESTS_MAX)])?;
        }
        for (field, value) in [
            ("fail", self.fail()),
            ("reset", self.reset()),
            ("slow", self.slow()),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(SpecError::new(
                    field,
                    format!("{field} = {value} is out of range; valid range is 0..=1 (a fraction)"),
                ));
            }
        }
        if self.fail() + self.reset() > 1.0 {
            return Err(SpecError::new(
                "reset",
                format!("fail + reset = {} is over 1", self.fail() + self.reset()),
            ));
        }
        if !(0.0..=RATE_MAX).contains(&self.rate_per_s()) {
            return Err(SpecError::new(
                "rate",
                format!(
                    "rate = {} is out of range; valid range is 0..={RATE_MAX} requests per second",
                    self.rate_per_s()
                ),
            ));
        }
        if self.fail() + self.reset() + self.slow() > 1.0 {
            return Err(SpecError::new(
                "slow",
                format!(
                    "fail + reset + slow = {} is over 1",
                    self.fail() + self.reset() + self.slow()
                ),
            ));
        }
        if self.slow() > 0.0 {
            // Timeouts must be unambiguous, or the expected counts depend on scheduling.
            let slow_total = self.latency_ms + self.slow_ms();
            if self.latency_ms * 2 > self.timeout_ms {
                return Err(SpecError::new(
                    "timeout_ms",
                    format!(
                        "with --slow, the timeout ({} ms) must be at least twice the latency ({} ms) \
                         so that only slow requests can time out",
                        self.timeout_ms, self.latency_ms
                    ),
                ));
            }
            if slow_total < 2 * self.timeout_ms && slow_total * 2 > self.timeout_ms {
                return Err(SpecError::new(
                    "slow_ms",
                    format!(
                        "latency + slow_ms = {slow_total} ms is too close to the {} ms timeout to say \
                         whether slow requests time out; make it at least twice or at most half of it",
                        self.timeout_ms
                    ),
                ));
            }
        }
        if let Some(url) = &self.url {
            parse_url(url)?;
            if self.fail() > 0.0 || self.reset() > 0.0 || self.slow() > 0.0 || self.pause_ms() > 0 {
                return Err(SpecError::new(
                    "url",
                    "--fail, --reset, --slow and --pause-ms are injected by the embedded server; they cannot be used with --url".into(),
                ));
            }
        }
        Ok(())
    }

    fn expected_checksum(&self) -> String {
        self.expected_ok().to_string()
    }

    fn verify_run(&self, got: &RunOutcome) -> Result<(), Mismatch> {
        self.verify(got.fetched(self.kind())?)
    }

    // A few requests at the same concurrency, without delay or faults. Warms connections
    // and the runtime, not the scenario: no pacing, no slow requests waiting out a timeout,
    // no retries (each cost a trial 0.1 s or more).
    // Plain fetch stands in the latency row where the server waits (its time is latency,
    // not client work), else in the throughput row; the scenarios in none.
    fn headline(&self) -> Option<&'static str> {
        match (self.kind(), self.latency_ms > 0) {
            (WorkloadKind::Fetch, true) => Some("fetch (latency)"),
            (WorkloadKind::Fetch, false) => Some("fetch (throughput)"),
            _ => None,
        }
    }

    /// A plain or load question that leaves the request count to us gets enough of them that every
    /// connection carries `QUESTION_ROUNDS` requests (its connect a small share of what it
    /// times) and the trial a p99 to read (`QUESTION_REQUESTS` at least): 960 requests at
    /// C = 200 were 5 a connection, one in five timing a connect, and their p99 ranking
    /// reversed at 10,000.
    fn for_question(&self) -> Option<Workload> {
        let enough = (self.concurrency * QUESTION_ROUNDS).clamp(QUESTION_REQUESTS, REQUESTS_MAX);
        let timed = matches!(self.scenario, Scenario::Plain | Scenario::Load { .. });
        (timed && self.url.is_none() && self.requests < enough).then(|| {
            Workload::from(FetchSpec {
                requests: enough,
                ..self.clone()
            })
        })
    }

    /// A closed-loop fetch against a delay is judged on the client's CPU per request: every
    /// design holding C requests in flight reaches the same throughput (C / delay), so what
    /// tells the designs apart is what each wait costs. The scenarios keep their kind's
    /// metric; a throughput cell (no delay) its rate, unless the machine was the limit
    /// (the report decides that from the trials).
    fn judged_by(&self) -> Judged {
        match (self.kind(), self.latency_ms > 0) {
            (WorkloadKind::Fetch, true) => Judged::CpuPerRequest,
            (WorkloadKind::Capacity, _) => Judged::Capacity,
            (kind, _) if kind.judged_by_p99() => Judged::P99,
            _ => Judged::Rate,
        }
    }

    fn sweep_point(&self, threads: u64) -> Option<SweepPoint> {
        (self.headline() == Some("fetch (latency)")).then(|| SweepPoint {
            row: "fetch (latency)",
            fixed: format!(
                "latency_ms={} body_bytes={} threads={threads}",
                self.latency_ms, self.body_bytes
            ),
            axis: "requests in flight",
            at: self.concurrency as f64,
        })
    }

    fn needs_server(&self) -> bool {
        self.url.is_none()
    }

    fn idle_connections(&self) -> Option<u64> {
        Some(self.concurrency)
    }

    // The fitted sample's ids, and the log every request's latencies go into.
    fn prepare(&self) {
        crate::sample::prepare(self);
        crate::latencies::prepare(self);
    }

    fn ideal_s_served(&self, server_delay_s: f64) -> Option<f64> {
        self.ideal_s_with(server_delay_s)
    }

    fn synthetic(&self, slowness: u32, _: std::time::Duration) -> RunOutcome {
        super::conformance::synthetic(self, slowness)
    }

    fn warmup(&self) -> Self {
        FetchSpec {
            requests: self.requests.min(self.concurrency.min(64) * 2),
            latency_ms: 0,
            scenario: self.scenario.at_rest(),
            ..self.clone()
        }
    }

    fn rate(&self, wall_s: f64) -> f64 {
        self.requests as f64 / wall_s
    }

    /// The best possible wall time: full rounds of `concurrency` requests, each one delay.
    fn ideal_s(&self) -> Option<f64> {
        self.ideal_s_with(self.latency_ms as f64 / 1e3)
    }

    fn comparable(&self, _threads: u64) -> String {
        let mut title = format!(
            "concurrency={} latency_ms={} body_bytes={}",
            self.concurrency, self.latency_ms, self.body_bytes
        );
        if self.latency_ms == 0 {
            title += &format!(" requests={}", self.requests);
        }
        title += &self.faults_label();
        if self.rate_per_s() > 0.0 {
            title += &format!(" rate={}", self.rate_per_s());
        }
        title += &self.paced_label();
        title += &self.retries_label();
        title += &self.slow_label();
        if let Some(url) = &self.url {
            title += &format!(" url={url}");
        }
        title
    }

    fn params_label(&self) -> String {
        let mut label = format!(
            "requests={} concurrency={} latency_ms={} body_bytes={}",
            self.requests, self.concurrency, self.latency_ms, self.body_bytes
        );
        if let Some(m) = self.sampled_from {
            label += &format!(" sampled_from={m}");
        }
        label += &self.faults_label();
        label += &self.slow_label();
        if self.rate_per_s() > 0.0 {
            label += &format!(" rate={}", self.rate_per_s());
        }
        label += &self.paced_label();
        label += &self.retries_label();
        if let Some(url) = &self.url {
            label += &format!(" url={url}");
        }
        if let Some(variant) = self.variant() {
            label += &format!(" client={variant}");
        }
        label
    }

    fn design_variant(&self) -> Option<Variant> {
        (self.client == Client::TaskPerRequest).then_some(Variant::TaskPerRequest)
    }

    fn design_base(&self) -> &'static str {
        WorkloadKind::Fetch.name()
    }

    fn fitted(&self) -> Option<String> {
        self.sampled_from
            .filter(|&m| m > self.requests)
            .map(|m| format!("{} of {m} requests", self.requests))
    }

    fn pool_workers(&self, _threads: u64) -> u64 {
        self.concurrency
    }

    fn in_flight(&self, info: &BackendInfo, threads: u64) -> u64 {
        info.fetch_slots.in_flight(threads, self.concurrency)
    }

    // Rounds of in-flight requests, each its expected wait; at least the pace.
    fn predict_s(&self, in_flight: u64) -> Option<f64> {
        if let Some(search_s) = self.search_s() {
            return Some(search_s);
        }
        let rounds = self.requests.div_ceil(in_flight) as f64;
        let paced = if self.rate_per_s() > 0.0 {
            self.requests as f64 / self.rate_per_s()
        } else {
            0.0
        };
        Some((rounds * self.wait_ms()? / 1e3).max(paced))
    }

    // A cell that waits on latency runs fewer requests on a backend that keeps fewer in
    // flight, so that it takes about `fit_s` instead of being skipped. An open-loop cell (a
    // load or capacity search) is never fitted: falling behind its schedule is what it shows.
    fn fit(&self, in_flight: u64, fit_s: f64) -> Self {
        match self.wait_ms() {
            Some(wait_ms)
                if !matches!(self.scenario, Scenario::Load { .. } | Scenario::Capacity(_)) =>
            {
                let rounds = ((fit_s * 1e3 / wait_ms) as u64).max(1);
                let least = self.least_sample(in_flight);
                self.sample(self.requests.min((rounds * in_flight).max(least)))
            }
            _ => self.clone(),
        }
    }

    // Allow 10k requests/s on slow loopback, plus one full timeout.
    fn timeout_s(&self, predicted_s: Option<f64>) -> f64 {
        30.0 + 3.0 * predicted_s.unwrap_or(0.0)
            + self.requests as f64 * 1e-4
            + self.timeout_ms as f64 / 1e3
    }

    // The requests in flight.
    fn held(&self, in_flight: u64) -> u64 {
        in_flight
    }

    // Each round of delayed answers from the embedded server, where every request waits
    // (not where some fail or are dropped at once, nor against another server).
    fn waits_floor_s(&self) -> Option<f64> {
        if self.url.is_some() || self.fail() > 0.0 || self.reset() > 0.0 {
            return None;
        }
        self.ideal_s()
    }

    // Fetch's variant applies to plain fetch cells only, not to the fault scenarios.
    fn with_variant(&self, variant: Variant) -> Option<Self> {
        (variant == Variant::TaskPerRequest && self.scenario == Scenario::Plain).then(|| {
            FetchSpec {
                client: Client::TaskPerRequest,
                ..self.clone()
            }
        })
    }
}

impl FetchSpec {
    /// A capacity search needs a highest rate and an SLO of at least 1 ms.
    fn validate_search(&self) -> Result<(), SpecError> {
        let Some(search) = self.search() else {
            return Ok(());
        };
        if self.rate_per_s() <= 0.0 {
            return Err(SpecError::new(
                "rate",
                "capacity searches up to --rate requests per second; give --rate above 0".into(),
            ));
        }
        SpecError::check_ranges(&[("slo_ms", search.slo_ms, 1, LATENCY_MS_MAX)])
    }

    /// The expected time one request waits: its server latency, plus the timeout for the
    /// slow fraction, plus expected backoffs and repeats when it retries. `None` where the
    /// time is the client's own work (no latency to wait on).
    pub fn wait_ms(&self) -> Option<f64> {
        let latency = self.latency_ms as f64;
        let slow = self.slow() * ((self.latency_ms + self.slow_ms()).min(self.timeout_ms)) as f64;
        let failing = self.fail() + self.reset();
        let retries: f64 = (0..self.retries())
            .map(|k| {
                failing.powi(k as i32 + 1)
                    * (self.backoff_ms() as f64 * 2f64.powi(k as i32) + latency)
            })
            .sum();
        let wait = latency + slow + retries;
        (wait > 0.0).then_some(wait)
    }

    /// The fewest requests a fitted sample may keep with `in_flight` slots: one request of
    /// its rarest fate (one timeout in four: 4), and where slow requests time out, more
    /// timeouts than slots (counted in the sample itself), so that a slot or connection a
    /// timed-out request leaked would still show.
    pub fn least_sample(&self, in_flight: u64) -> u64 {
        let rarest = [self.fail(), self.reset(), self.slow()]
            .into_iter()
            .filter(|&f| f > 0.0)
            .fold(1.0, f64::min);
        let mut least = ((1.0 / rarest).ceil() as u64).min(self.requests);
        let timeouts = |requests: u64| requests - self.sample(requests).expected_ok();
        while self.slow_times_out() && least < self.requests && timeouts(least) <= in_flight {
            least += 1;
        }
        least
    }

    /// `requests` of this cell's requests, as a sample with its mix of fates (not its first
    /// ids).
    pub fn sample(&self, requests: u64) -> FetchSpec {
        FetchSpec {
            requests,
            sampled_from: (requests < self.requests).then_some(self.requests),
            ..self.clone()
        }
    }

    /// ` fail=F reset=R` where the server fails or resets requests.
    fn faults_label(&self) -> String {
        if self.fail() > 0.0 || self.reset() > 0.0 {
            format!(" fail={} reset={}", self.fail(), self.reset())
        } else {
            String::new()
        }
    }

    /// ` slow=S slow_ms=M timeout_ms=T` where some requests are slow.
    fn slow_label(&self) -> String {
        if self.slow() > 0.0 {
            format!(
                " slow={} slow_ms={} timeout_ms={}",
                self.slow(),
                self.slow_ms(),
                self.timeout_ms
            )
        } else {
            String::new()
        }
    }

    /// ` retries=N backoff_ms=B` where requests are retried.
    fn retries_label(&self) -> String {
        if self.retries() > 0 {
            format!(
                " retries={} backoff_ms={}",
                self.retries(),
                self.backoff_ms()
            )
        } else {
            String::new()
        }
    }

    /// How a paced fetch's requests arrive, whether the server stalls and a search's SLO,
    /// where not the defaults: ` arrival=poisson pause_ms=200`, ` slo_ms=10`.
    fn paced_label(&self) -> String {
        let mut label = String::new();
        if let Some(search) = self.search() {
            label += &format!(" slo_ms={}", search.slo_ms);
        }
        if !self.arrival().is_fixed() {
            label += &format!(" arrival={}", self.arrival().name());
        }
        if self.pause_ms() > 0 {
            label += &format!(" pause_ms={}", self.pause_ms());
        }
        label
    }
}
