//! The rule "threads for blocking libraries": each async runtime's blocking calls on its
//! blocking pool (its default placement, which is threads) against the same calls inline
//! on its workers, on the row's metric (throughput), Holm-corrected across the runtimes.
//! The threads backends, rayon and the process pool stand in the row's list beside them;
//! a note says what switching to an async library does against the pool.

use shootout_core::BlockingMode;
use shootout_core::design::Variant;
use shootout_core::stats::{Comparison, Outcome};

use super::blocking::{compare_pairs, pairs_verdict};
use super::decision::Decision;
use super::family::{Led, best_figures, led};
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
    let Led {
        leaders,
        label,
        best_value,
        versus,
    } = led(group, best, best_value, runs);
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

/// Each runtime's async-library cells (its own, reqwest, sqlx) against its blocking library
/// on the blocking pool,
/// where both verified, Holm-corrected across the runtimes like the rule's own pairs.
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
    let outcomes = compare_pairs(group, &pairs, group.metric, options, &some);
    let said = pairs
        .iter()
        .zip(outcomes)
        .map(|((native, _), c)| (native.mode_label(runs), c))
        .collect();
    Some(Note::AsyncLibrary(said))
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
