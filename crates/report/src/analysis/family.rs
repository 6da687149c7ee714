//! The family rules ("async for I/O", "parallel pools for CPU"): the best backend's family
//! against the others, with the notes a row carries (idioms, placements, a busy server).

use shootout_core::results::CellStatus;
use shootout_core::stats::{Comparison, Needed, Outcome};
use shootout_core::{BlockingMode, Family, Workload, WorkloadKind};

use super::decision::{Decision, Verdict, rule_family, versus_list};
use super::{Entry, Group, Metric, Options};
use crate::format::{percent, ratio, seconds};

/// How a verdict sentence words its comparisons.
pub(crate) struct Words {
    /// Why there is nothing to compare: "verified to compare".
    pub nothing: &'static str,
    /// A rival beyond the margin better than the best: "is faster".
    pub beats: &'static str,
    /// The best beyond the margin better than all: "ahead of".
    pub ahead: &'static str,
}

impl Words {
    /// For rates.
    pub const RATE: Words = Words {
        nothing: "verified to compare",
        beats: "is faster",
        ahead: "ahead of",
    };

    /// For latencies, where lower is better.
    pub const P99: Words = Words {
        nothing: "verified to compare",
        beats: "has a lower p99",
        ahead: "below",
    };
}

/// The rule's verdict when the best backend belongs to the family it favours. `others`
/// are the other families' backends, each described and compared with the best; `lead`
/// opens the sentence.
pub(crate) fn favoured_leads(
    lead: &str,
    others: &[(String, &Comparison)],
    margin: &str,
    words: &Words,
) -> (Verdict, String) {
    let with = |o: Outcome| -> Vec<String> {
        others
            .iter()
            .filter(|(_, c)| c.outcome == o)
            .map(|(said, c)| match o {
                Outcome::Inconclusive => format!("{said} ({})", needed(c)),
                _ => said.clone(),
            })
            .collect()
    };
    if others.is_empty() {
        (
            Verdict::Open,
            format!("{lead}, but no backend of another family {}", words.nothing),
        )
    } else if !with(Outcome::Faster).is_empty() {
        (
            Verdict::Contradicted,
            format!(
                "{lead} by median, yet {} {}",
                with(Outcome::Faster).join(", "),
                words.beats
            ),
        )
    } else if with(Outcome::Slower).len() == others.len() {
        (
            Verdict::Confirmed,
            format!(
                "{lead}, beyond ±{margin} {} every other family: {}",
                words.ahead,
                with(Outcome::Slower).join(", ")
            ),
        )
    } else if !with(Outcome::Equivalent).is_empty() {
        (
            Verdict::DoesNotMatter,
            format!(
                "{lead}, but equivalent within ±{margin} to {}",
                with(Outcome::Equivalent).join(", ")
            ),
        )
    } else {
        (
            Verdict::Inconclusive,
            format!(
                "{lead}; unclear against {}",
                with(Outcome::Inconclusive).join(", ")
            ),
        )
    }
}

/// The rule of thumb for a group: async for waiting work, parallel pools for CPU.
pub(crate) fn favoured(kind: WorkloadKind) -> (&'static str, Family) {
    match kind {
        WorkloadKind::Cpu => ("parallel pools for CPU", Family::ThreadPool),
        _ => ("async for I/O", Family::AsyncRuntime),
    }
}

/// Which verified cells of a fetch group had the embedded server busy for at least
/// [`shootout_core::results::SERVER_BOUND_AT`] of a core, as a caveat on the verdict.
pub fn server_bound_note(group: &Group<'_>, runs: usize) -> Option<String> {
    let bound: Vec<String> = group
        .ok()
        .filter(|e| e.cell.summary.as_ref().is_some_and(|s| s.server_bound()))
        .map(|e| e.mode_label(runs))
        .collect();
    if bound.is_empty() {
        return None;
    }
    let share = crate::format::percent(shootout_core::results::SERVER_BOUND_AT);
    Some(format!(
        "Server-bound: the embedded server, sharing the machine's cores with the client, used \
         at least {share} of a core in {} of {} cells ({}), so the client differences here \
         are bounded by the server",
        bound.len(),
        group.ok().count(),
        bound.join(", ")
    ))
}

/// One line on an inconclusive comparison: what would decide it.
pub fn needed(c: &Comparison) -> String {
    match c.needed {
        Needed::Decided => String::new(),
        Needed::About(n) => format!("about {n} trials each would decide it"),
        Needed::MoreThan(n) => format!("more than {n} trials each would be needed"),
    }
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
        let decision = decide(workload, &shared, runs, options)?;
        return Some(match idiom_note(group, &shared, runs) {
            Some(note) => Decision {
                why: format!("{}. {note}", decision.why),
                ..decision
            },
            None => decision,
        });
    }
    let best = group.best()?;
    let (rule, family) = favoured(group.kind);
    let (verdict, why) = family_verdict(group, best, family, runs, options);
    let why = with_caveats(why, group, family, runs);
    let (best_value, speedup) = best_figures(group, best, options)?;
    Some(Decision {
        workload,
        title: group.title.clone(),
        best: best.mode_label(runs),
        best_value,
        versus: versus_list(group, runs),
        speedup,
        rule,
        verdict,
        why,
        trials: group.trials(),
        metric: group.metric,
    })
}

/// The family rule's verdict and its sentence: whether the best backend of `group` is of
/// the `family` the rule favours and, either way, how the other families compare.
fn family_verdict(
    group: &Group<'_>,
    best: &Entry<'_>,
    family: Family,
    runs: usize,
    options: Options,
) -> (Verdict, String) {
    let of = |e: &Entry<'_>| rule_family(e.cell.family());
    let margin = percent(options.test.margin);
    let in_family = |e: &&Entry<'_>| of(e) == family;
    // Higher is better for rates, lower for latencies.
    let goodness = |e: &Entry<'_>| match (group.median(e), group.metric) {
        (None, _) => f64::NEG_INFINITY,
        (Some(m), Metric::P99) => -m,
        (Some(m), Metric::Rate | Metric::Knee) => m,
    };
    let family_best = group
        .ok()
        .filter(in_family)
        .max_by(|a, b| goodness(a).total_cmp(&goodness(b)));
    let (leads, words) = match group.metric {
        Metric::P99 => ("has the lowest p99", &Words::P99),
        Metric::Rate | Metric::Knee => ("is fastest", &Words::RATE),
    };
    let others: Vec<(&Entry<'_>, &Comparison)> = group
        .ok()
        .filter(|e| of(e) != family)
        .filter_map(|e| Some((e, group.versus_best(e)?)))
        .collect();
    let described = |e: &Entry<'_>, c: &Comparison| {
        format!("{} ({}) at {}", e.mode_label(runs), of(e).name(), ratio(c))
    };
    match family_best {
        None => (
            Verdict::Open,
            format!("no {} backend verified in this group", family.name()),
        ),
        Some(fb) if std::ptr::eq(fb.cell, best.cell) => {
            let lead = format!("{} ({}) {leads}", best.mode_label(runs), family.name());
            let others: Vec<(String, &Comparison)> =
                others.iter().map(|(e, c)| (described(e, c), *c)).collect();
            favoured_leads(&lead, &others, &margin, words)
        }
        Some(fb) => {
            let lead = format!(
                "{} ({}) {leads}; the best {} backend, {},",
                best.mode_label(runs),
                of(best).name(),
                family.name(),
                fb.mode_label(runs)
            );
            match group.versus_best(fb) {
                Some(c) if c.outcome == Outcome::Slower => (
                    Verdict::Contradicted,
                    format!("{lead} is at {} of it, beyond ±{margin}", ratio(c)),
                ),
                Some(c) if c.outcome == Outcome::Equivalent => (
                    Verdict::DoesNotMatter,
                    format!("{lead} is equivalent within ±{margin} at {}", ratio(c)),
                ),
                Some(c) => (
                    Verdict::Inconclusive,
                    format!("{lead} is at {} of it: {}", ratio(c), needed(c)),
                ),
                None => (Verdict::Open, format!("{lead} has no comparison")),
            }
        }
    }
}

/// `why` with the notes a family row carries: the naive placement of CPU jobs on an async
/// runtime (linked to what it costs others), a busy server, and the other families'
/// backends that were skipped.
fn with_caveats(why: String, group: &Group<'_>, family: Family, runs: usize) -> String {
    let why = match placement_note(group, runs) {
        Some(note) => format!("{why}. {note}"),
        None => why,
    };
    let why = match server_bound_note(group, runs) {
        Some(note) => format!("{why}. {note}"),
        None => why,
    };
    let skipped: Vec<String> = group
        .entries
        .iter()
        .filter(|e| e.cell.status == CellStatus::Skipped && rule_family(e.cell.family()) != family)
        .map(|e| e.mode_label(runs))
        .collect();
    if skipped.is_empty() {
        why
    } else {
        format!(
            "{why} ({} skipped: predicted over the time limit or not applicable)",
            skipped.join(", ")
        )
    }
}

/// The best backend's value as the row shows it, and its speedup over sequential (none for
/// a latency row).
fn best_figures(group: &Group<'_>, best: &Entry<'_>, options: Options) -> Option<(String, String)> {
    let summary = best.cell.summary.as_ref()?;
    if group.metric == Metric::P99 {
        let p99 = seconds(group.median(best).unwrap_or(0.0) / 1e6);
        return Some((format!("p99 {p99}"), "–".into()));
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
/// margin: which, and the shared designs' best against it by the same test. The verdict stays with the shared
/// designs, where a difference is one of runtimes; this says what an idiom adds on top.
pub(crate) fn idiom_note(group: &Group<'_>, shared: &Group<'_>, runs: usize) -> Option<String> {
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
    Some(format!(
        "A backend's own idiom beat every shared design: {} leads by median, and the best \
         shared design, {}, is at {} of it ({})",
        lead.mode_label(runs),
        shared_best.mode_label(runs),
        ratio(c),
        group.metric.word(c.outcome)
    ))
}

/// For cpu groups with jobs placed inline on async workers: how each inline placement
/// compares with the best, and where its cost to other tasks is measured.
pub(crate) fn placement_note(group: &Group<'_>, runs: usize) -> Option<String> {
    let inline: Vec<String> = group
        .ok()
        .filter(|e| {
            matches!(&e.cell.workload, Workload::Cpu(spec) if spec.mode == Some(BlockingMode::Inline))
        })
        .map(|e| match group.versus_best(e) {
            Some(c) => format!("{} {} ({})", e.mode_label(runs), ratio(c), c.outcome.name()),
            None => format!("{} (best)", e.mode_label(runs)),
        })
        .collect();
    (!inline.is_empty()).then(|| {
        format!(
            "Jobs run inline on the async workers, the naive placement: {}; what inline jobs cost \
             latency-sensitive tasks is the blocking row",
            inline.join(", ")
        )
    })
}
