//! The Summary row "most load within the SLO": each backend's knee, trial by trial, compared
//! with the best backend's by the same test as every other row, and judged by the rule of
//! thumb "async for I/O".
//!
//! A capacity cell's trial searched its own knee (to 2%). A sweep of load cells at fixed
//! rates has a knee only across cells, so it is computed once per trial round: round `k`
//! takes the `k`-th verified trial of the backend's cell at every offered rate. A knee below
//! the lowest rate counts as half of it, so the test's log scale has a value to work with.

use shootout_core::results::TrialRecord;
use shootout_core::stats::{Against, Better, Comparison, Outcome};
use shootout_core::{Family, Workload, WorkloadSpec};

use crate::analysis::grounds::{Basis, Grounds, Lead, Named, Note};
use crate::analysis::{
    Decision, Group, Metric, Options, Verdict, Versus, for_some, leaders, leads_verdict,
    rule_family,
};
use crate::format::{number, seconds};
use crate::load::{self, Knee, LoadSweep, Point};

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
        .map(|g| load::spec(&g.entries[0]).rate_per_s())
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
                    crate::analysis::kept_trials(e.cell, options.exclude_disturbed)
                        .into_iter()
                        .filter_map(move |(_, r)| trial_point(spec, r))
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
        offered: spec.rate_per_s(),
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
        sweep
            .groups
            .iter()
            .flat_map(|g| &g.entries)
            .find(|e| e.cell.backend == backend)
            .map_or(Family::Threads, |e| rule_family(e.cell.family()))
    };
    let lines: Vec<Line> = sweep
        .lines
        .iter()
        .map(|l| Line {
            label: l.label.clone(),
            family: family(&l.backend),
            samples: samples(sweep, &l.label, runs, options),
        })
        .collect();
    row(sweep.title.clone(), lines, sweep.slo_us, options)
}

/// The row for a capacity group: each trial's search is a knee of its own.
pub fn capacity(group: &Group<'_>, runs: usize, options: Options) -> Option<Decision> {
    let slo_ms = match &group.entries.first()?.cell.workload {
        Workload::Fetch(spec) => spec.slo_ms(),
        _ => return None,
    };
    let lines: Vec<Line> = group
        .ok()
        .map(|e| Line {
            label: e.mode_label(runs),
            family: rule_family(e.cell.family()),
            samples: e.values(Metric::Knee, options.exclude_disturbed),
        })
        .collect();
    let slo_us = slo_ms as f64 * 1e3;
    // At the level of the group's last look, where it took more rounds.
    let options = Options {
        test: group.test,
        ..options
    };
    let mut decision = row(group.title.clone(), lines, slo_us, options)?;
    decision.grounds.notes = vec![Note::Searched { slo_us }];
    Some(decision)
}

/// The row of `lines` (those with samples) against the best, judged by the rule. A best
/// is named only when it holds more than every other line beyond the margin; otherwise
/// the row names the lines no test set apart from it.
fn row(title: String, lines: Vec<Line>, slo_us: f64, options: Options) -> Option<Decision> {
    let lines: Vec<Line> = lines
        .into_iter()
        .filter(|l| !l.samples.is_empty())
        .collect();
    let median =
        |s: &[f64]| shootout_core::stats::Spread::of(s.iter().copied()).map_or(0.0, |x| x.median);
    let best = lines
        .iter()
        .enumerate()
        .max_by(|(_, a), (_, b)| median(&a.samples).total_cmp(&median(&b.samples)))?
        .0;
    let rivals: Vec<Against<'_>> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, l)| Against {
            candidate: &l.samples,
            reference: &lines[best].samples,
            rounds: None,
        })
        .collect();
    let outcomes = options.test.against_best(&rivals, Better::Higher);
    let compared: Vec<(&Line, Comparison)> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, l)| l)
        .zip(outcomes)
        .collect();
    let best = &lines[best];
    let (verdict, basis) = verdict(best, &compared, options.test.alpha);
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
        title,
        best: leaders(&best.label, &versus),
        top: best.label.clone(),
        best_value: format!(
            "{}holds to {}/s within p99 {}",
            if compared.iter().all(|(_, c)| c.outcome == Outcome::Slower) {
                String::new()
            } else {
                format!("by median {} ", best.label)
            },
            number(median(&best.samples)),
            seconds(slo_us / 1e6)
        ),
        versus,
        speedup: "–".into(),
        rule: "async for I/O",
        verdict,
        grounds: Grounds {
            basis,
            margin: options.test.margin,
            notes: vec![Note::Knees { slo_us }],
        },
        trials: lines.iter().map(|l| l.samples.len()).min().unwrap_or(0),
        metric: Metric::Knee,
    })
}

/// The rule "async for I/O" on knees: confirmed when the best async knee beats every other
/// family's beyond the margin.
fn verdict(best: &Line, compared: &[(&Line, Comparison)], alpha: f64) -> (Verdict, Basis) {
    let named = |l: &Line, c: &Comparison| Named {
        label: l.label.clone(),
        family: l.family,
        comparison: c.clone(),
    };
    if best.family != Family::AsyncRuntime {
        let async_best = compared
            .iter()
            .filter(|(l, _)| l.family == Family::AsyncRuntime)
            .max_by(|a, b| a.1.ratio.total_cmp(&b.1.ratio))
            .map(|(l, c)| named(l, c));
        let verdict = match async_best.as_ref().map(|n| n.comparison.outcome) {
            None => Verdict::Open,
            Some(Outcome::Slower) => Verdict::Contradicted,
            Some(Outcome::Equivalent) => Verdict::DoesNotMatter,
            Some(_) => Verdict::Inconclusive,
        };
        let basis = Basis::TrailsOnLoad {
            best: best.label.clone(),
            best_family: best.family,
            async_best,
        };
        return (verdict, basis);
    }
    let others: Vec<Named> = compared
        .iter()
        .filter(|(l, _)| l.family != Family::AsyncRuntime)
        .map(|(l, c)| named(l, c))
        .collect();
    let others = for_some(others, alpha);
    let verdict = leads_verdict(&others);
    let basis = Basis::Leads {
        best: best.label.clone(),
        family: Family::AsyncRuntime,
        lead: Lead::Load,
        others,
    };
    (verdict, basis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shootout_core::stats::Test;

    fn line(label: &str, family: Family, samples: &[f64]) -> Line {
        Line {
            label: label.into(),
            family,
            samples: samples.to_vec(),
        }
    }

    fn best_of(lines: Vec<Line>) -> Decision {
        let options = Options {
            test: Test::default(),
            exclude_disturbed: false,
            slo_ms: None,
            custom: false,
            paired: false,
        };
        row("t".into(), lines, 10_000.0, options).expect("a row")
    }

    const AHEAD: [f64; 8] = [
        2.00e4, 2.02e4, 1.99e4, 2.01e4, 2.00e4, 2.03e4, 1.98e4, 2.01e4,
    ];
    const HALF: [f64; 8] = [
        1.00e4, 1.01e4, 0.99e4, 1.02e4, 1.00e4, 1.01e4, 0.98e4, 1.00e4,
    ];

    #[test]
    fn a_best_is_named_only_when_it_holds_more_than_every_other_beyond_the_margin() {
        let ahead = best_of(vec![
            line("threads", Family::Threads, &HALF),
            line("tokio", Family::AsyncRuntime, &AHEAD),
        ]);
        assert_eq!(ahead.best, "tokio");
        assert!(
            ahead.best_value.starts_with("holds to 20"),
            "{}",
            ahead.best_value
        );
        assert_eq!(ahead.verdict, Verdict::Confirmed);

        // The same knees: a tie, named as one, whoever's median is a hair higher.
        let level: Vec<f64> = AHEAD.iter().map(|x| x * 1.001).collect();
        let tie = best_of(vec![
            line("tokio", Family::AsyncRuntime, &AHEAD),
            line("threads", Family::Threads, &level),
            line("sequential", Family::Sequential, &HALF),
        ]);
        assert_eq!(tie.best, "no difference among threads, tokio");
        assert!(
            tie.best_value.starts_with("by median threads holds"),
            "{}",
            tie.best_value
        );
        assert_eq!(tie.verdict, Verdict::DoesNotMatter);
    }

    #[test]
    fn a_lead_no_test_decided_is_not_a_best() {
        let noisy = best_of(vec![
            line("tokio", Family::AsyncRuntime, &[2.0e4, 1.6e4, 2.4e4]),
            line("threads", Family::Threads, &[2.1e4, 1.5e4, 2.5e4]),
        ]);
        assert_eq!(noisy.best, "none shown ahead among threads, tokio");
        assert_eq!(noisy.verdict, Verdict::Inconclusive);
    }
}
