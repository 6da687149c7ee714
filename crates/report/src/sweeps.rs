//! Where a rule of thumb starts to hold along a sweep (tasks, concurrency, worker threads,
//! job length): the verdict at every size, the crossover, where a backend stops, and the
//! sizes where the choice does not matter.

use shootout_core::results::CellStatus;

use crate::analysis::{self, Group, Options, Verdict};
use crate::format::{count, percent};

/// One sweep and what its verdicts say.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// The decision row it belongs to: `sleep`, `fetch (latency)`, `cpu`, `blocking`.
    pub workload: String,
    /// What is held fixed, e.g. `sleep_ms=100`.
    pub fixed: String,
    /// The swept size's name: `tasks`, `concurrency`, `worker threads`, `elements per job`.
    pub axis: &'static str,
    /// The rule of thumb.
    pub rule: &'static str,
    /// The verdict at each size, smallest first.
    pub verdicts: Vec<(f64, Verdict)>,
    /// The smallest size from which the rule is confirmed at every larger size that has
    /// something to compare.
    pub crossover: Option<f64>,
    /// Backends that fail or are skipped from some size on: (backend, size, reason).
    pub stops: Vec<(String, f64, String)>,
}

impl Sweep {
    /// The sizes where the rule does not matter, as a range, if any.
    pub fn no_matter(&self) -> Option<(f64, f64)> {
        let sizes: Vec<f64> = self
            .verdicts
            .iter()
            .filter(|(_, v)| *v == Verdict::DoesNotMatter)
            .map(|(s, _)| *s)
            .collect();
        Some((*sizes.first()?, *sizes.last()?))
    }

    /// One sentence: crossover, stops, where it does not matter.
    pub fn sentence(&self, options: Options) -> String {
        let mut parts = Vec::new();
        let verdicts: Vec<String> = self
            .verdicts
            .iter()
            .map(|(size, v)| format!("{} {}", count(*size), v.name()))
            .collect();
        parts.push(format!(
            "{} ({}) against {}: {}",
            self.workload,
            self.fixed,
            self.axis,
            verdicts.join(", ")
        ));
        parts.push(match self.crossover {
            Some(at) => format!(
                "\"{}\" holds beyond ±{} from {} {} on",
                self.rule,
                percent(options.test.margin),
                count(at),
                self.axis
            ),
            None => format!(
                "\"{}\" is confirmed at no size from which it keeps holding",
                self.rule
            ),
        });
        if let Some((low, high)) = self.no_matter() {
            parts.push(if low == high {
                format!("the choice does not matter at {} {}", count(low), self.axis)
            } else {
                format!(
                    "the choice does not matter from {} to {} {}",
                    count(low),
                    count(high),
                    self.axis
                )
            });
        }
        for (backend, size, reason) in &self.stops {
            parts.push(format!(
                "{backend} stops at {} {} ({reason})",
                count(*size),
                self.axis
            ));
        }
        parts.join("; ") + "."
    }
}

/// A failure or skip reason cut to its first clause (`predicted 50 s per trial`), or to about
/// 70 characters at a word boundary.
fn short(reason: &str) -> String {
    if reason.starts_with("predicted")
        && let Some((head, _)) = reason.split_once(" (")
    {
        return head.to_string();
    }
    if reason.chars().count() <= 70 {
        return reason.to_string();
    }
    let cut: String = reason.chars().take(70).collect();
    match cut.rsplit_once(' ') {
        Some((head, _)) => format!("{head}…"),
        None => format!("{cut}…"),
    }
}

/// What makes groups one sweep, and the swept size of a group: where its cells say they
/// sit ([`shootout_core::Workload::sweep_point`]).
fn sweep_of(group: &Group<'_>) -> Option<(String, String, &'static str, f64)> {
    let cell = group.entries[0].cell;
    let point = cell.workload.sweep_point(cell.threads)?;
    Some((point.row.to_string(), point.fixed, point.axis, point.at))
}

/// Every sweep of two or more sizes, with its verdicts.
pub fn sweeps(groups: &[Group<'_>], runs: usize, options: Options) -> Vec<Sweep> {
    type Key = (String, String, &'static str);
    let mut keyed: Vec<(Key, Vec<(f64, &Group<'_>)>)> = Vec::new();
    for group in groups {
        let Some((workload, fixed, axis, size)) = sweep_of(group) else {
            continue;
        };
        let key = (workload, fixed, axis);
        match keyed.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push((size, group)),
            None => keyed.push((key, vec![(size, group)])),
        }
    }
    keyed
        .into_iter()
        .filter(|(_, members)| members.len() >= 2)
        .map(|((workload, fixed, axis), mut members)| {
            members.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut rule = "";
            let verdicts: Vec<(f64, Verdict)> = members
                .iter()
                .map(|(size, group)| {
                    let decision = analysis::decide_group(group, runs, options);
                    if let Some(d) = &decision {
                        rule = d.rule;
                    }
                    (*size, decision.map_or(Verdict::Open, |d| d.verdict))
                })
                .collect();
            // Confirmed here and at every larger size that could be judged (a size where
            // every rival stopped has nothing to compare: it neither breaks nor makes it).
            let crossover = (0..verdicts.len())
                .find(|&i| {
                    verdicts[i].1 == Verdict::Confirmed
                        && verdicts[i..]
                            .iter()
                            .all(|(_, v)| matches!(v, Verdict::Confirmed | Verdict::Open))
                })
                .map(|i| verdicts[i].0);
            let mut stops: Vec<(String, f64, String)> = Vec::new();
            for (size, group) in &members {
                for entry in &group.entries {
                    let stopped = entry.cell.status == CellStatus::Failed
                        || (entry.cell.status == CellStatus::Skipped
                            && !entry
                                .cell
                                .reason
                                .as_deref()
                                .is_some_and(|r| r.starts_with("not applicable")));
                    let label = entry.mode_label(runs);
                    if stopped && !stops.iter().any(|(b, _, _)| *b == label) {
                        let reason = entry.cell.reason.clone().unwrap_or_default();
                        stops.push((label, *size, short(&reason)));
                    }
                }
            }
            Sweep {
                workload,
                fixed,
                axis,
                rule,
                verdicts,
                crossover,
                stops,
            }
        })
        .collect()
}

/// The crossover of the sweeps of `workload` whose fixed part `matches`, as chart guides.
pub fn guides(
    sweeps: &[Sweep],
    workload: &str,
    matches: impl Fn(&str) -> bool,
) -> Vec<crate::charts::Guide> {
    sweeps
        .iter()
        .filter(|s| s.workload == workload && matches(&s.fixed))
        .filter_map(|s| {
            Some(crate::charts::Guide {
                x: s.crossover?,
                label: format!("crossover: {}", s.rule),
            })
        })
        .collect()
}
