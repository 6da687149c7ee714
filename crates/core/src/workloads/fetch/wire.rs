//! A fetch spec as JSON holds it: every field flat, the scenario a name beside them, as
//! results.json has always written it. Reading one refuses a field its scenario does not
//! have, so a spec that mixes scenarios cannot be built from a file either.

use serde::{Deserialize, Serialize};

use super::{Arrival, Faults, FetchSpec, Pace, Retries, Scenario, Search, Slow};
use crate::design::Client;
use crate::workload::WorkloadKind;

/// [`FetchSpec`] flat, field for field as results.json writes it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct FetchWire {
    requests: u64,
    concurrency: u64,
    latency_ms: u64,
    body_bytes: u64,
    timeout_ms: u64,
    #[serde(default)]
    fail: f64,
    #[serde(default)]
    reset: f64,
    #[serde(default)]
    seed: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    slow: f64,
    #[serde(default, skip_serializing_if = "is_zero_ms")]
    slow_ms: u64,
    #[serde(default, skip_serializing_if = "is_zero")]
    rate: f64,
    #[serde(default, skip_serializing_if = "Arrival::is_fixed")]
    arrival: Arrival,
    #[serde(default, skip_serializing_if = "is_zero_ms")]
    pause_ms: u64,
    #[serde(default, skip_serializing_if = "is_zero_ms")]
    slo_ms: u64,
    #[serde(default, skip_serializing_if = "is_zero_ms")]
    retries: u64,
    #[serde(default, skip_serializing_if = "is_zero_ms")]
    backoff_ms: u64,
    #[serde(default, skip_serializing_if = "Name::is_plain")]
    scenario: Name,
    #[serde(default, skip_serializing_if = "Client::is_workers")]
    client: Client,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sampled_from: Option<u64>,
}

/// A scenario's name in JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Name {
    #[default]
    Plain,
    PartialFailure,
    Timeout,
    RateLimit,
    Retry,
    Load,
    Capacity,
}

impl Name {
    fn is_plain(&self) -> bool {
        *self == Name::Plain
    }

    fn of(scenario: &Scenario) -> Name {
        match scenario {
            Scenario::Plain => Name::Plain,
            Scenario::PartialFailure(_) => Name::PartialFailure,
            Scenario::Timeout(_) => Name::Timeout,
            Scenario::RateLimit(_) => Name::RateLimit,
            Scenario::Retry(_) => Name::Retry,
            Scenario::Load { .. } => Name::Load,
            Scenario::Capacity(_) => Name::Capacity,
        }
    }
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

fn is_zero_ms(value: &u64) -> bool {
    *value == 0
}

impl From<FetchSpec> for FetchWire {
    fn from(spec: FetchSpec) -> FetchWire {
        FetchWire {
            fail: spec.fail(),
            reset: spec.reset(),
            slow: spec.slow(),
            slow_ms: spec.slow_ms(),
            rate: spec.rate_per_s(),
            arrival: spec.arrival(),
            pause_ms: spec.pause_ms(),
            slo_ms: spec.slo_ms(),
            retries: spec.retries(),
            backoff_ms: spec.backoff_ms(),
            scenario: Name::of(&spec.scenario),
            requests: spec.requests,
            concurrency: spec.concurrency,
            latency_ms: spec.latency_ms,
            body_bytes: spec.body_bytes,
            timeout_ms: spec.timeout_ms,
            seed: spec.seed,
            url: spec.url,
            client: spec.client,
            sampled_from: spec.sampled_from,
        }
    }
}

impl TryFrom<FetchWire> for FetchSpec {
    type Error = String;

    fn try_from(wire: FetchWire) -> Result<FetchSpec, String> {
        wire.refuse_foreign_fields()?;
        let faults = Faults {
            fail: wire.fail,
            reset: wire.reset,
        };
        let pace = Pace {
            rate: wire.rate,
            arrival: wire.arrival,
        };
        let scenario = match wire.scenario {
            Name::Plain => Scenario::Plain,
            Name::PartialFailure => Scenario::PartialFailure(faults),
            Name::Timeout => Scenario::Timeout(Slow {
                slow: wire.slow,
                slow_ms: wire.slow_ms,
            }),
            Name::RateLimit => Scenario::RateLimit(pace),
            Name::Retry => Scenario::Retry(Retries {
                faults,
                retries: wire.retries,
                backoff_ms: wire.backoff_ms,
            }),
            Name::Load => Scenario::Load {
                pace,
                pause_ms: wire.pause_ms,
            },
            Name::Capacity => Scenario::Capacity(Search {
                pace,
                slo_ms: wire.slo_ms,
            }),
        };
        Ok(FetchSpec {
            requests: wire.requests,
            concurrency: wire.concurrency,
            latency_ms: wire.latency_ms,
            body_bytes: wire.body_bytes,
            timeout_ms: wire.timeout_ms,
            seed: wire.seed,
            url: wire.url,
            scenario,
            client: wire.client,
            sampled_from: wire.sampled_from,
        })
    }
}

impl FetchWire {
    /// The scenario fields that are set, by name.
    fn set_fields(&self) -> impl Iterator<Item = &'static str> {
        [
            ("fail", self.fail != 0.0),
            ("reset", self.reset != 0.0),
            ("slow", self.slow != 0.0),
            ("slow_ms", self.slow_ms != 0),
            ("rate", self.rate != 0.0),
            ("arrival", !self.arrival.is_fixed()),
            ("pause_ms", self.pause_ms != 0),
            ("slo_ms", self.slo_ms != 0),
            ("retries", self.retries != 0),
            ("backoff_ms", self.backoff_ms != 0),
        ]
        .into_iter()
        .filter_map(|(field, set)| set.then_some(field))
    }

    /// Refuses a field set outside the scenarios that have it ([`super::PARAMS`] says
    /// which do).
    fn refuse_foreign_fields(&self) -> Result<(), String> {
        let name = self.scenario.text();
        for field in self.set_fields() {
            let owners = super::PARAMS.params.iter().find(|p| p.field == field);
            if let Some(param) = owners.filter(|p| !p.is_in(name)) {
                return Err(format!(
                    "`{field}` is a parameter of {} only, not of {name}",
                    param.only_in.join(" and ")
                ));
            }
        }
        Ok(())
    }
}

impl Name {
    /// The workload this scenario is, by the name the command line gives it.
    fn text(&self) -> &'static str {
        let kind = match self {
            Name::Plain => WorkloadKind::Fetch,
            Name::PartialFailure => WorkloadKind::PartialFailure,
            Name::Timeout => WorkloadKind::Timeout,
            Name::RateLimit => WorkloadKind::RateLimit,
            Name::Retry => WorkloadKind::Retry,
            Name::Load => WorkloadKind::Load,
            Name::Capacity => WorkloadKind::Capacity,
        };
        kind.name()
    }
}
