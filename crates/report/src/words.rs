//! The one place verdicts become sentences: a row's [`Grounds`] and verdict in, the
//! sentence the page, summary.md and the terminal print out. The rules decide; this only
//! words what they decided.

use shootout_core::results::BOUND_AT;
use shootout_core::stats::{Comparison, Needed, Outcome};

use crate::analysis::grounds::{Basis, Grounds, Lead, Named, Note};
use crate::analysis::{Decision, Metric, Verdict};
use crate::format::{percent, ratio, seconds};

/// Why a row has `verdict`, as one sentence (without its final full stop).
pub fn why(verdict: Verdict, grounds: &Grounds) -> String {
    let margin = percent(grounds.margin);
    let basis = basis(verdict, &grounds.basis, &margin);
    grounds.notes.iter().fold(basis, |text, note| match note {
        Note::Skipped(backends) => format!(
            "{text} ({} skipped: predicted over the time limit or not applicable)",
            backends.join(", ")
        ),
        _ => format!("{text}. {}", note_sentence(note)),
    })
}

/// A Summary row in one line, as the terminal prints it: the workload and its rule, the
/// best backend with its value, the runner-up against it with the interval and what would
/// decide an open comparison.
pub fn row(d: &Decision) -> String {
    let mut text = format!("{} ({}): {} {}", d.workload, d.rule, d.best, d.best_value);
    if let Some(next) = d.versus.first() {
        let c = &next.comparison;
        text += &format!(
            "; runner-up {} {} {}",
            next.label,
            ratio(c),
            d.metric.word(c.outcome)
        );
        let needed = needed(c);
        if !needed.is_empty() {
            text += &format!(" ({needed})");
        }
    }
    text
}

/// One line on an inconclusive comparison: what would decide it.
pub fn needed(c: &Comparison) -> String {
    match c.needed {
        Needed::Decided => String::new(),
        Needed::About(n) => {
            format!("about {n} trials each would decide it with about 80% probability")
        }
        Needed::MoreThan(n) => format!("more than {n} trials each would be needed"),
        Needed::Adjusted => {
            "decided alone, not once corrected over the comparisons the verdict rests on".into()
        }
    }
}

/// How a leader's sentence words its comparisons.
struct Phrases {
    /// What the leader does: "is fastest".
    leads: &'static str,
    /// Why there is nothing to compare: "verified to compare".
    nothing: &'static str,
    /// A rival beyond the margin better than the best: "is faster".
    beats: &'static str,
    /// The best beyond the margin better than all: "ahead of".
    ahead: &'static str,
}

impl Lead {
    fn phrases(self) -> Phrases {
        match self {
            Lead::Rate => Phrases {
                leads: "is fastest by median",
                nothing: "verified to compare",
                beats: "is faster",
                ahead: "ahead of",
            },
            Lead::P99 => Phrases {
                leads: "has the lowest median p99",
                nothing: "verified to compare",
                beats: "has a lower p99",
                ahead: "below",
            },
            Lead::CpuPerRequest => Phrases {
                leads: "uses the least CPU per request by median",
                nothing: "verified to compare",
                beats: "uses less CPU per request",
                ahead: "below",
            },
            Lead::Load => Phrases {
                leads: "holds the most load by median",
                nothing: "has a knee to compare",
                beats: "holds more",
                ahead: "more than",
            },
        }
    }
}

/// A timer or scheduler finding ([`crate::analysis::Apart`]) as one sentence: `idle timer
/// (median lateness …): best smol 52 µs; tokio 21.3× [19.0–24.1] worse, …`.
pub fn apart(found: &crate::analysis::Apart) -> String {
    format!(
        "{} ({}): best {} ({}); {}",
        found.what,
        found.measure,
        found.best,
        found.best_value,
        versus_list(&found.versus, found.metric).join("; ")
    )
}

/// Each backend against the best, as the tables list them: `tokio 0.93× [0.90–0.96]
/// slower`.
pub fn versus_list(
    versus: &[crate::analysis::Versus],
    metric: crate::analysis::Metric,
) -> Vec<String> {
    versus
        .iter()
        .map(|v| {
            format!(
                "{} {} {}",
                v.label,
                ratio(&v.comparison),
                metric.word(v.comparison.outcome)
            )
        })
        .collect()
}

/// A backend with its family and its ratio to the best: `smol (async) at 0.93× [...]`.
fn described(named: &Named) -> String {
    format!(
        "{} ({}) at {}",
        named.label,
        named.family.name(),
        ratio(&named.comparison)
    )
}

/// The sentence of the rule's basis.
fn basis(verdict: Verdict, basis: &Basis, margin: &str) -> String {
    match basis {
        Basis::NoneOf { family } => format!("no {} backend verified in this group", family.name()),
        Basis::Leads {
            best,
            family,
            lead,
            others,
        } => leads(
            verdict,
            &format!("{best} ({})", family.name()),
            *lead,
            others,
            margin,
        ),
        Basis::Trails {
            best,
            best_family,
            lead,
            family,
            family_best,
            comparison,
        } => {
            let lead = format!(
                "{best} ({}) {}; the best {} backend, {family_best},",
                best_family.name(),
                lead.phrases().leads,
                family.name(),
            );
            match comparison {
                Some(c) if c.outcome == Outcome::Slower => {
                    format!("{lead} is at {} of it, beyond ±{margin}", ratio(c))
                }
                Some(c) if c.outcome == Outcome::Equivalent => {
                    format!("{lead} is equivalent within ±{margin} at {}", ratio(c))
                }
                Some(c) => format!("{lead} is at {} of it: {}", ratio(c), needed(c)),
                None => format!("{lead} has no comparison"),
            }
        }
        Basis::TrailsOnLoad {
            best,
            best_family,
            async_best,
        } => {
            let lead = format!(
                "{best} ({}) holds the most load by median",
                best_family.name()
            );
            match async_best {
                None => format!("{lead}; no async runtime to compare"),
                Some(a) if a.comparison.outcome == Outcome::Slower => {
                    format!("{lead}; the best async runtime, {}", described(a))
                }
                Some(a) if a.comparison.outcome == Outcome::Equivalent => format!(
                    "{lead}, equivalent within ±{margin} to the best async runtime, {}",
                    described(a)
                ),
                Some(a) => format!(
                    "{lead}; unclear against the best async runtime, {}",
                    described(a)
                ),
            }
        }
        Basis::Offload { pairs } => offload(verdict, pairs, margin),
        Basis::OnThreads { pairs } => on_threads(verdict, pairs, margin),
        Basis::OnRing { ring, pairs } => on_ring(verdict, ring.as_deref(), pairs, margin),
    }
}

/// The files rule's sentence: the best io_uring runtime against the best epoll runtime and
/// the best backend of plain threads.
fn on_ring(
    verdict: Verdict,
    ring: Option<&str>,
    pairs: &[(String, Comparison)],
    margin: &str,
) -> String {
    let Some(ring) = ring else {
        return "no io_uring runtime verified the reads".to_string();
    };
    let with = |outcome: Outcome| with_outcome(pairs, outcome);
    let who = format!("{ring}, the best io_uring runtime,");
    // What else the row decided, after what its verdict rests on.
    let faster = match with(Outcome::Faster) {
        none if none.is_empty() => String::new(),
        some => format!("; faster than {some}"),
    };
    match verdict {
        Verdict::Open => {
            format!("{who} had no epoll runtime or backend of threads to be compared with")
        }
        Verdict::Contradicted => format!(
            "{who} is slower beyond ±{margin} than {} (io_uring / it)",
            with(Outcome::Slower)
        ),
        Verdict::Confirmed => format!(
            "{who} outruns beyond ±{margin} both the best epoll runtime (its file API a \
             blocking pool) and the best backend of plain threads (io_uring / it): {}",
            with(Outcome::Faster)
        ),
        Verdict::DoesNotMatter => format!(
            "{who} is equivalent within ±{margin} to {} (io_uring / it){faster}",
            with(Outcome::Equivalent)
        ),
        Verdict::Inconclusive => format!(
            "{who} against {} is unclear (io_uring / it){faster}",
            with(Outcome::Inconclusive)
        ),
    }
}

/// The sentence when the favoured family's backend leads (`who`): how the other families
/// compare, the ones the verdict rests on.
fn leads(verdict: Verdict, who: &str, lead: Lead, others: &[Named], margin: &str) -> String {
    let words = lead.phrases();
    let lead = format!("{who} {}", words.leads);
    let with = |o: Outcome| -> String {
        let said: Vec<String> = others
            .iter()
            .filter(|n| n.comparison.outcome == o)
            .map(|n| match o {
                Outcome::Inconclusive => format!("{} ({})", described(n), needed(&n.comparison)),
                _ => described(n),
            })
            .collect();
        said.join(", ")
    };
    match verdict {
        Verdict::Open => format!("{lead}, but no backend of another family {}", words.nothing),
        Verdict::Contradicted => format!("{lead}, yet {} {}", with(Outcome::Faster), words.beats),
        Verdict::Confirmed => format!(
            "{lead}, beyond ±{margin} {} every other family: {}",
            words.ahead,
            with(Outcome::Slower)
        ),
        Verdict::DoesNotMatter => format!(
            "{lead}, but equivalent within ±{margin} to {}",
            with(Outcome::Equivalent)
        ),
        Verdict::Inconclusive => {
            format!("{lead}; unclear against {}", with(Outcome::Inconclusive))
        }
    }
}

/// The blocking rule's sentence: the runtimes its verdict rests on, inline over offloaded.
fn offload(verdict: Verdict, pairs: &[(String, Comparison)], margin: &str) -> String {
    let with = |outcome: Outcome| with_outcome(pairs, outcome);
    match verdict {
        Verdict::Open => "no async runtime verified both inline and offloaded".to_string(),
        Verdict::Contradicted => format!(
            "offloaded p99 tick lateness is higher than inline beyond ±{margin} on {} \
             (inline / offloaded)",
            with(Outcome::Slower)
        ),
        Verdict::Confirmed => format!(
            "offloading lowers p99 tick lateness beyond ±{margin} on every async runtime \
             (inline p99 / offloaded p99): {}",
            with(Outcome::Faster)
        ),
        Verdict::DoesNotMatter => format!(
            "offloaded and inline p99 are equivalent within ±{margin} on {} (inline / \
             offloaded)",
            with(Outcome::Equivalent)
        ),
        Verdict::Inconclusive => format!(
            "offloaded against inline p99 is unclear on {} (inline / offloaded)",
            with(Outcome::Inconclusive)
        ),
    }
}

/// The pairs whose comparison came out `outcome`, each as its label and ratio.
fn with_outcome(pairs: &[(String, Comparison)], outcome: Outcome) -> String {
    let said: Vec<String> = pairs
        .iter()
        .filter(|(_, c)| c.outcome == outcome)
        .map(|(label, c)| format!("{label} {}", ratio(c)))
        .collect();
    said.join(", ")
}

/// The sentence of the rule for blocking libraries: each runtime's calls on its blocking
/// pool against inline, as pooled over inline throughput.
fn on_threads(verdict: Verdict, pairs: &[(String, Comparison)], margin: &str) -> String {
    let with = |outcome: Outcome| with_outcome(pairs, outcome);
    match verdict {
        Verdict::Open => {
            "no async runtime verified the calls both inline and on its blocking pool".to_string()
        }
        Verdict::Contradicted => format!(
            "the calls inline on the async workers outrun the blocking pool beyond ±{margin} \
             on {} (pool / inline)",
            with(Outcome::Slower)
        ),
        Verdict::Confirmed => format!(
            "the blocking pool (threads) outruns the same calls inline on the async workers \
             beyond ±{margin} on every async runtime (pool / inline): {}",
            with(Outcome::Faster)
        ),
        Verdict::DoesNotMatter => format!(
            "the blocking pool and inline are equivalent within ±{margin} on {} (pool / \
             inline)",
            with(Outcome::Equivalent)
        ),
        Verdict::Inconclusive => format!(
            "the blocking pool against inline is unclear on {} (pool / inline)",
            with(Outcome::Inconclusive)
        ),
    }
}

/// Labelled comparisons as a list: `label 0.93× [0.90–0.96] (slower)`, or `label (best)`
/// for the one the others were compared with.
fn compared<'a>(items: impl Iterator<Item = (&'a String, Option<&'a Comparison>)>) -> String {
    let said: Vec<String> = items
        .map(|(label, c)| match c {
            Some(c) => format!("{label} {} ({})", ratio(c), c.outcome.name()),
            None => format!("{label} (best)"),
        })
        .collect();
    said.join(", ")
}

/// Each label with its comparison, its outcome worded for `metric` (`worse`, `cheaper`).
fn compared_by(pairs: &[(String, Comparison)], metric: Metric) -> String {
    let said: Vec<String> = pairs
        .iter()
        .map(|(label, c)| format!("{label} {} ({})", ratio(c), metric.word(c.outcome)))
        .collect();
    said.join(", ")
}

/// The async-library note's sentence: each figure, async / pool.
fn async_library_sentence(
    rate: &[(String, Comparison)],
    p99: &[(String, Comparison)],
    cpu: &[(String, Comparison)],
    memory: &[(String, Comparison)],
) -> String {
    format!(
        "Switching to an async library instead of the blocking pool (async / pool): \
         calls/s {}; p99 per call {}; CPU per call {}; memory per worker {}",
        compared(rate.iter().map(|(label, c)| (label, Some(c)))),
        compared_by(p99, Metric::P99),
        compared_by(cpu, Metric::CpuPerRequest),
        compared_by(memory, Metric::CpuPerRequest),
    )
}

/// The machine-bound note's sentence.
fn machine_bound_sentence(cells: &[String], of: usize, cpus: u64, judged: bool) -> String {
    format!(
        "Machine-bound: client and server together used at least {} of the {cpus} CPUs in \
         {} of {of} cells ({}), so their rate is the machine's, not the client's{}",
        percent(BOUND_AT),
        cells.len(),
        cells.join(", "),
        if judged {
            "; what still tells the clients apart is the CPU each request costs, and the row \
             is judged on that (throughput stays in the fetch table)"
        } else {
            ""
        }
    )
}

/// The idiom note's sentence: a backend's own idiom ahead of every shared design.
fn idiom_sentence(
    lead: &str,
    shared_best: &str,
    comparison: &Comparison,
    metric: Metric,
    beyond_w: Option<(f64, u64)>,
) -> String {
    let cores = beyond_w.map_or(String::new(), |(cores, w)| {
        format!(
            " on {cores:.2} cores, where every shared design keeps to W = {w} (an idiom not \
             held to W)"
        )
    });
    format!(
        "A backend's own idiom beat every shared design: {lead} leads by median{cores}, and \
         the best shared design, {shared_best}, is at {} of it ({})",
        ratio(comparison),
        metric.word(comparison.outcome)
    )
}

/// A note's sentence, told after the verdict's.
fn note_sentence(note: &Note) -> String {
    match note {
        Note::AsyncLibrary {
            rate,
            p99,
            cpu,
            memory,
        } => async_library_sentence(rate, p99, cpu, memory),
        Note::CallTicker { tick_us, pairs } => format!(
            "A task waking every {} beside the calls, its p99 lateness with the calls on the \
             blocking pool (pool / inline): {}",
            seconds(*tick_us as f64 / 1e6),
            compared_by(pairs, Metric::P99),
        ),
        Note::RingCosts { p99, cpu } => format!(
            "Per operation (a read or a write), the best io_uring runtime against each rival \
             (io_uring / it): p99 {}; CPU {}",
            compared_by(p99, Metric::P99),
            compared_by(cpu, Metric::CpuPerRequest),
        ),
        Note::PoolCpu(pairs) => format!(
            "The client's CPU per call on the blocking pool (pool / inline): {}",
            compared_by(pairs, Metric::CpuPerRequest),
        ),
        Note::PoolMemory(pairs) => format!(
            "Memory per worker (of C, each with its connection) on the blocking pool (pool / \
             inline): {}",
            compared_by(pairs, Metric::CpuPerRequest),
        ),
        Note::Inline(placements) => format!(
            "Jobs run inline on the async workers, the naive placement: {}; what inline \
             jobs cost latency-sensitive tasks is the blocking row",
            compared(placements.iter().map(|(label, c)| (label, c.as_ref())))
        ),
        Note::ServerBound { cells, of } => format!(
            "Server-bound: the embedded server used at least {} of the CPUs it had in {} of \
             {of} cells ({}), so the client differences here are bounded by the server",
            percent(BOUND_AT),
            cells.len(),
            cells.join(", ")
        ),
        Note::MachineBound {
            cells,
            of,
            cpus,
            judged,
        } => machine_bound_sentence(cells, *of, *cpus, *judged),
        Note::Skipped(backends) => format!("{} skipped", backends.join(", ")),
        Note::Idiom {
            lead,
            shared_best,
            comparison,
            metric,
            beyond_w,
        } => idiom_sentence(lead, shared_best, comparison, *metric, *beyond_w),
        Note::LeftOut {
            backends,
            concurrency,
            metric,
        } => format!(
            "Left out of this row: {} keep fewer than {concurrency} requests in flight, so \
             {}",
            backends.join(", "),
            if *metric == crate::analysis::Metric::CpuPerRequest {
                "their CPU per request is that of fewer waits at once, another question (the \
                 fetch table shows their throughput)"
            } else {
                "their latency leaves out the wait for a free slot (the throughput row shows \
                 what that costs)"
            }
        ),
        Note::Knees { slo_us } => format!(
            "Knees per trial round: the highest offered rate up to which p99 from due stays \
             within {} and the run kept up",
            seconds(slo_us / 1e6)
        ),
        Note::Searched { slo_us } => format!(
            "Each trial searched its own knee: the highest offered rate (to {}) at which p99 \
             from due stayed within {} and the run kept up",
            crate::format::percent(shootout_core::fetch::capacity::RESOLUTION),
            seconds(slo_us / 1e6)
        ),
    }
}

#[cfg(test)]
mod tests {
    use shootout_core::Family;
    use shootout_core::stats::{Comparison, Needed, Outcome};

    use super::*;

    fn at(ratio: f64, outcome: Outcome) -> Comparison {
        Comparison {
            ratio,
            low: ratio * 0.9,
            high: ratio * 1.1,
            level: 0.95,
            outcome,
            p_beyond: 0.01,
            p_equivalent: 0.5,
            trials: (6, 6),
            needed: Needed::Decided,
            paired: false,
        }
    }

    fn leads(others: Vec<Named>, notes: Vec<Note>) -> Grounds {
        Grounds {
            basis: Basis::Leads {
                best: "tokio".into(),
                family: Family::AsyncRuntime,
                lead: Lead::Rate,
                others,
            },
            margin: 0.05,
            notes,
        }
    }

    #[test]
    fn a_verdict_names_the_comparisons_it_rests_on_then_its_notes_in_order() {
        let threads = Named {
            label: "threads".into(),
            family: Family::Threads,
            comparison: at(0.5, Outcome::Slower),
        };
        let grounds = leads(
            vec![threads],
            vec![
                Note::ServerBound {
                    cells: vec!["tokio".into()],
                    of: 2,
                },
                Note::Skipped(vec!["processes".into()]),
            ],
        );
        let said = why(Verdict::Confirmed, &grounds);
        assert!(
            said.starts_with(
                "tokio (async) is fastest by median, beyond ±5% ahead of every other family: \
                 threads (threads) at 0.50×"
            ),
            "{said}"
        );
        let server = said.find(". Server-bound:").expect("the server note");
        let skipped = said.find(" (processes skipped:").expect("the skipped note");
        assert!(server < skipped, "{said}");
    }

    #[test]
    fn the_sentence_follows_the_verdict_the_rule_gave() {
        let equivalent = Named {
            label: "rayon".into(),
            family: Family::ThreadPool,
            comparison: at(0.99, Outcome::Equivalent),
        };
        let grounds = leads(vec![equivalent], Vec::new());
        let said = why(Verdict::DoesNotMatter, &grounds);
        assert!(
            said.contains("but equivalent within ±5% to rayon"),
            "{said}"
        );
        let open = why(Verdict::Open, &leads(Vec::new(), Vec::new()));
        assert_eq!(
            open,
            "tokio (async) is fastest by median, but no backend of another family verified to \
             compare"
        );
    }
}
