//! The workloads, as plain data: what to run, how big, and what the answer must be.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::cpu::CpuSpec;
use crate::outcome::{Mismatch, Outcome};
use crate::sleep::SleepSpec;

/// One workload with its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "workload", content = "params", rename_all = "lowercase")]
pub enum Workload {
    /// Many tasks each waiting on a timer.
    Sleep(SleepSpec),
    /// An exact sum of squares split into jobs.
    Cpu(CpuSpec),
}

impl Workload {
    /// Which workload this is.
    pub fn kind(&self) -> WorkloadKind {
        match self {
            Workload::Sleep(_) => WorkloadKind::Sleep,
            Workload::Cpu(_) => WorkloadKind::Cpu,
        }
    }

    /// Checks every parameter against its valid range.
    pub fn validate(&self) -> Result<(), SpecError> {
        match self {
            Workload::Sleep(spec) => spec.validate(),
            Workload::Cpu(spec) => spec.validate(),
        }
    }

    /// The outcome a correct backend returns.
    pub fn expected(&self) -> Outcome {
        match self {
            Workload::Sleep(spec) => spec.expected(),
            Workload::Cpu(spec) => spec.expected(),
        }
    }

    /// Accepts `got` only if it equals the expected outcome exactly.
    pub fn verify(&self, got: &Outcome) -> Result<(), Mismatch> {
        let expected = self.expected();
        if *got == expected {
            Ok(())
        } else {
            Err(Mismatch {
                expected_ops: expected.ops,
                expected_checksum: expected.checksum,
                got_ops: got.ops,
                got_checksum: got.checksum,
            })
        }
    }

    /// A small version of the same workload, to warm up a backend before timing.
    pub fn warmup(&self) -> Workload {
        match *self {
            Workload::Sleep(spec) => Workload::Sleep(SleepSpec {
                tasks: spec.tasks.min(64),
                sleep_ms: spec.sleep_ms.min(1),
            }),
            Workload::Cpu(spec) => Workload::Cpu(CpuSpec {
                n: spec.n.min(1_000_000),
                jobs: spec.jobs,
            }),
        }
    }

    /// The work rate for a run of `wall_s` seconds, in [`WorkloadKind::rate_unit`].
    pub fn rate(&self, wall_s: f64) -> f64 {
        match self {
            Workload::Sleep(spec) => spec.tasks as f64 / wall_s,
            Workload::Cpu(spec) => spec.n as f64 / wall_s / 1e9,
        }
    }

    /// The best possible wall time, where one exists (a sleep cannot end before its timer).
    pub fn ideal_s(&self) -> Option<f64> {
        match self {
            Workload::Sleep(spec) => Some(spec.sleep_ms as f64 / 1e3),
            Workload::Cpu(_) => None,
        }
    }

    /// Parameters in a short human form, e.g. `tasks=10000 sleep_ms=100`.
    pub fn params_label(&self) -> String {
        match self {
            Workload::Sleep(spec) => format!("tasks={} sleep_ms={}", spec.tasks, spec.sleep_ms),
            Workload::Cpu(spec) => format!("n={} jobs={}", spec.n, spec.jobs),
        }
    }
}

/// The workloads by name, without parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkloadKind {
    /// See [`Workload::Sleep`].
    Sleep,
    /// See [`Workload::Cpu`].
    Cpu,
}

impl WorkloadKind {
    /// Every workload, in the order reports list them.
    pub const ALL: [WorkloadKind; 2] = [WorkloadKind::Sleep, WorkloadKind::Cpu];

    /// The name used on the command line and in results.
    pub fn name(self) -> &'static str {
        match self {
            WorkloadKind::Sleep => "sleep",
            WorkloadKind::Cpu => "cpu",
        }
    }

    /// One line on what the workload does and how it is verified.
    pub fn description(self) -> &'static str {
        match self {
            WorkloadKind::Sleep => {
                "TASKS tasks each wait SLEEP_MS on the backend's timer, all started together; \
                 verified by completion count and a checksum of task ids"
            }
            WorkloadKind::Cpu => {
                "exact u128 sum of i*i for i in 0..N split into JOBS contiguous jobs; \
                 verified against n(n-1)(2n-1)/6"
            }
        }
    }

    /// The unit of [`Workload::rate`].
    pub fn rate_unit(self) -> &'static str {
        match self {
            WorkloadKind::Sleep => "tasks/s",
            WorkloadKind::Cpu => "Gelem/s",
        }
    }
}

impl fmt::Display for WorkloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A parameter is out of its valid range.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SpecError {
    /// The parameter's name, as in the spec (`sleep_ms`); the CLI flag is `--sleep-ms`.
    pub field: &'static str,
    /// A sentence naming the parameter, its value and the valid range.
    pub message: String,
}

impl SpecError {
    /// An error about `field` with a custom message.
    pub fn new(field: &'static str, message: String) -> Self {
        SpecError { field, message }
    }

    /// `field` is `value`, outside `min..=max`.
    pub fn out_of_range(field: &'static str, value: u64, min: u64, max: u64) -> Self {
        SpecError::new(
            field,
            format!("{field} = {value} is out of range; valid range is {min}..={max}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_workload_and_params() {
        let workload = Workload::Cpu(CpuSpec { n: 10, jobs: 2 });
        let json = serde_json::to_value(workload).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"workload": "cpu", "params": {"n": 10, "jobs": 2}})
        );
        assert_eq!(serde_json::from_value::<Workload>(json).unwrap(), workload);
    }

    #[test]
    fn verify_rejects_a_wrong_sum() {
        let workload = Workload::Cpu(CpuSpec { n: 10, jobs: 2 });
        let mut got = workload.expected();
        assert!(workload.verify(&got).is_ok());
        got.checksum += 1;
        assert!(workload.verify(&got).is_err());
    }
}
