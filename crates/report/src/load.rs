//! Latency under load: the open-loop cells of one client shape at several offered rates,
//! each backend's p99 (timed from when requests were due) against the offered rate, and
//! its **knee**: the highest offered rate up to which its p99 stays within the SLO and it
//! keeps up with the schedule.

use shootout_core::{FetchSpec, Workload, WorkloadKind};

use crate::analysis::{Entry, Group};

/// Keeping up: the run ends within 1% of its ideal time (its last request due, plus one
/// server delay), i.e. it achieved at least 99% of the offered rate ...
pub const KEEPS_UP: f64 = 0.99;

/// ... or, for a short run, within this many seconds of it: two 1 ms timer ticks and a
/// request (on a 0.1 s run 1% is a single tick, which says nothing about keeping up).
pub const KEEPS_UP_SLACK_S: f64 = 0.005;

/// The default SLO: this many times the unloaded p99 (the best p99 at the lowest rate).
pub const SLO_TIMES_UNLOADED: f64 = 10.0;

/// The load cells of one client shape (connections, latency, body, arrival) at every
/// offered rate, lowest first.
#[derive(Debug)]
pub struct LoadSweep<'g, 'a> {
    /// What the cells share, without the rate: `concurrency=16 latency_ms=1 …`.
    pub title: String,
    /// One group per offered rate, by rate.
    pub groups: Vec<&'g Group<'a>>,
    /// The p99 a backend must stay within, microseconds.
    pub slo_us: f64,
    /// Where the SLO comes from, for the page.
    pub slo_source: String,
    /// Each backend's line and knee, in the order they first appear.
    pub lines: Vec<Line>,
}

/// One backend (label) across the offered rates.
#[derive(Clone, Debug)]
pub struct Line {
    /// Backend label.
    pub label: String,
    /// Backend name, for its colour.
    pub backend: String,
    /// Its points, by offered rate.
    pub points: Vec<Point>,
    /// Its knee.
    pub knee: Knee,
}

/// One verified cell: medians over its trials.
#[derive(Clone, Copy, Debug)]
pub struct Point {
    /// Offered rate, requests per second.
    pub offered: f64,
    /// Achieved rate, requests per second.
    pub achieved: f64,
    /// Ideal time over wall time: 1.0 kept up exactly.
    pub kept_up: f64,
    /// Wall time, seconds.
    pub wall_s: f64,
    /// p50, p99, p99.9 from when each request was due, microseconds.
    pub p50_us: f64,
    /// See `p50_us`.
    pub p99_us: f64,
    /// See `p50_us`.
    pub p999_us: f64,
    /// p99 from the send, microseconds: what a closed-loop tool would report.
    pub p99_send_us: f64,
    /// p99 of how late requests were sent, microseconds.
    pub late_p99_us: f64,
}

impl Point {
    /// Whether the run ended within 1% (or [`KEEPS_UP_SLACK_S`]) of its ideal time.
    pub fn kept_up(&self) -> bool {
        let ideal = self.wall_s * self.kept_up;
        self.wall_s - ideal <= (ideal * (1.0 - KEEPS_UP)).max(KEEPS_UP_SLACK_S)
    }

    /// Whether this point is within the SLO and kept up with the schedule.
    pub fn holds(&self, slo_us: f64) -> bool {
        self.p99_us <= slo_us && self.kept_up()
    }
}

/// Where a backend's p99 leaves the SLO or it falls behind.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Knee {
    /// Holds up to this offered rate, and not at the next.
    At(f64),
    /// Holds at every offered rate measured, up to this one.
    Beyond(f64),
    /// Does not hold even at the lowest offered rate, this one.
    Below(f64),
    /// No verified point at the lowest rate.
    Unknown,
}

impl Knee {
    /// The offered rate it holds to, as a number for ranking (0 when it never holds).
    pub fn rate(self) -> f64 {
        match self {
            Knee::At(rate) | Knee::Beyond(rate) => rate,
            Knee::Below(_) | Knee::Unknown => 0.0,
        }
    }
}

/// A load cell's spec.
pub fn spec<'a>(entry: &Entry<'a>) -> &'a FetchSpec {
    match &entry.cell.workload {
        Workload::Fetch(spec) => spec,
        _ => unreachable!("load groups hold fetch cells"),
    }
}

/// The point of a verified entry, if it has every figure.
pub fn point(entry: &Entry<'_>) -> Option<Point> {
    let summary = entry.cell.summary.as_ref()?;
    let due = summary.from_due_us.as_ref()?;
    Some(Point {
        offered: spec(entry).rate_per_s(),
        achieved: summary.rate.median,
        kept_up: summary.efficiency?.median,
        wall_s: summary.wall_s.median,
        p50_us: due.p50.median,
        p99_us: due.p99.median,
        p999_us: due.p999.median,
        p99_send_us: summary.latency_us.as_ref()?.p99.median,
        late_p99_us: summary.send_late_us.as_ref()?.p99.median,
    })
}

/// A group's title without its rate: the client shape a sweep shares.
fn shape(title: &str) -> String {
    title
        .split(' ')
        .filter(|part| !part.starts_with("rate="))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every load sweep of `groups`: one per client shape, with its SLO (`slo_ms` when given,
/// else ten times the unloaded p99) and each backend's knee.
pub fn sweeps<'g, 'a>(
    groups: &'g [Group<'a>],
    runs: usize,
    slo_ms: Option<f64>,
) -> Vec<LoadSweep<'g, 'a>> {
    let mut sweeps: Vec<LoadSweep<'g, 'a>> = Vec::new();
    for group in groups.iter().filter(|g| g.kind == WorkloadKind::Load) {
        let title = shape(&group.title);
        match sweeps.iter_mut().find(|s| s.title == title) {
            Some(sweep) => sweep.groups.push(group),
            None => sweeps.push(LoadSweep {
                title,
                groups: vec![group],
                slo_us: 0.0,
                slo_source: String::new(),
                lines: Vec::new(),
            }),
        }
    }
    for sweep in &mut sweeps {
        sweep
            .groups
            .sort_by(|a, b| rate_of(a).total_cmp(&rate_of(b)));
        (sweep.slo_us, sweep.slo_source) = slo(sweep, slo_ms);
        sweep.lines = lines(&sweep.groups, runs, sweep.slo_us);
    }
    sweeps
}

fn rate_of(group: &Group<'_>) -> f64 {
    spec(&group.entries[0]).rate_per_s()
}

/// The SLO: as given, or ten times the best p99 at the lowest offered rate.
fn slo(sweep: &LoadSweep<'_, '_>, slo_ms: Option<f64>) -> (f64, String) {
    if let Some(ms) = slo_ms {
        return (ms * 1e3, "as given (--slo-ms)".into());
    }
    let lowest = sweep.groups[0];
    let unloaded = lowest
        .ok()
        .filter_map(point)
        .map(|p| p.p99_us)
        .min_by(f64::total_cmp);
    match unloaded {
        Some(p99) => (
            p99 * SLO_TIMES_UNLOADED,
            format!(
                "{SLO_TIMES_UNLOADED}× the best p99 at the lowest offered rate ({}/s)",
                crate::format::number(rate_of(lowest))
            ),
        ),
        None => (f64::INFINITY, "no verified cell at the lowest rate".into()),
    }
}

/// Each backend's points across the rates, and its knee.
fn lines(groups: &[&Group<'_>], runs: usize, slo_us: f64) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    for group in groups {
        for entry in &group.entries {
            let label = entry.mode_label(runs);
            let line = match lines.iter_mut().position(|l| l.label == label) {
                Some(at) => &mut lines[at],
                None => {
                    lines.push(Line {
                        label,
                        backend: entry.cell.backend.clone(),
                        points: Vec::new(),
                        knee: Knee::Unknown,
                    });
                    lines.last_mut().expect("just pushed")
                }
            };
            if let Some(point) = point(entry) {
                line.points.push(point);
            }
        }
    }
    let rates: Vec<f64> = groups.iter().map(|g| rate_of(g)).collect();
    for line in &mut lines {
        line.knee = knee(&line.points, &rates, slo_us);
    }
    lines
}

/// The highest offered rate up to which every point holds; a rate without a verified
/// point ends the run of holding points.
pub fn knee(points: &[Point], rates: &[f64], slo_us: f64) -> Knee {
    let holds = |rate: f64| {
        points
            .iter()
            .find(|p| p.offered == rate)
            .is_some_and(|p| p.holds(slo_us))
    };
    let Some(&lowest) = rates.first() else {
        return Knee::Unknown;
    };
    if !points.iter().any(|p| p.offered == lowest) {
        return Knee::Unknown;
    }
    let held = rates.iter().take_while(|&&rate| holds(rate)).count();
    match held {
        0 => Knee::Below(lowest),
        n if n == rates.len() => Knee::Beyond(rates[n - 1]),
        n => Knee::At(rates[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(offered: f64, p99_us: f64, kept_up: f64) -> Point {
        Point {
            offered,
            achieved: offered * kept_up,
            kept_up,
            wall_s: 1.0,
            p50_us: p99_us / 2.0,
            p99_us,
            p999_us: p99_us * 2.0,
            p99_send_us: p99_us,
            late_p99_us: 0.0,
        }
    }

    #[test]
    fn the_knee_is_the_last_rate_within_the_slo_that_kept_up() {
        let rates = [1e3, 2e3, 5e3, 1e4];
        let slo = 10_000.0;
        // Within the SLO to 5k, over it at 10k.
        let p = [
            at(1e3, 1_000.0, 1.0),
            at(2e3, 2_000.0, 1.0),
            at(5e3, 9_000.0, 1.0),
            at(1e4, 50_000.0, 1.0),
        ];
        assert_eq!(knee(&p, &rates, slo), Knee::At(5e3));
        // Within the SLO at 5k but 2% (20 ms of a 1 s run) behind the schedule: the knee is
        // 2k.
        let p = [
            at(1e3, 1_000.0, 1.0),
            at(2e3, 2_000.0, 1.0),
            at(5e3, 3_000.0, 0.98),
            at(1e4, 3_000.0, 1.0),
        ];
        assert_eq!(knee(&p, &rates, slo), Knee::At(2e3));
        // Everywhere: beyond the highest rate; nowhere: below the lowest.
        let p: Vec<Point> = rates.iter().map(|&r| at(r, 500.0, 1.0)).collect();
        assert_eq!(knee(&p, &rates, slo), Knee::Beyond(1e4));
        let p: Vec<Point> = rates.iter().map(|&r| at(r, 50_000.0, 1.0)).collect();
        assert_eq!(knee(&p, &rates, slo), Knee::Below(1e3));
        // A short run 3 ms behind (within the 5 ms slack) kept up; 10 ms behind did not.
        let short = |behind_s: f64| Point {
            wall_s: 0.1 + behind_s,
            kept_up: 0.1 / (0.1 + behind_s),
            ..at(1e3, 1_000.0, 1.0)
        };
        assert!(short(0.003).kept_up() && !short(0.010).kept_up());
        // A rate with no verified point (failed) ends the holding run.
        let p = [at(1e3, 1_000.0, 1.0), at(5e3, 1_000.0, 1.0)];
        assert_eq!(knee(&p, &rates, slo), Knee::At(1e3));
        assert_eq!(knee(&[], &rates, slo), Knee::Unknown);
    }

    #[test]
    fn a_sweep_shares_everything_but_the_rate() {
        assert_eq!(
            shape("concurrency=16 latency_ms=1 body_bytes=256 rate=2000 arrival=poisson"),
            "concurrency=16 latency_ms=1 body_bytes=256 arrival=poisson"
        );
    }
}
