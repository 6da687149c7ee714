//! The `pipeline` workload: a bounded producer-consumer queue, on the MPMC channel every
//! backend of a kind shares (or, as a labelled variant, on the backend's own channel). Producers send message tokens, consumers add them up.

use serde::{Deserialize, Serialize};

use crate::design::Channel;
use crate::design::Variant;
use crate::error::SpecError;
use crate::kind::About;
use crate::outcome::RunOutcome;
use crate::outcome::{Mismatch, Outcome};
use crate::params::{Param, Table};
use crate::workload::{WorkloadKind, WorkloadSpec};

pub mod cases;
mod cores;
mod executor;
mod threaded;

pub use cores::on_cores;
pub use executor::on_executor;
pub use threaded::on_threads;

/// The most producers or consumers (each may be a thread).
pub const ENDS_MAX: u64 = 1_000;
/// The largest queue capacity.
pub const CAPACITY_MAX: u64 = 1_000_000;
/// The most messages one run may pass.
pub const MESSAGES_MAX: u64 = 100_000_000;

/// What the pipeline workload says of itself: its name, words, unit and how it is judged.
pub const ABOUT: About = About::new(
    "pipeline",
    &PARAMS,
    "msg/s",
    "A bounded producer-consumer queue",
    "PRODUCERS send MESSAGES in all through a bounded queue of CAPACITY on the backend's \
     own channel to CONSUMERS; verified by count and the sum of all messages",
)
.costs_concurrency();

/// The pipeline workload's parameters.
pub const PARAMS: Table = Table {
    name: "pipeline",
    workload: "pipeline",
    params: &[
        Param::count("producers", "producers", "producer tasks", 1, ENDS_MAX),
        Param::count("consumers", "consumers", "consumer tasks", 1, ENDS_MAX),
        Param::count(
            "capacity",
            "capacity",
            "queue capacity; producers wait when it is full",
            1,
            CAPACITY_MAX,
        ),
        Param::count("messages", "messages", "messages in all", 1, MESSAGES_MAX),
        Param::choice(
            "channel",
            "channel",
            "which channel",
            &[
                (
                    "shared",
                    "the bounded MPMC channel every backend of a kind shares",
                ),
                ("own", "the backend's own channel, where it differs"),
            ],
        )
        .left_out_is("shared")
        .more(
            "By default the shared MPMC channel, plus each backend's own where it differs, as \
             a labelled variant.",
        ),
    ],
};

/// `producers` send `messages` in all through a queue of `capacity` to `consumers`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineSpec {
    /// Producer tasks.
    pub producers: u64,
    /// Consumer tasks.
    pub consumers: u64,
    /// Queue capacity: producers wait when it is full.
    pub capacity: u64,
    /// Messages in all.
    pub messages: u64,
    /// The shared MPMC channel (the default) or the backend's own, where it differs.
    #[serde(default, skip_serializing_if = "Channel::is_shared")]
    pub channel: Channel,
}

impl PipelineSpec {
    /// `messages` from `producers` to `consumers` through the shared channel of `capacity`.
    pub const fn new(producers: u64, consumers: u64, capacity: u64, messages: u64) -> Self {
        PipelineSpec {
            producers,
            consumers,
            capacity,
            messages,
            channel: Channel::Shared,
        }
    }

    /// The message ids producer `index` sends: a contiguous share, the last takes the rest.
    pub fn share(&self, index: u64) -> std::ops::Range<u64> {
        let size = self.messages / self.producers;
        let start = index * size;
        let end = if index + 1 == self.producers {
            self.messages
        } else {
            start + size
        };
        start..end
    }

    /// What a correct run returns: every message consumed exactly once.
    pub fn expected(&self) -> Outcome {
        (0..self.messages).map(consume).sum()
    }

    /// Accepts `got` when every message arrived once.
    pub fn verify(&self, got: &Outcome) -> Result<(), Mismatch> {
        Mismatch::unless_equal(&self.expected(), got)
    }
}

/// The message a producer sends for id `id`.
pub fn message(id: u64) -> u64 {
    crate::random::token(id)
}

/// What consuming message `value` adds to the outcome.
pub fn consume_value(value: u64) -> Outcome {
    Outcome {
        ops: 1,
        checksum: u128::from(value),
    }
}

fn consume(id: u64) -> Outcome {
    consume_value(message(id))
}

crate::runs::runs_on!(PipelineSpec, Into::into);

impl WorkloadSpec for PipelineSpec {
    fn size(&self) -> f64 {
        self.messages as f64
    }

    fn pool_workers(&self, _threads: u64) -> u64 {
        self.producers + self.consumers
    }

    fn kind(&self) -> WorkloadKind {
        WorkloadKind::Pipeline
    }

    /// Checks every bound.
    fn validate(&self) -> Result<(), SpecError> {
        SpecError::check_ranges(&[
            ("producers", self.producers, 1, ENDS_MAX),
            ("consumers", self.consumers, 1, ENDS_MAX),
            ("capacity", self.capacity, 1, CAPACITY_MAX),
            ("messages", self.messages, 1, MESSAGES_MAX),
        ])
    }

    fn expected_checksum(&self) -> String {
        self.expected().checksum.to_string()
    }

    fn verify_run(&self, got: &RunOutcome) -> Result<(), Mismatch> {
        self.verify(got.counted(self.kind())?)
    }

    fn synthetic(&self, _: u32, _: std::time::Duration) -> RunOutcome {
        cases::synthetic(self)
    }

    fn warmup(&self) -> Self {
        PipelineSpec {
            messages: self.messages.min(1_000),
            ..*self
        }
    }

    fn rate(&self, wall_s: f64) -> f64 {
        self.messages as f64 / wall_s
    }

    fn comparable(&self, _threads: u64) -> String {
        format!(
            "producers={} consumers={} capacity={} messages={}",
            self.producers, self.consumers, self.capacity, self.messages
        )
    }

    fn params_label(&self) -> String {
        match self.variant() {
            Some(variant) => format!("{} channel={variant}", self.comparable(0)),
            None => self.comparable(0),
        }
    }

    fn design_variant(&self) -> Option<Variant> {
        (self.channel == Channel::Own).then_some(Variant::OwnChannel)
    }

    fn timeout_s(&self, _predicted_s: Option<f64>) -> f64 {
        30.0 + self.messages as f64 * 1e-5
    }

    fn held(&self, _in_flight: u64) -> u64 {
        self.capacity + self.producers + self.consumers
    }

    fn with_variant(&self, variant: Variant) -> Option<Self> {
        (variant == Variant::OwnChannel).then_some(PipelineSpec {
            channel: Channel::Own,
            ..*self
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_every_message_once() {
        let spec = PipelineSpec::new(3, 2, 4, 10);
        let ids: Vec<u64> = (0..3).flat_map(|p| spec.share(p)).collect();
        assert_eq!(ids, (0..10).collect::<Vec<_>>());
        let outcome: Outcome = ids.into_iter().map(|id| consume_value(message(id))).sum();
        assert!(spec.verify(&outcome).is_ok());
        assert!(
            spec.verify(&Outcome {
                ops: 10,
                checksum: outcome.checksum + 1
            })
            .is_err()
        );
    }
}
