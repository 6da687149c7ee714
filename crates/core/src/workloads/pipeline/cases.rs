//! The pipeline workload's conformance cases: one of each end, more ends than capacity,
//! uneven shares.

use super::PipelineSpec;
use crate::outcome::RunOutcome;
use crate::workload::Workload;

const CASES: [PipelineSpec; 3] = [
    PipelineSpec::new(1, 1, 1, 1),
    PipelineSpec::new(3, 4, 2, 1_001),
    PipelineSpec::new(2, 2, 64, 20_000),
];

/// Every case.
pub fn cases() -> Vec<Workload> {
    CASES.into_iter().map(Workload::from).collect()
}

/// The cases whose driver the suite locates.
pub fn driver_cases() -> Vec<Workload> {
    vec![CASES[2].into()]
}

/// The mock backend's answer: every message consumed once.
pub(crate) fn synthetic(spec: &PipelineSpec) -> RunOutcome {
    spec.expected().into()
}
