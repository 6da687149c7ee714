//! The blocking workload's conformance cases, run in every mode a backend offers: one
//! ticker with one tick and no CPU work, and several tickers next to more jobs than workers.

use std::time::Duration;

use super::{BlockingMode, BlockingSpec, JobDone, TickLog, TickOutcome};
use crate::outcome::{Outcome, RunOutcome};
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

/// The mock backend's answer: every tick on time within 50 µs times `slowness` when the
/// jobs are offloaded, and 20 ms times `slowness` late when they run inline (the pitfall);
/// the jobs' exact sum, done when the run ends (`took`).
pub(crate) fn synthetic(spec: &BlockingSpec, slowness: u32, took: Duration) -> RunOutcome {
    let late_us = match spec.mode {
        BlockingMode::Inline => 20_000,
        _ => 50,
    } * u64::from(slowness);
    let logs = (0..spec.tickers).map(|id| TickLog {
        ticks: Outcome {
            ops: spec.ticks,
            checksum: u128::from(crate::random::token(id)) * u128::from(spec.ticks),
        },
        lateness_us: vec![late_us; spec.ticks as usize],
        last: spec.window(),
    });
    let jobs = [JobDone {
        outcome: spec.cpu().expected(),
        at: took,
    }];
    TickOutcome::collect(logs, jobs).into()
}
