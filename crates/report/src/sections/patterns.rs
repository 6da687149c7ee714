//! The patterns of the tutorials measured one by one: spawning task groups (`spawn`) and
//! bounded producer-consumer queues (`pipeline`).

use super::{Context, Section};
use crate::palette::Palette;
use shootout_core::WorkloadKind;

use super::{
    VERSUS, chart, designs, idiom_costs, rate_bars, row_without_numbers, status, table, takeaway,
    too_few, versus,
};
use crate::analysis::{Entry, Family, Group, Options};
use crate::charts;
use crate::format::{bytes, escape, number, percentile, seconds};

/// The patterns section.
pub fn render(groups: &[Group<'_>], runs: usize, options: Options, palette: &Palette) -> String {
    let patterns: Vec<&Group<'_>> = groups
        .iter()
        .filter(|g| matches!(g.kind, WorkloadKind::Spawn | WorkloadKind::Pipeline))
        .collect();
    let failures: Vec<&Group<'_>> = groups
        .iter()
        .filter(|g| {
            matches!(
                g.kind,
                WorkloadKind::PartialFailure | WorkloadKind::Timeout | WorkloadKind::Retry
            )
        })
        .collect();
    let rates: Vec<&Group<'_>> = groups
        .iter()
        .filter(|g| g.kind == WorkloadKind::RateLimit)
        .collect();
    if patterns.is_empty() && failures.is_empty() && rates.is_empty() {
        return takeaway(
            "No pattern cells (spawn, pipeline, partial-failure, timeout, rate-limit) in these results.",
        );
    }
    let mut html = render_tasks(&patterns, runs, options, palette);
    for group in failures {
        html += &failure_group(group, runs, palette);
    }
    for group in rates {
        html += &rate_group(group, runs);
    }
    html
}

/// Fetch at a target rate: how close each backend holds it.
fn rate_group(group: &Group<'_>, runs: usize) -> String {
    let target = match &group.entries[0].cell.workload {
        shootout_core::Workload::Fetch(spec) => spec.rate_per_s(),
        _ => return String::new(),
    };
    let mut errors = Vec::new();
    let rows: Vec<Vec<String>> = group
        .entries
        .iter()
        .map(|e| match &e.cell.summary {
            Some(s) => {
                let error = s.rate.median / target - 1.0;
                errors.push((e.label(runs), error));
                let p99 = s
                    .latency_us
                    .as_ref()
                    .map(|l| percentile(l, 0.99))
                    .unwrap_or_default();
                vec![
                    escape(&e.mode_label(runs)),
                    status(e),
                    number(target),
                    number(s.rate.median),
                    format!(
                        "{}{}",
                        if error >= 0.0 { "+" } else { "" },
                        crate::format::percent(error)
                    ),
                    p99,
                    versus(group, e),
                    String::new(),
                ]
            }
            None => row_without_numbers(e, runs, &[number(target)], 4),
        })
        .collect();
    let held: Vec<&str> = errors
        .iter()
        .filter(|(_, e)| e.abs() <= 0.05)
        .map(|(n, _)| n.as_str())
        .collect();
    let short: Vec<String> = errors
        .iter()
        .filter(|(_, e)| e.abs() > 0.05)
        .map(|(n, e)| format!("{n} {}", crate::format::percent(*e)))
        .collect();
    let mut text = format!(
        "Target {} req/s: held within 5% by {}",
        number(target),
        if held.is_empty() {
            "none".to_string()
        } else {
            held.join(", ")
        }
    );
    if !short.is_empty() {
        text += &format!("; missed by {}", short.join(", "));
    }
    let mut html = format!("<h3>{} {}</h3>\n", group.kind, escape(&group.title));
    html += &takeaway(&format!("{text}."));
    html += &table(
        &[
            "backend",
            "status",
            "target req/s",
            "achieved req/s",
            "error",
            "p99",
            VERSUS,
            "note",
        ],
        &rows,
    );
    html += &too_few(group, |s| s.latency_us.as_ref(), &[0.99]);
    html
}

/// Fetch scenarios where requests fail, reset or time out: every outcome counted.
fn failure_group(group: &Group<'_>, runs: usize, palette: &Palette) -> String {
    let mut verified = 0;
    let rows: Vec<Vec<String>> = group
        .entries
        .iter()
        .map(|e| {
            let record = e
                .cell
                .trials
                .iter()
                .find_map(|t| t.record.as_ref().filter(|_| t.ok));
            match (
                &e.cell.summary,
                record.and_then(|r| r.fetch.as_ref().map(|f| (r, f))),
            ) {
                (Some(s), Some((r, f))) => {
                    verified += 1;
                    let fds = r
                        .open_fds
                        .map(|(b, a)| format!("{b} → {a}"))
                        .unwrap_or_default();
                    vec![
                        escape(&e.mode_label(runs)),
                        status(e),
                        number(s.rate.median),
                        f.ok.to_string(),
                        f.failed.status.to_string(),
                        f.failed.reset.to_string(),
                        f.failed.timeout.to_string(),
                        s.latency_us
                            .as_ref()
                            .map(|l| percentile(l, 0.99))
                            .unwrap_or_default(),
                        s.latency_us
                            .as_ref()
                            .map(|l| seconds(l.max.median / 1e6))
                            .unwrap_or_default(),
                        format!(
                            "{:.2}",
                            f.attempts as f64 / (f.ok + f.failed.total()).max(1) as f64
                        ),
                        fds,
                        versus(group, e),
                    ]
                }
                _ => row_without_numbers(e, runs, &[], 9),
            }
        })
        .collect();
    let what = match group.kind {
        WorkloadKind::Timeout => {
            "slow requests cancelled at the timeout, counted exactly, with file descriptors before and after the run"
        }
        WorkloadKind::Retry => {
            "every request retried with backoff until it succeeded or ran out of retries; final successes, \
             failures and attempts exactly as the seed dictates"
        }
        _ => {
            "every result collected: 500s and resets counted by kind, exactly the ones the seed dictates"
        }
    };
    let mut html = format!("<h3>{} {}</h3>\n", group.kind, escape(&group.title));
    html += &takeaway(&format!(
        "{verified} of {} backends verified: {what}.",
        group.entries.len()
    ));
    html += &table(
        &[
            "backend",
            "status",
            "req/s",
            "ok",
            "500",
            "reset",
            "timeout",
            "p99",
            "max",
            "attempts per request",
            "open fds",
            VERSUS,
        ],
        &rows,
    );
    html += &too_few(group, |s| s.latency_us.as_ref(), &[0.99]);
    html += &chart(charts::bars(
        &format!("{} (req/s)", group.kind),
        "req/s",
        &rate_bars(group, runs, palette),
    ));
    html
}

/// Spawn and pipeline groups.
fn render_tasks(
    patterns: &[&Group<'_>],
    runs: usize,
    options: Options,
    palette: &Palette,
) -> String {
    if patterns.is_empty() {
        return String::new();
    }
    let sentences: Vec<String> = patterns
        .iter()
        .filter_map(|group| cost_sentence(group, runs))
        .collect();
    let mut html = takeaway(&format!("{}.", sentences.join(". ")));
    if patterns.iter().any(|g| g.kind == WorkloadKind::Spawn) {
        html += "<p class=\"note\">No memory per task for spawn: a task ends as soon as it runs, \
                 so how many are alive at once depends on the scheduler, not on the task (the \
                 sleep section measures memory per task with every task alive).</p>\n";
    }
    for &group in patterns {
        html += &tasks_table(group, runs, options, palette);
    }
    html
}

/// What a task (or message) costs in one spawn or pipeline group: the cheapest and the
/// dearest concurrent backend, and the work itself done inline. Sequential does no
/// concurrency at all: it is the floor each backend's cost per item is measured against,
/// not a contender.
fn cost_sentence(group: &Group<'_>, runs: usize) -> Option<String> {
    let item = if group.kind == WorkloadKind::Spawn {
        "task"
    } else {
        "message"
    };
    let per_item = |e: &Entry<'_>| e.rate().map(|r| 1.0 / r.median);
    let concurrent: Vec<(&Entry<'_>, f64)> = group
        .ok()
        .filter(|e| e.cell.family() != Family::Sequential)
        .filter_map(|e| Some((e, per_item(e)?)))
        .collect();
    let dearest = concurrent.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    let &(cheap, cheap_s) = concurrent.iter().min_by(|a, b| a.1.total_cmp(&b.1))?;
    let mut sentence = format!(
        "{} {}: a {item} costs {} on {} (the cheapest)",
        group.kind,
        group.title,
        seconds(cheap_s),
        cheap.mode_label(runs),
    );
    if let Some(&(dear, dear_s)) = dearest.filter(|(e, _)| !std::ptr::eq(e.cell, cheap.cell)) {
        sentence += &format!(
            " up to {} on {} ({:.0}× more)",
            seconds(dear_s),
            dear.mode_label(runs),
            dear_s / cheap_s
        );
    }
    if let Some(inline_s) = group.sequential(cheap.run).and_then(|e| {
        (e.cell.status == shootout_core::results::CellStatus::Ok)
            .then(|| per_item(e))
            .flatten()
    }) {
        sentence += &format!(
            "; the work itself, done inline with no concurrency (sequential), takes {} \
             per {item}, so the {item} machinery costs {} more at best",
            seconds(inline_s),
            seconds((cheap_s - inline_s).max(0.0))
        );
    }
    let not_applicable: Vec<String> = group
        .entries
        .iter()
        .filter(|e| {
            e.cell
                .reason
                .as_deref()
                .is_some_and(|r| r.starts_with("not applicable"))
        })
        .map(|e| e.cell.backend.clone())
        .collect();
    if !not_applicable.is_empty() {
        sentence += &format!(" (not applicable: {})", not_applicable.join(", "));
    }
    Some(sentence)
}

/// One spawn or pipeline group's table, its designs and its chart.
fn tasks_table(group: &Group<'_>, runs: usize, options: Options, palette: &Palette) -> String {
    let unit = group.kind.rate_unit();
    let mut html = format!("<h3>{} {}</h3>\n", group.kind, escape(&group.title));
    let rows: Vec<Vec<String>> = group
        .entries
        .iter()
        .map(|e| match &e.cell.summary {
            Some(s) => vec![
                escape(&e.mode_label(runs)),
                status(e),
                number(s.rate.median),
                format!("{}..{}", number(s.rate.min), number(s.rate.max)),
                seconds(s.wall_s.median),
                seconds(1.0 / s.rate.median),
                bytes(s.peak_rss_bytes.median),
                versus(group, e),
                String::new(),
            ],
            None => row_without_numbers(e, runs, &[], 6),
        })
        .collect();
    html += &table(
        &[
            "backend",
            "status",
            unit,
            "min..max",
            "median wall",
            "per item",
            "peak RSS",
            VERSUS,
            "note",
        ],
        &rows,
    );
    let what = if group.kind == WorkloadKind::Spawn {
        "The spawn design"
    } else {
        "The channel"
    };
    html += &idiom_costs(group, runs, options);
    html += &designs(group, runs, what);
    html += &chart(charts::bars(
        &format!("{} ({unit})", group.kind),
        unit,
        &rate_bars(group, runs, palette),
    ));
    html
}

/// The section, as the page lists it.
pub struct Patterns;

impl Section for Patterns {
    fn id(&self) -> &'static str {
        "patterns"
    }

    fn title(&self) -> &'static str {
        "Patterns: task groups and queues"
    }

    fn needs(&self) -> &'static [WorkloadKind] {
        &[
            WorkloadKind::Spawn,
            WorkloadKind::Pipeline,
            WorkloadKind::PartialFailure,
            WorkloadKind::Timeout,
            WorkloadKind::RateLimit,
            WorkloadKind::Retry,
        ]
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        let f = ctx.findings;
        render(&f.groups, ctx.runs(), f.options, &ctx.palette)
    }
}
