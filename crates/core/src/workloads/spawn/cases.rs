//! The spawn workload's conformance cases: one task, and enough to exercise a task group.

use super::SpawnSpec;
use crate::outcome::RunOutcome;
use crate::workload::Workload;

const CASES: [SpawnSpec; 2] = [SpawnSpec::new(1), SpawnSpec::new(5_000)];

/// Every case.
pub fn cases() -> Vec<Workload> {
    CASES.into_iter().map(Workload::from).collect()
}

/// The cases whose driver the suite locates.
pub fn driver_cases() -> Vec<Workload> {
    vec![CASES[1].into()]
}

/// The mock backend's answer: every task joined once, its checksum reduced as
/// [`crate::Backend::run`] reduces every spawn outcome.
pub(crate) fn synthetic(spec: &SpawnSpec) -> RunOutcome {
    super::reduced(spec.expected()).into()
}
