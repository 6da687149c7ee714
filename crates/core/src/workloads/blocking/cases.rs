//! The blocking workload's conformance cases, run in every mode a backend offers: one
//! ticker with one tick and no CPU work, and several tickers next to more jobs than workers.

use super::{BlockingMode, BlockingSpec};
use crate::workload::Workload;

const CASES: [BlockingSpec; 2] = [
    BlockingSpec {
        tickers: 1,
        ticks: 1,
        tick_us: 100,
        n: 0,
        jobs: 1,
        mode: BlockingMode::Inline,
    },
    BlockingSpec {
        tickers: 5,
        ticks: 20,
        tick_us: 1_000,
        n: 3_000_001,
        jobs: 6,
        mode: BlockingMode::Inline,
    },
];

/// `spec` in every mode.
fn in_every_mode(spec: BlockingSpec) -> impl Iterator<Item = Workload> {
    BlockingMode::ALL
        .into_iter()
        .map(move |mode| BlockingSpec { mode, ..spec }.into())
}

/// Every case in every mode.
pub fn cases() -> Vec<Workload> {
    CASES.into_iter().flat_map(in_every_mode).collect()
}

/// The cases whose driver the suite locates: the first case in every mode.
pub fn driver_cases() -> Vec<Workload> {
    in_every_mode(CASES[0]).collect()
}
