//! The family rules ("async for I/O", "parallel pools for CPU"): the best backend's family
//! against the others, with the notes a row carries (idioms, placements, a busy server).

use shootout_core::kind::Rule;
use shootout_core::results::{Cell, CellStatus};
use shootout_core::stats::{Comparison, Needed, Outcome, holm};
use shootout_core::{BlockingMode, Family, WorkloadKind};

use super::decision::{Decision, Verdict, Versus, leaders, rule_family, versus_list};
use super::grounds::{Basis, Grounds, Lead, Named, Note};
use super::{Entry, Group, Metric, Options};
use crate::format::{ratio, seconds};

/// Holm's correction over `comparisons` for the outcomes in `some`: the claims a verdict
/// makes of some one of them ("a rival is better", "a rival is equivalent"), which could
/// rest on any. Such an outcome counts only when its adjusted p-value is within `alpha`;
/// else it reads inconclusive, saying why. The other outcomes stay as tested alone: "every
/// rival worse" is an intersection–union claim that needs no correction.
pub(crate) fn adjust_some(comparisons: Vec<&mut Comparison>, some: &[Outcome], alpha: f64) {
    let beyond = holm::adjust(&comparisons.iter().map(|c| c.p_beyond).collect::<Vec<_>>());
    let equivalent = holm::adjust(
        &comparisons
            .iter()
            .map(|c| c.p_equivalent)
            .collect::<Vec<_>>(),
    );
    for ((c, beyond), equivalent) in comparisons.into_iter().zip(beyond).zip(equivalent) {
        if !some.contains(&c.outcome) {
            continue;
        }
        let p = match c.outcome {
            Outcome::Equivalent => equivalent,
            _ => beyond,
        };
        if p > alpha {
            c.outcome = Outcome::Inconclusive;
            c.needed = Needed::Adjusted;
        }
    }
}

/// `others`, the other families' backends against the favoured one's best, as the family
/// rule reads them: "one is equivalent" corrected over all of them ([`adjust_some`]); a
/// difference from the best was already decided at the row's corrected level.
pub(crate) fn for_some(mut others: Vec<Named>, alpha: f64) -> Vec<Named> {
    adjust_some(
        others.iter_mut().map(|n| &mut n.comparison).collect(),
        &[Outcome::Equivalent],
        alpha,
    );
    others
}

/// The verdict when the favoured family's backend leads, from how every other family's
/// backend compares with it (read by [`for_some`]): contradicted when one is better beyond
/// the margin, confirmed when all are worse, does-not-matter when one is equivalent, else
/// inconclusive; open with nothing to compare.
pub(crate) fn leads_verdict(others: &[Named]) -> Verdict {
    let any = |o: Outcome| others.iter().any(|n| n.comparison.outcome == o);
    if others.is_empty() {
        Verdict::Open
    } else if any(Outcome::Faster) {
        Verdict::Contradicted
    } else if others
        .iter()
        .all(|n| n.comparison.outcome == Outcome::Slower)
    {
        Verdict::Confirmed
    } else if any(Outcome::Equivalent) {
        Verdict::DoesNotMatter
    } else {
        Verdict::Inconclusive
    }
}

/// The rule of thumb for a group: async for waiting work, parallel pools for CPU.
pub(crate) fn favoured(kind: WorkloadKind) -> (&'static str, Family) {
    match kind.about().rule {
        Rule::PoolsForCpu => ("parallel pools for CPU", Family::ThreadPool),
        _ => ("async for I/O", Family::AsyncRuntime),
    }
}

/// Which verified cells of a fetch group ran out of CPU, and whose: the server's (it used
/// the CPUs it had) or the machine's (client and server used them all), as caveats on the
/// verdict.
pub fn bound_notes(group: &Group<'_>, runs: usize) -> Vec<Note> {
    let bound = |pick: fn(&shootout_core::results::Summary) -> bool| -> Vec<String> {
        group
            .ok()
            .filter(|e| e.cell.summary.as_ref().is_some_and(pick))
            .map(|e| e.mode_label(runs))
            .collect()
    };
    let of = group.ok().count();
    let mut notes = Vec::new();
    let server = bound(|s| s.server_bound());
    if !server.is_empty() {
        notes.push(Note::ServerBound { cells: server, of });
    }
    let machine = bound(|s| s.machine_bound());
    let cpus = group
        .ok()
        .filter_map(|e| e.cell.summary.as_ref()?.cpus)
        .min();
    if let (false, Some(cpus)) = (machine.is_empty(), cpus) {
        notes.push(Note::MachineBound {
            cells: machine,
            of,
            cpus,
            judged: group.metric == Metric::CpuPerRequest,
        });
    }
    notes
}

/// Whether most verified cells of `group` were machine-bound: its rate then measures the
/// machine, and the row is judged on CPU per request instead.
pub fn mostly_machine_bound(group: &Group<'_>) -> bool {
    let bound = group
        .ok()
        .filter(|e| e.cell.summary.as_ref().is_some_and(|s| s.machine_bound()))
        .count();
    bound * 2 > group.ok().count()
}

/// The family rule's row for `group`: judged on the shared designs where backends' own
/// idioms also ran (with a note when an idiom beat them all).
pub(crate) fn decide(
    workload: String,
    group: &Group<'_>,
    runs: usize,
    options: Options,
) -> Option<Decision> {
    if let Some(shared) = group.shared_design(options) {
        let mut decision = decide(workload, &shared, runs, options)?;
        decision
            .grounds
            .notes
            .extend(idiom_note(group, &shared, runs));
        return Some(decision);
    }
    let best = group.best()?;
    let (rule, family) = favoured(group.kind);
    let (verdict, basis) = family_verdict(group, best, family, runs, group.test.alpha);
    let (best_value, speedup) = best_figures(group, best, options)?;
    let grounds = Grounds {
        basis,
        margin: group.test.margin,
        notes: caveats(group, family, runs),
    };
    let led = led(group, best, best_value, runs);
    Some(led.decision(workload, group, speedup, rule, verdict, grounds))
}

/// Who leads a row and by what: the leaders (the best, or the tie), the best's label, its
/// value (saying whose median it is in a tie), and every other against it.
pub(crate) struct Led {
    /// [`leaders`].
    pub leaders: String,
    /// The best's label.
    pub label: String,
    /// Its value, formatted.
    pub best_value: String,
    /// Every other against it.
    pub versus: Vec<Versus>,
}

impl Led {
    /// The row of `group` it leads, labelled `workload`: judged by `rule` to `verdict` on
    /// `grounds`, with the best's speedup over sequential (`–` where none is shown).
    pub(crate) fn decision(
        self,
        workload: String,
        group: &Group<'_>,
        speedup: String,
        rule: &'static str,
        verdict: Verdict,
        grounds: Grounds,
    ) -> Decision {
        Decision {
            workload,
            title: group.title.clone(),
            best: self.leaders,
            top: self.label,
            best_value: self.best_value,
            versus: self.versus,
            speedup,
            rule,
            verdict,
            grounds,
            trials: group.trials(),
            metric: group.metric,
        }
    }
}

/// [`Led`] for `best` of `group`, whose value reads `best_value`.
pub(crate) fn led(group: &Group<'_>, best: &Entry<'_>, best_value: String, runs: usize) -> Led {
    let versus = versus_list(group, runs);
    let label = best.mode_label(runs);
    let leaders = leaders(&label, &versus);
    // A tie says whose median the value is.
    let best_value = if leaders == label {
        best_value
    } else {
        format!("by median {label} {best_value}")
    };
    Led {
        leaders,
        label,
        best_value,
        versus,
    }
}

/// The family rule's verdict and what it rests on: whether the best backend of `group` is
/// of the `family` the rule favours and, either way, how the other families compare.
fn family_verdict(
    group: &Group<'_>,
    best: &Entry<'_>,
    family: Family,
    runs: usize,
    alpha: f64,
) -> (Verdict, Basis) {
    let of = |e: &Entry<'_>| rule_family(e.cell.family());
    let in_family = |e: &&Entry<'_>| of(e) == family;
    // Higher is better for rates, lower for latencies.
    let goodness = |e: &Entry<'_>| {
        group
            .median(e)
            .map_or(f64::NEG_INFINITY, |m| group.metric.goodness(m))
    };
    let family_best = group
        .ok()
        .filter(in_family)
        .max_by(|a, b| goodness(a).total_cmp(&goodness(b)));
    let lead = match group.metric {
        Metric::P99 => Lead::P99,
        Metric::CpuPerRequest => Lead::CpuPerRequest,
        Metric::Rate | Metric::Knee => Lead::Rate,
    };
    match family_best {
        None => (Verdict::Open, Basis::NoneOf { family }),
        Some(fb) if std::ptr::eq(fb.cell, best.cell) => {
            let others: Vec<Named> = group
                .ok()
                .filter(|e| of(e) != family)
                .filter_map(|e| {
                    Some(Named {
                        label: e.mode_label(runs),
                        family: of(e),
                        comparison: group.versus_best(e)?.clone(),
                    })
                })
                .collect();
            let others = for_some(others, alpha);
            let verdict = leads_verdict(&others);
            let best = best.mode_label(runs);
            let basis = Basis::Leads {
                best,
                family,
                lead,
                others,
            };
            (verdict, basis)
        }
        Some(fb) => {
            let comparison = group.versus_best(fb).cloned();
            let verdict = match comparison.as_ref().map(|c| c.outcome) {
                Some(Outcome::Slower) => Verdict::Contradicted,
                Some(Outcome::Equivalent) => Verdict::DoesNotMatter,
                Some(_) => Verdict::Inconclusive,
                None => Verdict::Open,
            };
            let basis = Basis::Trails {
                best: best.mode_label(runs),
                best_family: of(best),
                lead,
                family,
                family_best: fb.mode_label(runs),
                comparison,
            };
            (verdict, basis)
        }
    }
}

/// In a row judged on CPU per request, the verified cells left out for keeping fewer
/// requests in flight than asked.
fn left_out_note(group: &Group<'_>, runs: usize) -> Option<Note> {
    if group.metric != Metric::CpuPerRequest {
        return None;
    }
    let backends: Vec<String> = group
        .ok()
        .filter(|e| !e.holds_concurrency())
        .map(|e| e.mode_label(runs))
        .collect();
    let concurrency = group.entries.first()?.cell.workload.size() as u64;
    (!backends.is_empty()).then_some(Note::LeftOut {
        backends,
        concurrency,
        metric: group.metric,
    })
}

/// The notes a family row carries: the naive placement of CPU jobs on an async runtime
/// (linked to what it costs others), a busy server, and the other families' backends that
/// were skipped.
fn caveats(group: &Group<'_>, family: Family, runs: usize) -> Vec<Note> {
    let mut notes: Vec<Note> = placement_note(group, runs)
        .into_iter()
        .chain(bound_notes(group, runs))
        .chain(left_out_note(group, runs))
        .collect();
    let skipped: Vec<String> = group
        .entries
        .iter()
        .filter(|e| e.cell.status == CellStatus::Skipped && rule_family(e.cell.family()) != family)
        .map(|e| e.mode_label(runs))
        .collect();
    if !skipped.is_empty() {
        notes.push(Note::Skipped(skipped));
    }
    notes
}

/// The best backend's value as the row shows it, and its speedup over sequential (none for
/// a latency row).
pub(crate) fn best_figures(
    group: &Group<'_>,
    best: &Entry<'_>,
    options: Options,
) -> Option<(String, String)> {
    let summary = best.cell.summary.as_ref()?;
    if group.metric == Metric::P99 {
        let p99 = seconds(group.median(best).unwrap_or(0.0) / 1e6);
        return Some((format!("p99 {p99}"), "–".into()));
    }
    if group.metric == Metric::CpuPerRequest {
        let cpu = seconds(group.median(best).unwrap_or(0.0) / 1e6);
        return Some((format!("{cpu} CPU per request"), "–".into()));
    }
    let value = format!(
        "{} {}",
        crate::format::number(group.median(best).unwrap_or(summary.rate.median)),
        summary.rate_unit
    );
    let speedup = match (group.speedup_interval(best, options), group.speedup(best)) {
        (Some(c), _) => ratio(&c),
        (None, Some((x, true))) => format!(
            "{}× (sequential predicted, skipped)",
            crate::format::number(x)
        ),
        _ => "–".into(),
    };
    Some((value, speedup))
}

/// When a backend's own idiom (a labelled variant) beat every shared design beyond the
/// margin: which, and the shared designs' best against it by the same test. The verdict
/// stays with the shared designs, where a difference is one of runtimes; this says what an
/// idiom adds on top.
pub(crate) fn idiom_note(group: &Group<'_>, shared: &Group<'_>, runs: usize) -> Option<Note> {
    let lead = group.best()?;
    lead.cell.workload.design_variant()?;
    let shared_best = shared.best()?;
    let in_group = group
        .ok()
        .find(|e| std::ptr::eq(e.cell, shared_best.cell))?;
    // Only beyond the margin: an idiom level with the shared designs adds nothing.
    let c = group
        .versus_best(in_group)
        .filter(|c| c.outcome == Outcome::Slower)?;
    Some(Note::Idiom {
        lead: lead.mode_label(runs),
        shared_best: shared_best.mode_label(runs),
        comparison: c.clone(),
        metric: group.metric,
        beyond_w: beyond_w(lead.cell),
    })
}

/// The cores a cell of a kind held to W threads used (median over its trials) and W, when
/// it used more than W: an idiom that is not held to W (a thread per job).
fn beyond_w(cell: &Cell) -> Option<(f64, u64)> {
    if !cell.workload.kind().on_w_threads() {
        return None;
    }
    let summary = cell.summary.as_ref()?;
    let cores = summary.cpu_s.median / summary.wall_s.median;
    (cores > cell.threads as f64 * shootout_core::results::SLACK).then_some((cores, cell.threads))
}

/// For cpu groups with jobs placed inline on async workers: how each inline placement
/// compares with the best, and where its cost to other tasks is measured.
pub(crate) fn placement_note(group: &Group<'_>, runs: usize) -> Option<Note> {
    let inline: Vec<(String, Option<Comparison>)> = group
        .ok()
        .filter(|e| e.cell.workload.placement() == Some(BlockingMode::Inline))
        .map(|e| (e.mode_label(runs), group.versus_best(e).cloned()))
        .collect();
    (!inline.is_empty()).then_some(Note::Inline(inline))
}
