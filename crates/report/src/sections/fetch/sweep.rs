//! req/s and p99 against concurrency when several concurrencies share one latency, with
//! what the p99 medians say at each concurrency.

use super::p99::{self, CLEAR};
use super::{chart, spec, takeaway};
use crate::analysis::Group;
use crate::charts::{self, LineChart, Series};
use crate::format::{list, percent};
use crate::palette::Palette;
use crate::sweeps::Sweep;

/// The scaling charts, one pair per latency swept over two or more concurrencies.
pub fn sweep(fetches: &[&Group<'_>], runs: usize, sweeps: &[Sweep], palette: &Palette) -> String {
    let sweepable: Vec<&Group<'_>> = fetches
        .iter()
        .copied()
        .filter(|g| spec(&g.entries[0]).latency_ms > 0)
        .collect();
    let mut latencies: Vec<u64> = sweepable
        .iter()
        .map(|g| spec(&g.entries[0]).latency_ms)
        .collect();
    latencies.sort_unstable();
    latencies.dedup();
    let mut html = String::new();
    for latency_ms in latencies {
        let mut groups: Vec<&Group<'_>> = sweepable
            .iter()
            .copied()
            .filter(|g| spec(&g.entries[0]).latency_ms == latency_ms)
            .collect();
        if groups.len() < 2 {
            continue;
        }
        groups.sort_by_key(|g| spec(&g.entries[0]).concurrency);
        html += &format!("<h3>Scaling: requests in flight at {latency_ms} ms latency</h3>\n");
        let finding = p99_along(&groups, runs);
        if !finding.is_empty() {
            html += &takeaway(&finding);
        }
        html += &charts_of(&groups, runs, sweeps, latency_ms, palette);
    }
    html
}

/// At each concurrency of one latency's sweep, whether a backend that is not an async
/// runtime had a median p99 more than [`CLEAR`] below every async runtime's, among the
/// backends that kept every request in flight with the client design they all share; and
/// where a backend's own idiom was below all of them. Empty when no concurrency had both
/// kinds.
fn p99_along(groups: &[&Group<'_>], runs: usize) -> String {
    let mut led = Vec::new();
    let mut not_led = Vec::new();
    let mut idioms = Vec::new();
    for group in groups {
        let concurrency = spec(&group.entries[0]).concurrency;
        let (full, _) = p99::by_in_flight(group);
        let shared = p99::shared(&full);
        if !p99::both_kinds(&shared) {
            continue;
        }
        match p99::lead(&shared) {
            Some(lead) => {
                let ahead: Vec<String> = lead.ahead.iter().map(|b| p99::said(b, runs)).collect();
                led.push(format!(
                    "at {concurrency} in flight ({}; the best async runtime, {})",
                    list(&ahead),
                    p99::said(&lead.best_async, runs)
                ));
            }
            None => not_led.push(concurrency.to_string()),
        }
        let ahead = p99::idioms_ahead(&p99::idioms(&full), &shared);
        if !ahead.is_empty() {
            let said: Vec<String> = ahead.iter().map(|b| p99::said(b, runs)).collect();
            idioms.push(format!("at {concurrency} in flight, {}", list(&said)));
        }
    }
    if led.is_empty() && not_led.is_empty() {
        return String::new();
    }
    let mut text = if led.is_empty() {
        format!(
            "By median p99 among the backends that kept every request in flight with the \
             client design they all share (long-lived workers), no backend that is not an \
             async runtime beat every async runtime by more than {} at any concurrency here \
             ({} in flight).",
            percent(CLEAR),
            list(&not_led)
        )
    } else {
        let rest = if not_led.is_empty() {
            String::new()
        } else {
            format!("; at {} in flight, none did", list(&not_led))
        };
        format!(
            "By median p99 among the backends that kept every request in flight with the \
             client design they all share (long-lived workers; medians of the trials' p99, \
             descriptive, not a test), a backend that is not an async runtime beat every \
             async runtime by more than {} {}{rest}.",
            percent(CLEAR),
            list(&led)
        )
    };
    if !idioms.is_empty() {
        text += &format!(
            " Of the backends' own idioms, these were more than {} below every backend with \
             the shared design: {}.",
            percent(CLEAR),
            idioms.join("; ")
        );
    }
    text
}

/// req/s and p99 against concurrency, one line per backend.
fn charts_of(
    groups: &[&Group<'_>],
    runs: usize,
    sweeps: &[Sweep],
    latency_ms: u64,
    palette: &Palette,
) -> String {
    let mut keys: Vec<(usize, String)> = groups
        .iter()
        .flat_map(|g| g.entries.iter().map(|e| (e.run, e.cell.backend.clone())))
        .collect();
    keys.sort();
    keys.dedup();
    let mut rate = Vec::new();
    let mut p99 = Vec::new();
    for (run, backend) in keys {
        let mut r = Vec::new();
        let mut p = Vec::new();
        for group in groups {
            let Some(e) = group
                .entries
                .iter()
                .find(|e| e.run == run && e.cell.backend == backend)
            else {
                continue;
            };
            if let Some(s) = &e.cell.summary {
                let c = spec(e).concurrency as f64;
                r.push((c, s.rate.median));
                if let Some(l) = &s.latency_us {
                    p.push((c, l.p99.median / 1e3));
                }
            }
        }
        r.sort_by(|a, b| a.0.total_cmp(&b.0));
        p.sort_by(|a, b| a.0.total_cmp(&b.0));
        let name = crate::analysis::run_label(run, &backend, runs);
        rate.push(Series::new(name.clone(), r, palette.colour(&backend)));
        p99.push(Series::new(name, p, palette.colour(&backend)));
    }
    let mut html = chart(charts::lines(&LineChart {
        title: format!("req/s against concurrency ({latency_ms} ms server latency)"),
        x_label: "concurrency".into(),
        y_label: "req/s".into(),
        log_x: true,
        log_y: true,
        series: rate,
        markers: Vec::new(),
        guides: crate::sweeps::guides(sweeps, "fetch (latency)", |fixed| {
            fixed.starts_with(&format!("latency_ms={latency_ms} "))
        }),
    }));
    html += &chart(charts::lines(&LineChart {
        title: "p99 latency against concurrency".into(),
        x_label: "concurrency".into(),
        y_label: "ms".into(),
        log_x: true,
        log_y: true,
        series: p99,
        markers: Vec::new(),
        guides: Vec::new(),
    }));
    html
}
