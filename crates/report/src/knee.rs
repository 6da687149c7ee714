//! The Summary row "most load within the SLO": each backend's knee, trial by trial, compared
//! with the best backend's by the same test as every other row, and judged by the rule of
//! thumb "async for I/O".
//!
//! A knee is a property of a sweep, not of one cell, so it is computed once per trial
//! round: round `k` takes the `k`-th verified trial of the backend's cell at every offered
//! rate. A knee below the lowest rate counts as half of it, so the test's log scale has a
//! value to work with.

use shootout_core::results::TrialRecord;
use shootout_core::stats::{Better, Comparison, Outcome};
use shootout_core::{Family, WorkloadSpec};

use crate::analysis::{Decision, Metric, Options, Verdict, Versus, Words, favoured_leads};
use crate::format::{number, percent, ratio, seconds};
use crate::load::{self, Knee, LoadSweep, Point};

/// How the knee row words its comparisons.
const KNEE: Words = Words {
    nothing: "has a knee to compare",
    beats: "holds more",
    ahead: "more than",
};

/// A backend of a sweep: its label, its family for the rule (io_uring counts as async),
/// and its knee in each trial round.
struct Line {
    label: String,
    family: Family,
    samples: Vec<f64>,
}

/// The knee of each trial round of `label` in `sweep`, as offered rates.
pub fn samples(sweep: &LoadSweep<'_, '_>, label: &str, runs: usize, options: Options) -> Vec<f64> {
    let rates: Vec<f64> = sweep
        .groups
        .iter()
        .map(|g| load::spec(&g.entries[0]).rate)
        .collect();
    // Per rate, this backend's verified trials as points, in trial order.
    let per_rate: Vec<Vec<Point>> = sweep
        .groups
        .iter()
        .map(|group| {
            group
                .ok()
                .filter(|e| e.mode_label(runs) == label)
                .flat_map(|e| {
                    let spec = load::spec(e);
                    e.cell
                        .records()
                        .filter(|r| !(options.exclude_disturbed && r.disturbed()))
                        .filter_map(move |r| trial_point(spec, r))
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .collect();
    let rounds = per_rate.iter().map(Vec::len).max().unwrap_or(0);
    (0..rounds)
        .map(|k| {
            let points: Vec<Point> = per_rate.iter().filter_map(|p| p.get(k).copied()).collect();
            match load::knee(&points, &rates, sweep.slo_us) {
                Knee::At(rate) | Knee::Beyond(rate) => rate,
                Knee::Below(rate) => rate / 2.0,
                Knee::Unknown => f64::NAN,
            }
        })
        .filter(|knee| !knee.is_nan())
        .collect()
}

/// One trial as a point of the sweep.
fn trial_point(spec: &shootout_core::FetchSpec, r: &TrialRecord) -> Option<Point> {
    let fetch = r.fetch.as_ref()?;
    let due = fetch.from_due_us?;
    let ideal = fetch
        .server_delay_s
        .and_then(|delay| spec.ideal_s_with(delay))
        .or_else(|| spec.ideal_s())?;
    Some(Point {
        offered: spec.rate,
        achieved: spec.requests as f64 / r.wall_s,
        kept_up: ideal / r.wall_s,
        wall_s: r.wall_s,
        p50_us: due.p50 as f64,
        p99_us: due.p99 as f64,
        p999_us: due.p999 as f64,
        p99_send_us: fetch.latency_us.p99 as f64,
        late_p99_us: fetch.send_late_us.map_or(0.0, |l| l.p99 as f64),
    })
}

/// The row for `sweep`, when it has at least two rates and two backends with knees.
pub fn decision(sweep: &LoadSweep<'_, '_>, runs: usize, options: Options) -> Option<Decision> {
    if sweep.groups.len() < 2 {
        return None;
    }
    // Each line's family (io_uring runtimes are async runtimes to this rule) and samples.
    let family = |backend: &str| {
        let family = sweep
            .groups
            .iter()
            .flat_map(|g| &g.entries)
            .find(|e| e.cell.backend == backend)
            .map(|e| e.cell.family())
            .unwrap_or(Family::Threads);
        if family.is_async() {
            Family::AsyncRuntime
        } else {
            family
        }
    };
    let lines: Vec<Line> = sweep
        .lines
        .iter()
        .map(|l| Line {
            label: l.label.clone(),
            family: family(&l.backend),
            samples: samples(sweep, &l.label, runs, options),
        })
        .filter(|l| !l.samples.is_empty())
        .collect();
    let median =
        |s: &[f64]| shootout_core::stats::Spread::of(s.iter().copied()).map_or(0.0, |x| x.median);
    let best = lines
        .iter()
        .enumerate()
        .max_by(|(_, a), (_, b)| median(&a.samples).total_cmp(&median(&b.samples)))?
        .0;
    let pairs: Vec<(&[f64], &[f64])> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, l)| (l.samples.as_slice(), lines[best].samples.as_slice()))
        .collect();
    let outcomes = options.test.compare_row(&pairs, Better::Higher);
    let compared: Vec<(&Line, Comparison)> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, l)| l)
        .zip(outcomes)
        .collect();
    let best = &lines[best];
    let (verdict, why) = verdict(best, &compared, percent(options.test.margin));
    let mut versus: Vec<Versus> = compared
        .iter()
        .map(|(l, c)| Versus {
            label: l.label.clone(),
            comparison: c.clone(),
        })
        .collect();
    versus.sort_by(|a, b| b.comparison.ratio.total_cmp(&a.comparison.ratio));
    Some(Decision {
        workload: "load: most within the SLO".into(),
        title: sweep.title.clone(),
        best: best.label.clone(),
        best_value: format!(
            "holds to {}/s within p99 {}",
            number(median(&best.samples)),
            seconds(sweep.slo_us / 1e6)
        ),
        versus,
        speedup: "–".into(),
        rule: "async for I/O",
        verdict,
        why: format!(
            "{why}. Knees per trial round: the highest offered rate up to which p99 from due \
             stays within {} and the run kept up",
            seconds(sweep.slo_us / 1e6)
        ),
        trials: lines.iter().map(|l| l.samples.len()).min().unwrap_or(0),
        metric: Metric::Knee,
    })
}

/// The rule "async for I/O" on knees: confirmed when the best async knee beats every other
/// family's beyond the margin.
fn verdict(best: &Line, compared: &[(&Line, Comparison)], margin: String) -> (Verdict, String) {
    let described =
        |l: &Line, c: &Comparison| format!("{} ({}) at {}", l.label, l.family.name(), ratio(c));
    if best.family != Family::AsyncRuntime {
        let lead = format!(
            "{} ({}) holds the most load",
            best.label,
            best.family.name()
        );
        let async_best = compared
            .iter()
            .filter(|(l, _)| l.family == Family::AsyncRuntime)
            .max_by(|a, b| a.1.ratio.total_cmp(&b.1.ratio));
        return match async_best {
            None => (
                Verdict::Open,
                format!("{lead}; no async runtime to compare"),
            ),
            Some((l, c)) if c.outcome == Outcome::Slower => (
                Verdict::Contradicted,
                format!("{lead}; the best async runtime, {}", described(l, c)),
            ),
            Some((l, c)) if c.outcome == Outcome::Equivalent => (
                Verdict::DoesNotMatter,
                format!(
                    "{lead}, equivalent within ±{margin} to the best async runtime, {}",
                    described(l, c)
                ),
            ),
            Some((l, c)) => (
                Verdict::Inconclusive,
                format!(
                    "{lead}; unclear against the best async runtime, {}",
                    described(l, c)
                ),
            ),
        };
    }
    let lead = format!("{} (async) holds the most load", best.label);
    let others: Vec<(String, &Comparison)> = compared
        .iter()
        .filter(|(l, _)| l.family != Family::AsyncRuntime)
        .map(|(l, c)| (described(l, c), c))
        .collect();
    favoured_leads(&lead, &others, &margin, &KNEE)
}
