//! One family against another in every group both verified: the best io_uring runtime
//! against the best epoll runtime (the question teams ask of the thread-per-core runtimes), by
//! the same statistics as the decision table: the ratio of their trial values with its
//! exact interval and one of four outcomes against the margin.

use shootout_core::Family;
use shootout_core::stats::Comparison;

use crate::analysis::{Entry, Group, Metric, Options};

/// A challenger family's best against a holder family's best, in one group.
#[derive(Clone, Debug)]
pub struct Duel {
    /// The workload, e.g. `fetch`.
    pub workload: String,
    /// The group's cell, e.g. `concurrency=64 latency_ms=0 …`.
    pub title: String,
    /// The challenger family's best backend.
    pub challenger: String,
    /// The holder family's best backend.
    pub holder: String,
    /// Challenger against holder (above 1: the challenger is better).
    pub comparison: Comparison,
    /// What was compared (a rate, or a latency where lower is better).
    pub metric: Metric,
}

impl Duel {
    /// The outcome in the metric's words (`faster`, or `worse` for a higher p99).
    pub fn word(&self) -> &'static str {
        self.metric.word(self.comparison.outcome)
    }
}

/// In every group where both verified, the best `challenger` backend against the best
/// `holder` backend, in their shared designs (idioms are compared with their own
/// runtime, not across families).
pub fn duels(
    groups: &[Group<'_>],
    challenger: Family,
    holder: Family,
    runs: usize,
    options: Options,
) -> Vec<Duel> {
    groups
        .iter()
        .filter_map(|group| {
            let best = |family: Family| -> Option<&Entry<'_>> {
                group
                    .ok()
                    .filter(|e| e.cell.family() == family)
                    .filter(|e| e.cell.workload.design_variant().is_none())
                    .filter(|e| e.cell.workload.variant().is_none() || group.metric == Metric::P99)
                    .max_by(|a, b| {
                        let m = |e: &Entry<'_>| {
                            let v = group.median(e).unwrap_or(f64::NAN);
                            group.metric.goodness(v)
                        };
                        m(a).total_cmp(&m(b))
                    })
            };
            let (mine, theirs) = (best(challenger)?, best(holder)?);
            let comparison = options.test.compare(
                &mine.values(group.metric, options.exclude_disturbed),
                &theirs.values(group.metric, options.exclude_disturbed),
                group.metric.better(),
            );
            Some(Duel {
                workload: group.kind.name().to_string(),
                title: group.title.clone(),
                challenger: mine.mode_label(runs),
                holder: theirs.mode_label(runs),
                comparison,
                metric: group.metric,
            })
        })
        .collect()
}
