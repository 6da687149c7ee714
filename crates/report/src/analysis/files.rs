//! The rule "io_uring for files": the best io_uring runtime (its file operations submitted
//! to the kernel's ring) against the best epoll runtime (whose file API hands each operation
//! to a blocking pool) and against the best backend of plain threads (`std::fs` on a thread
//! per read), on the row's metric (reads/s), Holm-corrected across the two; p99 per read and
//! CPU per read compared the same way in a note. The other backends stand in the row's list.

use shootout_core::Family;
use shootout_core::stats::{Comparison, Outcome};

use super::blocking::{compare_pairs, pairs_verdict};
use super::decision::Decision;
use super::family::{best_figures, led};
use super::grounds::{Basis, Grounds, Note};
use super::{Entry, Group, Metric, Options};

/// The row of one files group, labelled `workload`.
pub(crate) fn decide_files(
    workload: String,
    group: &Group<'_>,
    runs: usize,
    options: Options,
) -> Option<Decision> {
    let best = group.best()?;
    let ring = best_of(group, Family::IoUringRuntime);
    let rivals: Vec<&Entry<'_>> = [Family::AsyncRuntime, Family::Threads]
        .into_iter()
        .filter_map(|family| best_of(group, family))
        .collect();
    let pairs: Vec<(&Entry<'_>, &Entry<'_>)> = ring
        .map(|ring| rivals.iter().map(|rival| (ring, *rival)).collect())
        .unwrap_or_default();
    // "Slower than one" and "equivalent to one" could rest on either rival.
    let some = [Outcome::Slower, Outcome::Equivalent];
    let compared = |metric: Metric| -> Vec<(String, Comparison)> {
        let outcomes = compare_pairs(group, &pairs, metric, options, &some);
        pairs
            .iter()
            .zip(outcomes)
            .map(|((_, rival), c)| (rival.mode_label(runs), c))
            .collect()
    };
    let shown = compared(group.metric);
    let verdict = pairs_verdict(
        &shown
            .iter()
            .map(|(_, c)| c.clone())
            .collect::<Vec<Comparison>>(),
    );
    let costs = (!pairs.is_empty()).then(|| Note::RingCosts {
        p99: compared(Metric::P99),
        cpu: compared(Metric::CpuPerRequest),
    });
    let (best_value, _) = best_figures(group, best, options)?;
    let grounds = Grounds {
        basis: Basis::OnRing {
            ring: ring.map(|e| e.mode_label(runs)),
            pairs: shown,
        },
        margin: group.test.margin,
        notes: costs.into_iter().collect(),
    };
    let led = led(group, best, best_value, runs);
    let rule = "io_uring for files";
    Some(led.decision(workload, group, "–".into(), rule, verdict, grounds))
}

/// The verified backend of `family` with the best median on the row's metric, among the
/// shared designs.
fn best_of<'g, 'a>(group: &'g Group<'a>, family: Family) -> Option<&'g Entry<'a>> {
    let goodness = |e: &Entry<'_>| {
        group
            .median(e)
            .map_or(f64::NEG_INFINITY, |m| group.metric.goodness(m))
    };
    group
        .ok()
        .filter(|e| e.cell.family() == family && e.cell.workload.design_variant().is_none())
        .max_by(|a, b| goodness(a).total_cmp(&goodness(b)))
}
