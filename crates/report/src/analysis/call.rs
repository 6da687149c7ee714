//! The rule "threads for blocking libraries": each async runtime's blocking calls on its
//! blocking pool (its default placement, which is threads) against the same calls inline
//! on its workers, on the row's metric (throughput), Holm-corrected across the runtimes.
//! The threads backends, rayon and the process pool stand in the row's list beside them;
//! a note says what switching to an async library does against the pool.

use shootout_core::BlockingMode;
use shootout_core::design::Variant;
use shootout_core::results::{CellStatus, TrialRecord};
use shootout_core::stats::{Better, Comparison, Outcome};

use super::blocking::{compare_pairs, pairs_verdict};
use super::decision::Decision;
use super::family::{adjust_some, best_figures, led};
use super::grounds::{Basis, Grounds, Note};
use super::{Entry, Group, Options, kept_trials};

/// The row of one library's call group, labelled `workload`.
pub(crate) fn decide_call(
    workload: String,
    group: &Group<'_>,
    runs: usize,
    options: Options,
) -> Option<Decision> {
    let best = group.best()?;
    // The pool against inline: "inline is better on one" and "equivalent on one" could
    // rest on any runtime.
    let pairs: Vec<(&Entry<'_>, &Entry<'_>)> = placed(group, |e| {
        e.cell.workload.placement() == Some(BlockingMode::Inline)
    });
    let some = [Outcome::Slower, Outcome::Equivalent];
    let outcomes = compare_pairs(group, &flipped(&pairs), group.metric, options, &some);
    let verdict = pairs_verdict(&outcomes);
    let shown: Vec<(String, Comparison)> = pairs
        .iter()
        .zip(outcomes)
        .map(|((inline, _), c)| (inline.label(runs), c))
        .collect();
    let (best_value, _) = best_figures(group, best, options)?;
    let grounds = Grounds {
        basis: Basis::OnThreads { pairs: shown },
        margin: group.test.margin,
        notes: async_note(group, runs, options)
            .into_iter()
            .chain(costs_notes(group, &pairs, runs, options))
            .collect(),
    };
    let led = led(group, best, best_value, runs);
    let rule = "threads for blocking libraries";
    Some(led.decision(workload, group, "–".into(), rule, verdict, grounds))
}

/// Each runtime's async-library cells (its own, reqwest, sqlx) against its blocking library
/// on the blocking pool, where both verified, Holm-corrected across the runtimes like the
/// rule's own pairs: on calls/s, p99 per call and CPU per call (both hold C in flight, so
/// their p99s compare).
fn async_note(group: &Group<'_>, runs: usize, options: Options) -> Option<Note> {
    let pairs = placed(group, |e| {
        e.cell
            .workload
            .design_variant()
            .is_some_and(Variant::is_async_library)
    });
    if pairs.is_empty() {
        return None;
    }
    let some = [Outcome::Faster, Outcome::Slower, Outcome::Equivalent];
    let labelled = |outcomes: Vec<Comparison>| -> Vec<(String, Comparison)> {
        pairs
            .iter()
            .zip(outcomes)
            .map(|((native, _), c)| (native.mode_label(runs), c))
            .collect()
    };
    Some(Note::AsyncLibrary {
        rate: labelled(compare_pairs(group, &pairs, group.metric, options, &some)),
        p99: labelled(compare_costs(group, &pairs, CallCost::P99PerCall, options)),
        cpu: labelled(compare_costs(group, &pairs, CallCost::CpuPerCall, options)),
        memory: labelled(compare_costs(
            group,
            &pairs,
            CallCost::MemoryPerCall,
            options,
        )),
    })
}

/// What the blocking pool costs against inline calls, runtime by runtime (pool / inline):
/// the ticker's p99 lateness beside the calls, where one ran, CPU per call and memory per
/// call in flight.
fn costs_notes(
    group: &Group<'_>,
    pairs: &[(&Entry<'_>, &Entry<'_>)],
    runs: usize,
    options: Options,
) -> Vec<Note> {
    let pooled_first = flipped(pairs);
    let labelled = |outcomes: Vec<Comparison>| -> Vec<(String, Comparison)> {
        pairs
            .iter()
            .zip(outcomes)
            .map(|((inline, _), c)| (inline.label(runs), c))
            .collect()
    };
    let mut notes = Vec::new();
    let tick_us = group
        .entries
        .iter()
        .find_map(|e| e.cell.workload.call().map(|spec| spec.tick_us))
        .filter(|&us| us > 0);
    if let Some(tick_us) = tick_us {
        let ticker = compare_costs(group, &pooled_first, CallCost::Ticker, options);
        if ticker.iter().any(|c| !c.ratio.is_nan()) {
            notes.push(Note::CallTicker {
                tick_us,
                pairs: labelled(ticker),
            });
        }
    }
    let cpu = compare_costs(group, &pooled_first, CallCost::CpuPerCall, options);
    if !cpu.is_empty() {
        notes.push(Note::PoolCpu(labelled(cpu)));
    }
    let memory = compare_costs(group, &pooled_first, CallCost::MemoryPerCall, options);
    if !memory.is_empty() {
        notes.push(Note::PoolMemory(labelled(memory)));
    }
    notes
}

/// A call trial's cost a note compares: lower is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CallCost {
    /// The ticker's p99 lateness beside the calls, microseconds.
    Ticker,
    /// p99 per call, microseconds.
    P99PerCall,
    /// The client's CPU time per call, microseconds.
    CpuPerCall,
    /// What each of the C workers held, bytes: the memory the run grew by (peak RSS less
    /// the RSS before the clock) over C. Over C, not over the calls a cell keeps running at
    /// once (W inline): every placement keeps C calls open, and the growth per placement is
    /// what differs (the pool's threads), not a fixed growth over a smaller count.
    MemoryPerCall,
}

impl CallCost {
    /// Its value in one trial of a cell of `workers` workers, where the trial has it.
    fn of(self, r: &TrialRecord, workers: Option<u64>) -> Option<f64> {
        let calls = r.calls.as_ref()?;
        match self {
            CallCost::Ticker => calls.tick_late_us.as_ref().map(|p| p.p99 as f64),
            CallCost::P99PerCall => Some(calls.latency_us.p99 as f64),
            CallCost::CpuPerCall => {
                (calls.calls > 0).then(|| (r.user_s + r.sys_s) / calls.calls as f64 * 1e6)
            }
            CallCost::MemoryPerCall => workers
                .filter(|&n| n > 0)
                .map(|n| r.peak_rss_bytes.saturating_sub(r.baseline_rss_bytes) as f64 / n as f64),
        }
    }

    /// Its values in `entry`'s verified (and, if asked, undisturbed) trials.
    fn values(self, entry: &Entry<'_>, options: Options) -> Vec<f64> {
        if entry.cell.status != CellStatus::Ok {
            return Vec::new();
        }
        let workers = entry.cell.workload.call().map(|spec| spec.concurrency);
        kept_trials(entry.cell, options.exclude_disturbed)
            .into_iter()
            .filter_map(|(_, r)| self.of(r, workers))
            .collect()
    }
}

/// `pairs` compared on `cost` (the first of each against the second), Holm-corrected
/// across the pairs.
fn compare_costs(
    group: &Group<'_>,
    pairs: &[(&Entry<'_>, &Entry<'_>)],
    cost: CallCost,
    options: Options,
) -> Vec<Comparison> {
    let values: Vec<(Vec<f64>, Vec<f64>)> = pairs
        .iter()
        .map(|(a, b)| (cost.values(a, options), cost.values(b, options)))
        .collect();
    let slices: Vec<(&[f64], &[f64])> = values
        .iter()
        .map(|(a, b)| (a.as_slice(), b.as_slice()))
        .collect();
    let mut outcomes = group.test.compare_row(&slices, Better::Lower);
    let some = [Outcome::Faster, Outcome::Slower, Outcome::Equivalent];
    adjust_some(outcomes.iter_mut().collect(), &some, group.test.alpha);
    outcomes
}

/// Every verified event-loop cell `which` picks, with its runtime's blocking library on
/// the blocking pool (its default placement), where that verified too.
fn placed<'g, 'a>(
    group: &'g Group<'a>,
    which: impl Fn(&Entry<'a>) -> bool,
) -> Vec<(&'g Entry<'a>, &'g Entry<'a>)> {
    group
        .ok()
        .filter(|e| e.cell.family().is_async() && which(e))
        .filter_map(|entry| {
            let pooled = group.ok().find(|e| {
                e.run == entry.run
                    && e.cell.backend == entry.cell.backend
                    && e.cell.workload.placement().is_none()
                    && e.cell.workload.design_variant().is_none()
            })?;
            Some((entry, pooled))
        })
        .collect()
}

/// The pairs the other way round: the pool first.
fn flipped<'g, 'a>(
    pairs: &[(&'g Entry<'a>, &'g Entry<'a>)],
) -> Vec<(&'g Entry<'a>, &'g Entry<'a>)> {
    pairs.iter().map(|&(a, b)| (b, a)).collect()
}
