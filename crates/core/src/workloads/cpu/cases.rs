//! The cpu workload's conformance cases: n = 0 and 1, more jobs than elements, n not
//! divisible by jobs; each with the default placement and in every mode.

use super::CpuSpec;
use crate::outcome::RunOutcome;
use crate::placement::BlockingMode;
use crate::workload::Workload;

const CASES: [CpuSpec; 7] = [
    CpuSpec::new(0, 1),
    CpuSpec::new(0, 4),
    CpuSpec::new(1, 1),
    CpuSpec::new(3, 8),
    CpuSpec::new(1_000, 7),
    CpuSpec::new(1_000_003, 64),
    CpuSpec::new(5_000_000, 1),
];

/// `spec` with the default placement, then in every mode.
fn in_every_mode(spec: CpuSpec) -> impl Iterator<Item = Workload> {
    std::iter::once(None)
        .chain(BlockingMode::ALL.into_iter().map(Some))
        .map(move |mode| CpuSpec { mode, ..spec }.into())
}

/// Every case, with the default placement and in every mode.
pub fn cases() -> Vec<Workload> {
    CASES.into_iter().flat_map(in_every_mode).collect()
}

/// The cases whose driver the suite locates: one size in every placement.
pub fn driver_cases() -> Vec<Workload> {
    in_every_mode(CASES[4]).collect()
}

/// The mock backend's answer: the exact sum.
pub(crate) fn synthetic(spec: &CpuSpec) -> RunOutcome {
    spec.expected().into()
}
