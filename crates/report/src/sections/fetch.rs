//! The fetch section: req/s with min..max, latency percentiles, efficiency, and req/s
//! against concurrency.

use shootout_core::results::Summary;
use shootout_core::{FetchSpec, Workload, WorkloadKind};

use super::{
    VERSUS, chart, colour, designs, idiom_costs, rate_bars, row_without_numbers, status, table,
    takeaway, versus,
};
use crate::analysis::{Entry, Group, Options};
use crate::charts::{self, Bar, LineChart, Series};
use crate::format::{escape, number, percent, seconds};
use crate::sweeps::Sweep;

fn spec<'a>(entry: &Entry<'a>) -> &'a FetchSpec {
    match &entry.cell.workload {
        Workload::Fetch(spec) => spec,
        _ => unreachable!("fetch groups hold fetch cells"),
    }
}

/// The fetch section.
pub fn render(
    groups: &[Group<'_>],
    runs: usize,
    sweeps: &[Sweep],
    options: Options,
    pinned: bool,
) -> String {
    let fetches: Vec<&Group<'_>> = groups
        .iter()
        .filter(|g| g.kind == WorkloadKind::Fetch)
        .collect();
    if fetches.is_empty() {
        return takeaway("No fetch cells in these results.");
    }
    let mut html = takeaway(&headline(&fetches, runs, pinned));
    html += &sweep(&fetches, runs, sweeps);
    for group in fetches {
        html += &format!("<h3>{}</h3>\n", escape(&group.title));
        let rows: Vec<Vec<String>> = group.entries.iter().map(|e| row(group, e, runs)).collect();
        html += &table(
            &[
                "backend",
                "status",
                "requests",
                "req/s (median)",
                "min..max",
                "p50",
                "p99",
                "p99.9",
                "efficiency",
                "server CPU",
                VERSUS,
                "note",
            ],
            &rows,
        );
        html += &idiom_costs(group, runs, options);
        html += &designs(group, runs, "The client");
        html += &chart(charts::bars(
            "requests per second (bars: median, whiskers: min..max)",
            "req/s",
            &rate_bars(group, runs),
        ));
        html += &chart(charts::bars(
            "latency percentiles (median over trials)",
            "milliseconds",
            &latency_bars(group, runs),
        ));
    }
    html
}

fn row(group: &Group<'_>, e: &Entry<'_>, runs: usize) -> Vec<String> {
    let requests = e
        .cell
        .workload
        .fitted()
        .unwrap_or_else(|| spec(e).requests.to_string());
    match &e.cell.summary {
        Some(s) => {
            let l = s.latency_us.as_ref();
            let ms = |v: Option<f64>| v.map(|us| seconds(us / 1e6)).unwrap_or_default();
            vec![
                escape(&e.mode_label(runs)),
                status(e),
                requests,
                number(s.rate.median),
                format!("{}..{}", number(s.rate.min), number(s.rate.max)),
                ms(l.map(|l| l.p50.median)),
                ms(l.map(|l| l.p99.median)),
                ms(l.map(|l| l.p999.median)),
                s.efficiency
                    .map(|x| percent(x.median))
                    .unwrap_or_else(|| "–".into()),
                s.server_cores
                    .map(|x| format!("{} of a core", percent(x.median)))
                    .unwrap_or_else(|| "–".into()),
                versus(group, e),
                if s.server_bound() {
                    "<b>server-bound</b>".into()
                } else {
                    String::new()
                },
            ]
        }
        None => row_without_numbers(e, runs, &[requests], 8),
    }
}

fn latency_bars(group: &Group<'_>, runs: usize) -> Vec<Bar> {
    let mut bars = Vec::new();
    for e in group.ok() {
        let Some(l) = e.cell.summary.as_ref().and_then(|s| s.latency_us.as_ref()) else {
            continue;
        };
        for (name, spread) in [("p50", l.p50), ("p99", l.p99), ("p99.9", l.p999)] {
            bars.push(Bar {
                label: format!("{} {name}", e.mode_label(runs)),
                median: spread.median / 1e3,
                min: spread.min / 1e3,
                max: spread.max / 1e3,
                colour: colour(&e.cell.backend),
            });
        }
    }
    bars
}

fn efficiency(summary: &Summary) -> Option<f64> {
    summary.efficiency.map(|e| e.median)
}

/// How close to the ideal time the backends that keep every request in flight get, and
/// those that keep fewer; worded for none, one or many, and for a machine where the
/// embedded server was the limit.
fn latency_headline(group: &Group<'_>, runs: usize) -> String {
    let s = spec(&group.entries[0]);
    let mut ok: Vec<(&Entry<'_>, f64)> = group
        .ok()
        .filter_map(|e| Some((e, efficiency(e.cell.summary.as_ref()?)?)))
        .collect();
    ok.sort_by(|a, b| b.1.total_cmp(&a.1));
    // Fewer in flight: the plan says so (in_flight). Results from before it did are read by
    // what the cell ran: a fitted sample, or under half the best efficiency of the group.
    let best = ok.first().map_or(0.0, |(_, x)| *x);
    let holds = |e: &Entry<'_>, efficiency: f64| match e.cell.in_flight {
        Some(n) => n >= s.concurrency,
        None => e.cell.workload.fitted().is_none() && efficiency >= 0.5 * best,
    };
    let (full, fewer): (Vec<_>, Vec<_>) = ok.iter().partition(|(e, x)| holds(e, *x));
    let range = crate::format::percent_range(&full.iter().map(|(_, x)| *x).collect::<Vec<_>>());
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
            "the one backend that kept every request in flight, {}, reached {range} of the \
             ideal time",
            full[0].0.mode_label(runs)
        ),
        (n, Some(range)) => format!(
            "the {n} backends that kept every request in flight reached {range} of the ideal time"
        ),
    };
    // Below half the ideal with every request in flight: say what held them back.
    if full.iter().all(|(_, x)| *x < 0.5) && !full.is_empty() {
        let bound = full
            .iter()
            .filter(|(e, _)| e.cell.summary.as_ref().is_some_and(|s| s.server_bound()))
            .count();
        text += &if bound > 0 {
            format!(
                " (the embedded server, sharing the machine's cores, was busy for at least {} \
                 of a core in {bound} of these cells: the server was the limit, not the clients)",
                percent(shootout_core::results::SERVER_BOUND_AT)
            )
        } else {
            " (none reached half of it)".to_string()
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
            crate::format::list(&said)
        );
    }
    text
}

/// Which backends that kept every request in flight had the lowest median p99, and
/// whether any that is not an async runtime beat every async runtime on it (descriptive:
/// medians of the trials' p99, not a test).
fn p99_finding(full: &[(&Entry<'_>, f64)], runs: usize) -> String {
    let p99 = |e: &Entry<'_>| {
        e.cell
            .summary
            .as_ref()
            .and_then(|s| s.latency_us.as_ref())
            .map(|l| l.p99.median / 1e6)
    };
    let mut ranked: Vec<(&Entry<'_>, f64)> = full
        .iter()
        .filter_map(|(e, _)| Some((*e, p99(e)?)))
        .filter(|(_, p)| p.is_finite())
        .collect();
    ranked.sort_by(|a, b| a.1.total_cmp(&b.1));
    let Some((lowest, low)) = ranked.first() else {
        return String::new();
    };
    let is_async = |e: &Entry<'_>| e.cell.family().is_async();
    let said = |(e, p): &(&Entry<'_>, f64)| format!("{} {}", e.mode_label(runs), seconds(*p));
    // "Beat" only beyond the verdicts' usual 5%: closer medians are not a finding.
    const CLEAR: f64 = 0.05;
    if let Some(best_async) = ranked.iter().find(|(e, _)| is_async(e)) {
        let ahead: Vec<String> = ranked
            .iter()
            .filter(|(e, p)| !is_async(e) && *p < best_async.1 * (1.0 - CLEAR))
            .map(said)
            .collect();
        if !ahead.is_empty() {
            return format!(
                "; by median p99, {} beat every async runtime by more than {} (the best, {})",
                crate::format::list(&ahead),
                percent(CLEAR),
                said(best_async)
            );
        }
    }
    let high = ranked.last().map_or(*low, |(_, p)| *p);
    match ranked.len() {
        0 | 1 => String::new(),
        _ if high <= low * (1.0 + CLEAR) => format!(
            "; their median p99 were within {} of each other ({}–{})",
            percent(CLEAR),
            seconds(*low),
            seconds(high)
        ),
        _ => format!(
            "; the lowest median p99 was {} ({})",
            seconds(*low),
            lowest.mode_label(runs)
        ),
    }
}

/// The headline: how close to the ideal each way of keeping requests in flight gets.
fn headline(fetches: &[&Group<'_>], runs: usize, pinned: bool) -> String {
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
                format!(
                    ", equivalent within the margin to {}",
                    equivalent.join(", ")
                )
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

/// req/s and p99 against concurrency, when several concurrencies share one latency.
fn sweep(fetches: &[&Group<'_>], runs: usize, sweeps: &[Sweep]) -> String {
    let sweepable: Vec<&&Group<'_>> = fetches
        .iter()
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
        let groups: Vec<&&&Group<'_>> = sweepable
            .iter()
            .filter(|g| spec(&g.entries[0]).latency_ms == latency_ms)
            .collect();
        if groups.len() < 2 {
            continue;
        }
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
            for group in &groups {
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
            rate.push(Series::new(name.clone(), r, colour(&backend)));
            p99.push(Series::new(name, p, colour(&backend)));
        }
        html += &format!("<h3>Scaling: requests in flight at {latency_ms} ms latency</h3>\n");
        html += &chart(charts::lines(&LineChart {
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
    }
    html
}
