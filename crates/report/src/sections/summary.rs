//! The decision table: which backend for which work, every other backend against it with
//! an interval, and whether the classic advice held, did not matter, or broke.

use super::{Context, Section};
use shootout_core::results::RunResults;
use shootout_core::stats::Outcome;

use super::{facts, table, takeaway};
use crate::analysis::{Decision, Metric, Verdict, Versus, needed};
use crate::findings::{self, Findings};
use crate::format::{escape, percent, ratio};

/// The rules of thumb a row tests. "Threads for blocking libraries" is not among them: no
/// row runs a blocking client library in a pool against async, so the page does not claim it.
const UNTESTED: &str = "\"Threads for blocking libraries\" is not tested here (no row runs a blocking client \
                        library in a thread pool against async), so this page makes no claim about it.";

/// The summary section: the decision table, what the findings add below it, and how the
/// numbers were read.
pub fn render(findings: &Findings<'_>, runs: &[RunResults]) -> String {
    let decisions = &findings.decisions;
    if decisions.is_empty() {
        return takeaway("No workload has two verified backends yet: nothing to compare.");
    }
    takeaway(&headline(decisions))
        + &decision_table(decisions)
        + &io_uring_html(findings)
        + &list_html(
            "Timers and schedulers, apart",
            Some(APART),
            findings.apart.iter().map(crate::words::apart),
        )
        + &list_html(
            "Along the sweeps: where the rule starts to hold",
            None,
            findings.sweeps.iter().map(|s| s.sentence(findings.options)),
        )
        + &aa_html(findings)
        + &notes_html(findings, runs)
}

/// The table itself, a row per rule of thumb judged.
fn decision_table(decisions: &[Decision]) -> String {
    let rows: Vec<Vec<String>> = decisions
        .iter()
        .map(|d| {
            vec![
                escape(&d.workload),
                escape(&d.title),
                format!("<b>{}</b> ({})", escape(&d.best), escape(&d.best_value)),
                versus_html(&d.versus, d.metric),
                escape(&d.speedup),
                escape(d.rule),
                format!(
                    "<span class=\"{}\">{}</span>: {}",
                    d.verdict.class(),
                    d.verdict.name(),
                    escape(&d.why())
                ),
            ]
        })
        .collect();
    table(
        &[
            "workload",
            "cell",
            "best",
            "against the best: ratio [95% interval], outcome",
            "speedup over sequential [95% interval]",
            "rule of thumb",
            "verdict",
        ],
        &rows,
    )
}

/// The io_uring runtimes' best against the epoll runtimes' best, cell by cell.
fn io_uring_html(findings: &Findings<'_>) -> String {
    if findings.io_uring.is_empty() {
        return String::new();
    }
    let rows: Vec<Vec<String>> = findings
        .io_uring
        .iter()
        .map(|d| {
            vec![
                escape(&d.workload),
                escape(&d.title),
                escape(&d.challenger),
                escape(&d.holder),
                format!(
                    "{} <span class=\"{}\">{}</span>",
                    escape(&crate::format::ratio(&d.comparison)),
                    d.comparison.outcome.name(),
                    d.word()
                ),
            ]
        })
        .collect();
    String::from(
        "<h3>io_uring runtimes against the epoll runtimes</h3>\n<p>In every cell where both \
         verified: the best io_uring runtime against the best epoll async runtime (shared \
         designs), by the same test as above.</p>\n",
    ) + &table(
        &[
            "workload",
            "cell",
            "io_uring",
            "epoll",
            "io_uring against epoll [95% interval]",
        ],
        &rows,
    )
}

/// A titled list of sentences, with a note above it; nothing without sentences.
fn list_html(title: &str, note: Option<&str>, items: impl Iterator<Item = String>) -> String {
    let items: String = items
        .map(|item| format!("<li>{}</li>", escape(&item)))
        .collect();
    if items.is_empty() {
        return String::new();
    }
    let note = note.map_or(String::new(), |n| {
        format!("<p class=\"note\">{}</p>\n", escape(n))
    });
    format!("<h3>{}</h3>\n{note}<ul>{items}</ul>\n", escape(title))
}

/// How the numbers were read and what they cannot show, a note each.
fn notes_html(findings: &Findings<'_>, runs: &[RunResults]) -> String {
    let note = |text: &str| format!("<p class=\"note\">{}</p>\n", escape(text));
    let mut html = note(&findings::method_sentence(
        findings.options.test,
        findings.options.paired,
    ));
    for sentence in findings::order_sentences(runs) {
        html += &note(&sentence);
    }
    if let Some(sentence) = findings::looks_sentence(runs) {
        html += &note(&sentence);
    }
    if let Some(sentence) = findings::few_trials_sentence(findings) {
        html += &format!("<p class=\"note\"><b>{}</b></p>\n", escape(&sentence));
    }
    html += &note(&findings::disturbed_sentence(&findings.disturbed));
    html += &note(&findings::clock_sentence(runs));
    html += &note(UNTESTED);
    if let Some(sentence) = findings::cores_sentence(runs) {
        html += &note(&sentence);
    }
    html
}

/// What the timer and scheduler findings are, above them.
pub const APART: &str = "The sleep and blocking rows rank raw lateness, which holds each runtime's timer as well \
     as its scheduler: a timer that rounds every deadline up to a 1 ms tick reads worse there for its timer. \
     Here they are apart, each by the same test: the idle timers (each run probes them), then the headline \
     sleep and blocking cells with each backend's own idle timer (its median lateness) taken off (a backend that sleeps with \
     std::thread::sleep and has no probe of its own takes the threads backend's).";

/// One sentence over the rows: how many rules held, did not matter, broke or stayed open.
pub fn headline(decisions: &[Decision]) -> String {
    let count = |v: Verdict| decisions.iter().filter(|d| d.verdict == v).count();
    let tally = [
        (count(Verdict::Confirmed), "was confirmed"),
        (count(Verdict::DoesNotMatter), "did not matter"),
        (count(Verdict::Contradicted), "was contradicted"),
        (
            count(Verdict::Inconclusive) + count(Verdict::Open),
            "stayed inconclusive",
        ),
    ];
    let said: Vec<(usize, &str)> = tally.into_iter().filter(|(n, _)| *n > 0).collect();
    let mut text = match (decisions.len(), said.as_slice()) {
        (0, _) => {
            return "No row of the decision table had two verified backends to compare.".into();
        }
        (1, [(_, what)]) => format!("In the one row, the rule of thumb {what}."),
        (n, [(_, what)]) => format!("In all {n} rows, the rule of thumb {what}."),
        (n, parts) => {
            let parts: Vec<String> = parts
                .iter()
                .map(|(count, what)| format!("{what} in {count}"))
                .collect();
            format!(
                "Of {n} rows, the rule of thumb {}.",
                crate::format::list(&parts)
            )
        }
    };
    for d in decisions
        .iter()
        .filter(|d| matches!(d.verdict, Verdict::Contradicted | Verdict::DoesNotMatter))
    {
        text += &format!(" {} ({}): {}.", d.workload, d.verdict.name(), d.why());
    }
    let best: Vec<String> = decisions
        .iter()
        .map(|d| format!("{}: {}", d.workload, d.best))
        .collect();
    text + &format!(" Best by median: {}.", best.join("; "))
}

/// The other backends of a row, grouped by outcome, each with its ratio and interval.
fn versus_html(versus: &[Versus], metric: Metric) -> String {
    if versus.is_empty() {
        return "–".into();
    }
    let mut lines = Vec::new();
    for outcome in [
        Outcome::Faster,
        Outcome::Equivalent,
        Outcome::Inconclusive,
        Outcome::Slower,
    ] {
        let items: Vec<String> = versus
            .iter()
            .filter(|v| v.comparison.outcome == outcome)
            .map(|v| format!("{} {}", escape(&v.label), escape(&ratio(&v.comparison))))
            .collect();
        if !items.is_empty() {
            lines.push(format!(
                "<span class=\"{}\">{}</span>: {}",
                outcome.name(),
                metric.word(outcome),
                items.join(", ")
            ));
        }
    }
    lines.join("<br>")
}

fn aa_html(findings: &Findings<'_>) -> String {
    if findings.aa.is_empty() {
        return String::new();
    }
    let rows: Vec<Vec<String>> = findings
        .aa
        .iter()
        .map(|(what, c)| {
            vec![
                escape(what),
                escape(&ratio(c)),
                format!(
                    "<span class=\"{0}\">{0}</span>{1}",
                    c.outcome.name(),
                    if c.outcome == Outcome::Inconclusive {
                        format!(" ({})", escape(&needed(c)))
                    } else {
                        String::new()
                    }
                ),
            ]
        })
        .collect();
    let mut html = format!(
        "<h3>A/A check</h3>\n<p>Each of these cells ran twice under two labels, its trials interleaved with the \
         rest. The same test as above should call the copies equivalent (±{}), or at worst inconclusive where \
         the machine's noise is wider than the margin; calling them faster or slower would be a false \
         finding.</p>\n",
        percent(findings.options.test.margin)
    );
    html += &facts(
        &[
            "the same cell twice",
            "second / first [95% interval]",
            "outcome",
        ],
        &rows,
    );
    html
}

/// The section, as the page lists it.
pub struct Summary;

impl Section for Summary {
    fn id(&self) -> &'static str {
        "summary"
    }

    fn title(&self) -> &'static str {
        "Summary"
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        let runs = ctx.runs();
        render(ctx.findings, ctx.input.runs)
            + &super::speedup::render(&ctx.findings.groups, runs, ctx.findings.options)
    }
}
