//! The sleep workload's conformance cases: one task, no wait, and a batch small enough for
//! a sequential backend.

use super::SleepSpec;
use crate::outcome::{Outcome, RunOutcome};
use crate::workload::Workload;

const CASES: [SleepSpec; 4] = [
    SleepSpec {
        tasks: 1,
        sleep_ms: 0,
    },
    SleepSpec {
        tasks: 1,
        sleep_ms: 5,
    },
    SleepSpec {
        tasks: 7,
        sleep_ms: 1,
    },
    SleepSpec {
        tasks: 200,
        sleep_ms: 0,
    },
];

/// Every case.
pub fn cases() -> Vec<Workload> {
    CASES.into_iter().map(Workload::from).collect()
}

/// The cases whose driver the suite locates.
pub fn driver_cases() -> Vec<Workload> {
    vec![CASES[2].into()]
}

/// The mock backend's answer: every task woken once, as a real backend's tasks report
/// themselves.
pub(crate) fn synthetic(spec: &SleepSpec) -> RunOutcome {
    (0..spec.tasks)
        .map(|id| {
            super::waiting();
            Outcome::from(super::woke(id))
        })
        .sum::<Outcome>()
        .into()
}
