//! Who kept every request in flight in a fetch cell, and who had the lowest median p99
//! among them: the comparison behind "threads beat every async runtime on p99" sentences.

use super::spec;
use crate::analysis::{Entry, Group};
use crate::format::seconds;

/// "Beat" only beyond the verdicts' usual 5%: closer medians are not a finding.
pub const CLEAR: f64 = 0.05;

/// A backend with one number: its median efficiency or its median p99 in seconds.
pub type Scored<'g, 'a> = (&'g Entry<'a>, f64);

/// The verified backends of a fetch group with their median efficiency, best first, split
/// into those that kept every request in flight and those that kept fewer.
///
/// Fewer in flight: the plan says so (`in_flight`). Results from before it did are read by
/// what the cell ran: a fitted sample, or under half the best efficiency of the group.
pub fn by_in_flight<'g, 'a>(group: &'g Group<'a>) -> (Vec<Scored<'g, 'a>>, Vec<Scored<'g, 'a>>) {
    let Some(first) = group.entries.first() else {
        return (Vec::new(), Vec::new());
    };
    let concurrency = spec(first).concurrency;
    let mut ok: Vec<Scored<'g, 'a>> = group
        .ok()
        .filter_map(|e| Some((e, e.cell.summary.as_ref()?.efficiency?.median)))
        .filter(|(_, x)| x.is_finite())
        .collect();
    ok.sort_by(|a, b| b.1.total_cmp(&a.1));
    let best = ok.first().map_or(0.0, |(_, x)| *x);
    let holds = |e: &Entry<'_>, efficiency: f64| match e.cell.in_flight {
        Some(n) => n >= concurrency,
        None => e.cell.workload.fitted().is_none() && efficiency >= 0.5 * best,
    };
    ok.into_iter().partition(|(e, x)| holds(e, *x))
}

/// The cells of `backends` that ran the client design every backend shares (long-lived
/// workers), by median p99 in seconds, lowest first; cells without a finite p99 left out.
/// Only these compare runtimes: a difference between them is not one of client design.
pub fn shared<'g, 'a>(backends: &[Scored<'g, 'a>]) -> Vec<Scored<'g, 'a>> {
    ranked(backends, |e| e.cell.workload.variant().is_none())
}

/// The cells of `backends` that ran a backend's own idiom (a task per request), by median
/// p99, lowest first.
pub fn idioms<'g, 'a>(backends: &[Scored<'g, 'a>]) -> Vec<Scored<'g, 'a>> {
    ranked(backends, |e| e.cell.workload.variant().is_some())
}

/// The idioms (from [`idioms`]) whose median p99 was more than [`CLEAR`] below every
/// shared-design cell (from [`shared`]).
pub fn idioms_ahead<'g, 'a>(
    idioms: &[Scored<'g, 'a>],
    shared: &[Scored<'g, 'a>],
) -> Vec<Scored<'g, 'a>> {
    let Some((_, best)) = shared.first() else {
        return Vec::new();
    };
    idioms
        .iter()
        .filter(|(_, p)| *p < best * (1.0 - CLEAR))
        .copied()
        .collect()
}

fn ranked<'g, 'a>(
    backends: &[Scored<'g, 'a>],
    pick: impl Fn(&Entry<'_>) -> bool,
) -> Vec<Scored<'g, 'a>> {
    let mut ranked: Vec<Scored<'g, 'a>> = backends
        .iter()
        .filter(|(e, _)| pick(e))
        .filter_map(|(e, _)| {
            let l = e.cell.summary.as_ref()?.latency_us.as_ref()?;
            // A p99 the trials had too few requests to read is not ranked as one.
            match l.reading(0.99) {
                shootout_core::results::Reading::Percentile(p99) => Some((*e, p99.median / 1e6)),
                shootout_core::results::Reading::Max(_) => None,
            }
        })
        .filter(|(_, p)| p.is_finite())
        .collect();
    ranked.sort_by(|a, b| a.1.total_cmp(&b.1));
    ranked
}

/// Backends that are not async runtimes whose median p99 was more than [`CLEAR`] below
/// every async runtime's.
pub struct Lead<'g, 'a> {
    /// Those ahead, lowest p99 first.
    pub ahead: Vec<Scored<'g, 'a>>,
    /// The async runtime with the lowest median p99.
    pub best_async: Scored<'g, 'a>,
}

/// Whether `ranked` (from [`shared`]) holds both kinds: at least one async runtime and
/// one backend that is not.
pub fn both_kinds(ranked: &[Scored<'_, '_>]) -> bool {
    ranked.iter().any(|(e, _)| is_async(e)) && ranked.iter().any(|(e, _)| !is_async(e))
}

/// The lead of backends that are not async runtimes over every async runtime, if any, in
/// `ranked` (from [`shared`]).
pub fn lead<'g, 'a>(ranked: &[Scored<'g, 'a>]) -> Option<Lead<'g, 'a>> {
    let best_async = *ranked.iter().find(|(e, _)| is_async(e))?;
    let ahead: Vec<Scored<'g, 'a>> = ranked
        .iter()
        .filter(|(e, p)| !is_async(e) && *p < best_async.1 * (1.0 - CLEAR))
        .copied()
        .collect();
    (!ahead.is_empty()).then_some(Lead { ahead, best_async })
}

/// `threads 18.1 ms`.
pub fn said((e, p): &Scored<'_, '_>, runs: usize) -> String {
    format!("{} {}", e.mode_label(runs), seconds(*p))
}

fn is_async(e: &Entry<'_>) -> bool {
    e.cell.family().is_async()
}
