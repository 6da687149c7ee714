//! The fetch section's takeaway: how close to the ideal time each way of keeping requests
//! in flight gets at the largest concurrency, who had the lowest p99 there, and who leads
//! with no latency.

use super::p99::{self, CLEAR, Scored};
use super::spec;
use crate::analysis::Group;
use crate::format::{list, number, percent, percent_range, seconds};

/// The headline: how close to the ideal each way of keeping requests in flight gets.
pub fn headline(fetches: &[&Group<'_>], runs: usize, pinned: bool) -> String {
    let latency = fetches
        .iter()
        .filter(|g| spec(&g.entries[0]).latency_ms > 0 && g.ok().count() >= 2)
        .max_by_key(|g| spec(&g.entries[0]).concurrency);
    let mut text = String::new();
    if let Some(group) = latency {
        text += &latency_headline(group, runs);
    }
    let throughput = fetches
        .iter()
        .filter(|g| spec(&g.entries[0]).latency_ms == 0 && g.ok().count() >= 2)
        .max_by_key(|g| spec(&g.entries[0]).requests);
    if let Some(group) = throughput {
        let best = group.best().expect("two verified");
        let rate = best.rate().expect("verified");
        let equivalent: Vec<String> = group
            .ok()
            .filter(|e| {
                group
                    .versus_best(e)
                    .is_some_and(|c| c.outcome == shootout_core::stats::Outcome::Equivalent)
            })
            .map(|e| e.mode_label(runs))
            .collect();
        text += &format!(
            "With no latency, {} leads at {} req/s by median{}.",
            best.mode_label(runs),
            number(rate.median),
            if equivalent.is_empty() {
                String::new()
            } else {
                format!(", equivalent within the margin to {}", list(&equivalent))
            }
        );
    }
    text + if pinned {
        " Server and client were pinned to disjoint CPUs (--pin; the split is in the Machine \
         section): the fetch cells ran with W = the client's CPUs."
    } else {
        " Client and server share the machine's cores: these are client+server figures; the \
         server CPU column says how much of a core the server took."
    }
}

/// How close to the ideal time the backends that keep every request in flight get, and
/// those that keep fewer; worded for none, one or many, and for a machine where the
/// embedded server was the limit.
fn latency_headline(group: &Group<'_>, runs: usize) -> String {
    let s = spec(&group.entries[0]);
    let (full, fewer) = p99::by_in_flight(group);
    let range = percent_range(&full.iter().map(|(_, x)| *x).collect::<Vec<_>>());
    let mut text = format!(
        "With {} {} in flight and {} ms of server latency, ",
        s.concurrency,
        if s.concurrency == 1 {
            "request"
        } else {
            "requests"
        },
        s.latency_ms
    );
    text += &match (full.len(), range) {
        (0, _) | (_, None) => "no backend kept every request in flight".to_string(),
        (1, Some(range)) => format!(
            "the one cell that kept every request in flight, {}, reached {range} of the \
             ideal time",
            full[0].0.mode_label(runs)
        ),
        (n, Some(range)) => format!(
            "the {n} {} that kept every request in flight reached {range} of the ideal time",
            if full
                .iter()
                .any(|(e, _)| e.cell.workload.variant().is_some())
            {
                "cells"
            } else {
                "backends"
            }
        ),
    };
    // Below half the ideal with every request in flight: say what held them back.
    if full.iter().all(|(_, x)| *x < 0.5) && !full.is_empty() {
        let count = |pick: fn(&shootout_core::results::Summary) -> bool| {
            full.iter()
                .filter(|(e, _)| e.cell.summary.as_ref().is_some_and(pick))
                .count()
        };
        let (server, machine) = (count(|s| s.server_bound()), count(|s| s.machine_bound()));
        let at = percent(shootout_core::results::BOUND_AT);
        text += &match (server, machine) {
            (0, 0) => " (none reached half of it)".to_string(),
            (0, machine) => format!(
                " (client and server together used at least {at} of the machine's CPUs in \
                 {machine} of these cells: the machine was the limit, not the clients)"
            ),
            (server, _) => format!(
                " (the embedded server used at least {at} of the CPUs it had in {server} of \
                 these cells: the server was the limit, not the clients)"
            ),
        };
    }
    text += &p99_finding(&full, runs);
    if fewer.is_empty() {
        text += ". ";
    } else {
        let said: Vec<String> = fewer
            .iter()
            .map(|(e, x)| format!("{} {}", e.mode_label(runs), percent(*x)))
            .collect();
        text += &format!(
            "; {} that keep fewer in flight (a worker or one at a time each) reached {}. ",
            if fewer.len() == 1 {
                "the backend"
            } else {
                "backends"
            },
            list(&said)
        );
    }
    text
}

/// Which backends that kept every request in flight had the lowest median p99 with the
/// client design they all share, whether any that is not an async runtime beat every async
/// runtime on it, and which backends' own idioms were lower still (descriptive: medians of
/// the trials' p99, not a test).
fn p99_finding(full: &[Scored<'_, '_>], runs: usize) -> String {
    let shared = p99::shared(full);
    let mut text = shared_p99(&shared, runs);
    let ahead = p99::idioms_ahead(&p99::idioms(full), &shared);
    if !ahead.is_empty() {
        let said: Vec<String> = ahead.iter().map(|b| p99::said(b, runs)).collect();
        text += &format!(
            "; of the backends' own idioms, {} {} more than {} below every backend with the \
             shared design",
            list(&said),
            if ahead.len() == 1 { "was" } else { "were" },
            percent(CLEAR)
        );
    }
    text
}

/// The p99 clause for the shared-design cells (from [`p99::shared`]).
fn shared_p99(ranked: &[Scored<'_, '_>], runs: usize) -> String {
    let Some((lowest, low)) = ranked.first() else {
        return String::new();
    };
    if let Some(lead) = p99::lead(ranked) {
        let ahead: Vec<String> = lead.ahead.iter().map(|b| p99::said(b, runs)).collect();
        return format!(
            "; by median p99 with the client design every backend shares (long-lived \
             workers), {} beat every async runtime by more than {} (the best, {})",
            list(&ahead),
            percent(CLEAR),
            p99::said(&lead.best_async, runs)
        );
    }
    let high = ranked.last().map_or(*low, |(_, p)| *p);
    match ranked.len() {
        0 | 1 => String::new(),
        _ if seconds(*low) == seconds(high) => {
            format!("; their median p99 were all {}", seconds(*low))
        }
        _ if high <= low * (1.0 + CLEAR) => format!(
            "; their median p99 were within {} of each other ({}–{})",
            percent(CLEAR),
            seconds(*low),
            seconds(high)
        ),
        _ => format!(
            "; the lowest median p99 with the shared client design was {} ({})",
            seconds(*low),
            lowest.mode_label(runs)
        ),
    }
}
