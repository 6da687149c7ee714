//! The rule "threads for blocking libraries": each async runtime's blocking calls on its
//! blocking pool (its default placement, which is threads) against the same calls inline
//! on its workers, on the row's metric (throughput), Holm-corrected across the runtimes.
//! The threads backends, rayon and the process pool stand in the row's list beside them.

use shootout_core::BlockingMode;
use shootout_core::design::Variant;
use shootout_core::stats::{Comparison, Outcome};

use super::decision::{Decision, Verdict, leaders, versus_list};
use super::family::{adjust_some, best_figures};
use super::grounds::{Basis, Grounds, Note};
use super::{Entry, Group, Options};

/// The row of one library's call group, labelled `workload`.
pub(crate) fn decide_call(
    workload: String,
    group: &Group<'_>,
    runs: usize,
    options: Options,
) -> Option<Decision> {
    let best = group.best()?;
    let pairs = pooled_pairs(group);
    let values: Vec<(Vec<f64>, Vec<f64>)> = pairs
        .iter()
        .map(|(inline, pooled)| {
            (
                pooled.values(group.metric, options.exclude_disturbed),
                inline.values(group.metric, options.exclude_disturbed),
            )
        })
        .collect();
    let slices: Vec<(&[f64], &[f64])> = values
        .iter()
        .map(|(a, b)| (a.as_slice(), b.as_slice()))
        .collect();
    let mut outcomes = group.test.compare_row(&slices, group.metric.better());
    // "Inline is better on one" and "equivalent on one" could rest on any runtime.
    adjust_some(
        outcomes.iter_mut().collect(),
        &[Outcome::Slower, Outcome::Equivalent],
        group.test.alpha,
    );
    let verdict = verdict(&outcomes);
    let shown: Vec<(String, Comparison)> = pairs
        .iter()
        .zip(outcomes)
        .map(|((inline, _), c)| (inline.label(runs), c))
        .collect();
    let (best_value, _) = best_figures(group, best, options)?;
    let versus = versus_list(group, runs);
    let label = best.mode_label(runs);
    let leaders = leaders(&label, &versus);
    let best_value = if leaders == label {
        best_value
    } else {
        format!("by median {label} {best_value}")
    };
    Some(Decision {
        workload,
        title: group.title.clone(),
        best: leaders,
        top: label,
        best_value,
        versus,
        speedup: "–".into(),
        rule: "threads for blocking libraries",
        verdict,
        grounds: Grounds {
            basis: Basis::OnThreads { pairs: shown },
            margin: group.test.margin,
            notes: async_note(group, runs, options).into_iter().collect(),
        },
        trials: group.trials(),
        metric: group.metric,
    })
}

/// Each runtime's async-library cell against its blocking library on the blocking pool,
/// where both verified, Holm-corrected across the runtimes like the rule's own pairs.
fn async_note(group: &Group<'_>, runs: usize, options: Options) -> Option<Note> {
    let pairs: Vec<(&Entry<'_>, &Entry<'_>)> = group
        .ok()
        .filter(|e| e.cell.workload.design_variant() == Some(Variant::AsyncLibrary))
        .filter_map(|native| Some((native, pooled(group, native)?)))
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let values: Vec<(Vec<f64>, Vec<f64>)> = pairs
        .iter()
        .map(|(native, pooled)| {
            (
                native.values(group.metric, options.exclude_disturbed),
                pooled.values(group.metric, options.exclude_disturbed),
            )
        })
        .collect();
    let slices: Vec<(&[f64], &[f64])> = values
        .iter()
        .map(|(a, b)| (a.as_slice(), b.as_slice()))
        .collect();
    let mut outcomes = group.test.compare_row(&slices, group.metric.better());
    adjust_some(
        outcomes.iter_mut().collect(),
        &[Outcome::Faster, Outcome::Slower, Outcome::Equivalent],
        group.test.alpha,
    );
    let said = pairs
        .iter()
        .zip(outcomes)
        .map(|((native, _), c)| (native.mode_label(runs), c))
        .collect();
    Some(Note::AsyncLibrary(said))
}

/// The cell of the same run and backend as `entry` that runs the blocking library on the
/// blocking pool (its default placement).
fn pooled<'g, 'a>(group: &'g Group<'a>, entry: &Entry<'a>) -> Option<&'g Entry<'a>> {
    group.ok().find(|e| {
        e.run == entry.run
            && e.cell.backend == entry.cell.backend
            && e.cell.workload.placement().is_none()
            && e.cell.workload.design_variant().is_none()
    })
}

/// Every event loop's (epoll or io_uring) inline cell with its default one (the blocking
/// pool), where both verified.
fn pooled_pairs<'g, 'a>(group: &'g Group<'a>) -> Vec<(&'g Entry<'a>, &'g Entry<'a>)> {
    group
        .ok()
        .filter(|e| e.cell.family().is_async())
        .filter(|e| e.cell.workload.placement() == Some(BlockingMode::Inline))
        .filter_map(|inline| Some((inline, pooled(group, inline)?)))
        .collect()
}

/// The verdict from each runtime's pooled-against-inline comparison: confirmed when the
/// pool is better beyond the margin on every runtime, contradicted when inline is better on
/// one, does-not-matter when they are equivalent on one and no other decided otherwise.
fn verdict(outcomes: &[Comparison]) -> Verdict {
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
