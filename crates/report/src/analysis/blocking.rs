//! The blocking rule ("keep CPU work off the event loop"): each async runtime's offloaded
//! p99 tick lateness against its inline one.

use shootout_core::BlockingMode;
use shootout_core::kind::Rule;
use shootout_core::results::Cell;
use shootout_core::stats::{Comparison, Outcome, Spread};

use super::decision::{Decision, Verdict, versus_list};
use super::grounds::{Basis, Grounds};
use super::{Entry, Group, Metric, Options};
use crate::format::seconds;

/// Where a cell's CPU jobs run, for blocking cells and cpu cells placed by mode.
pub fn job_mode(cell: &Cell) -> Option<BlockingMode> {
    cell.workload.placement()
}

/// The mode of a cell judged by the blocking rule.
pub fn blocking_mode(cell: &Cell) -> Option<BlockingMode> {
    let judged = cell.workload.kind().about().rule == Rule::OffTheEventLoop;
    judged.then(|| cell.workload.placement()).flatten()
}

/// The spread of a verified cell's p99 tick lateness (or request latency), microseconds.
pub fn p99_us(cell: &Cell) -> Option<Spread> {
    let summary = cell.summary.as_ref()?;
    Some(
        summary
            .from_due_us
            .as_ref()
            .or(summary.latency_us.as_ref())?
            .p99,
    )
}

/// "Keep CPU work off the event loop": each async runtime's (epoll or io_uring) offloaded
/// p99 tick lateness against its inline one, Holm-corrected across the runtimes. Confirmed
/// when offloading is better beyond the margin on every runtime; contradicted when inline
/// is better on one.
pub(crate) fn decide_blocking(
    group: &Group<'_>,
    runs: usize,
    options: Options,
) -> Option<Decision> {
    let best = group.best()?;
    let best_p99 = group.median(best)?;
    let pairs = offload_pairs(group);
    let offloaded: Vec<(&Entry<'_>, &Entry<'_>)> = pairs.iter().map(|&(i, o)| (o, i)).collect();
    // "Offloading is worse on one" and "equivalent on one" could rest on any runtime.
    let some = [Outcome::Slower, Outcome::Equivalent];
    let outcomes = compare_pairs(group, &offloaded, Metric::P99, options, &some);
    let (verdict, basis) = blocking_verdict(&pairs, &outcomes, runs);
    Some(Decision {
        workload: "blocking".into(),
        title: group.title.clone(),
        best: best.mode_label(runs),
        top: best.mode_label(runs),
        best_value: format!("p99 lateness {}", seconds(best_p99 / 1e6)),
        versus: versus_list(group, runs),
        speedup: "–".into(),
        rule: "keep CPU work off the event loop",
        verdict,
        grounds: Grounds {
            basis,
            margin: group.test.margin,
            notes: Vec::new(),
        },
        trials: group.trials(),
        metric: group.metric,
    })
}

/// Every event loop's (the epoll runtimes' and the io_uring ones') inline cell with its
/// offloaded one, where both verified.
fn offload_pairs<'g, 'a>(group: &'g Group<'a>) -> Vec<(&'g Entry<'a>, &'g Entry<'a>)> {
    group
        .ok()
        .filter(|e| e.cell.family().is_async())
        .filter(|e| blocking_mode(e.cell) == Some(BlockingMode::Inline))
        .filter_map(|inline| Some((inline, group.in_mode(inline, BlockingMode::Offload)?)))
        .collect()
}

/// The blocking rule's verdict from each pair's comparison (offloaded against inline), and
/// the pairs it rests on, shown as inline over offloaded ("457×" reads where "0.0022×"
/// does not) with offloading's outcome.
fn blocking_verdict(
    pairs: &[(&Entry<'_>, &Entry<'_>)],
    outcomes: &[Comparison],
    runs: usize,
) -> (Verdict, Basis) {
    let shown: Vec<(String, Comparison)> = pairs
        .iter()
        .zip(outcomes)
        .map(|((inline, _), c)| {
            let shown = Comparison {
                ratio: 1.0 / c.ratio,
                low: 1.0 / c.high,
                high: 1.0 / c.low,
                ..c.clone()
            };
            (inline.label(runs), shown)
        })
        .collect();
    (pairs_verdict(outcomes), Basis::Offload { pairs: shown })
}

/// A rule judged on pairs (each runtime's favoured placement against the pitfall), from
/// each pair's comparison, the favoured one first: confirmed when it is better beyond the
/// margin on every runtime, contradicted when worse on one, does-not-matter when
/// equivalent on one and no other decided otherwise, open without pairs.
pub(crate) fn pairs_verdict(outcomes: &[Comparison]) -> Verdict {
    let any = |outcome: Outcome| outcomes.iter().any(|c| c.outcome == outcome);
    if outcomes.is_empty() {
        Verdict::Open
    } else if any(Outcome::Slower) {
        Verdict::Contradicted
    } else if !any(Outcome::Inconclusive) && !any(Outcome::Equivalent) {
        Verdict::Confirmed
    } else if any(Outcome::Equivalent) {
        Verdict::DoesNotMatter
    } else {
        Verdict::Inconclusive
    }
}

/// Each pair of `pairs` compared on `group`'s metric, the first of each against the second,
/// Holm's correction applied to the outcomes in `some` (the claims that could rest on any
/// one pair).
pub(crate) fn compare_pairs(
    group: &Group<'_>,
    pairs: &[(&Entry<'_>, &Entry<'_>)],
    metric: Metric,
    options: Options,
    some: &[Outcome],
) -> Vec<Comparison> {
    let values: Vec<(Vec<f64>, Vec<f64>)> = pairs
        .iter()
        .map(|(a, b)| {
            (
                a.values(metric, options.exclude_disturbed),
                b.values(metric, options.exclude_disturbed),
            )
        })
        .collect();
    let slices: Vec<(&[f64], &[f64])> = values
        .iter()
        .map(|(a, b)| (a.as_slice(), b.as_slice()))
        .collect();
    let mut outcomes = group.test.compare_row(&slices, metric.better());
    super::family::adjust_some(outcomes.iter_mut().collect(), some, group.test.alpha);
    outcomes
}
