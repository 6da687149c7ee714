//! Everything the page and summary.md conclude, computed once: the groups with their
//! comparisons, the decision table, the A/A checks, and whether disturbed trials matter.

use shootout_core::results::{
    DISTURBANCE_RESOLUTION_S, DISTURBED_ABOVE, RunResults, SLOWED_ABOVE, SLOWED_MADS,
};
use shootout_core::stats::{Comparison, Test};

use crate::analysis::{self, Decision, Group, Options};
use crate::duels::{self, Duel};
use crate::sweeps::{self, Sweep};
use shootout_core::Family;

/// What the report concludes from some runs.
#[derive(Clone, Debug)]
pub struct Findings<'a> {
    /// How trials were read.
    pub options: Options,
    /// Cells grouped for comparison, each backend against the group's best.
    pub groups: Vec<Group<'a>>,
    /// The decision table.
    pub decisions: Vec<Decision>,
    /// Each A/A twin against its original: (what, comparison).
    pub aa: Vec<(String, Comparison)>,
    /// Trials flagged as disturbed, and what leaving them out would change.
    pub disturbed: Disturbed,
    /// Sweeps (full profile) with the verdict at each size and the crossover.
    pub sweeps: Vec<Sweep>,
    /// The io_uring runtimes' best against the epoll runtimes' best, group by group.
    pub io_uring: Vec<Duel>,
    /// The timers compared, and the sleep and blocking schedulers net of them.
    pub apart: Vec<analysis::Apart>,
}

/// Trials run while the machine was busy with other work.
#[derive(Clone, Debug, Default)]
pub struct Disturbed {
    /// Verified trials flagged, either way.
    pub flagged: usize,
    /// Of them, flagged only as slowed: their own CPU time per operation far above their
    /// cell's ([`shootout_core::results::Cell::slowed`]).
    pub slowed: usize,
    /// Verified trials in all.
    pub trials: usize,
    /// Decision rows whose verdict or best backend differ without the flagged trials.
    pub changes: Vec<String>,
}

/// The margin the runs recorded (the first that did), unless `margin` overrides it.
pub fn test(runs: &[RunResults], margin: Option<f64>) -> Test {
    let recorded = runs.iter().find_map(|r| r.settings.margin);
    margin
        .or(recorded)
        .map_or_else(Test::default, Test::with_margin)
}

/// Whether every run interleaved its trials in shuffled rounds, so that cells of a group
/// can be compared round by round.
pub fn shuffled(runs: &[RunResults]) -> bool {
    !runs.is_empty()
        && runs
            .iter()
            .all(|r| r.settings.order == Some(shootout_core::results::Order::Shuffled))
}

/// Whether every run measured custom sizes (a question of its own, not a profile).
pub fn custom(runs: &[RunResults]) -> bool {
    !runs.is_empty() && runs.iter().all(|r| r.settings.profile == "custom")
}

impl<'a> Findings<'a> {
    /// Analyzes `runs` with `test`.
    pub fn of(runs: &'a [RunResults], test: Test) -> Findings<'a> {
        let options = Options {
            test,
            exclude_disturbed: false,
            slo_ms: runs.iter().find_map(|r| r.settings.slo_ms),
            custom: custom(runs),
            paired: shuffled(runs),
        };
        let groups = analysis::groups(runs, options);
        let decisions = analysis::decisions(&groups, runs.len(), options);
        let aa = analysis::aa_checks(runs, options);
        let disturbed = disturbed(runs, &decisions, test);
        let sweeps = sweeps::sweeps(&groups, runs.len(), options);
        let io_uring = duels::duels(
            &groups,
            Family::IoUringRuntime,
            Family::AsyncRuntime,
            runs.len(),
            options,
        );
        let apart = analysis::apart(runs, &groups, &decisions, options);
        Findings {
            options,
            groups,
            decisions,
            aa,
            disturbed,
            sweeps,
            io_uring,
            apart,
        }
    }
}

fn disturbed(runs: &[RunResults], decisions: &[Decision], test: Test) -> Disturbed {
    let (mut flagged, mut slowed, mut trials) = (0, 0, 0);
    for cell in runs.iter().flat_map(|r| &r.cells) {
        let slow = cell.slowed();
        for (index, record) in analysis::kept_trials(cell, false) {
            trials += 1;
            let by_cpu = slow.contains(&index);
            slowed += usize::from(by_cpu && !record.disturbed());
            flagged += usize::from(by_cpu || record.disturbed());
        }
    }
    let mut changes = Vec::new();
    if flagged > 0 {
        let without = Options {
            test,
            exclude_disturbed: true,
            slo_ms: runs.iter().find_map(|r| r.settings.slo_ms),
            custom: custom(runs),
            paired: shuffled(runs),
        };
        let groups = analysis::groups(runs, without);
        let others = analysis::decisions(&groups, runs.len(), without);
        for before in decisions {
            let after = others.iter().find(|d| d.workload == before.workload);
            match after {
                Some(after) if after.verdict == before.verdict && after.top == before.top => {}
                Some(after) => changes.push(format!(
                    "{}: {} ({}) becomes {} ({})",
                    before.workload,
                    before.verdict.name(),
                    before.top,
                    after.verdict.name(),
                    after.top
                )),
                None => changes.push(format!("{}: no verdict left", before.workload)),
            }
        }
    }
    Disturbed {
        flagged,
        slowed,
        trials,
        changes,
    }
}

/// The sentence on disturbed trials, for the page and summary.md.
pub fn disturbed_sentence(disturbed: &Disturbed) -> String {
    let mut text = format!(
        "{} of {} verified trials were flagged as disturbed: {} for hypervisor steal plus other processes' CPU time \
         above {:.0}% of the CPU capacity while the workload ran (and above {:.0} ms), {} for their own CPU time per \
         operation more than {:.0}% and {} scaled MADs above their cell's median (a neighbour slowing this guest \
         without stealing its CPU makes the same work take more CPU time)",
        disturbed.flagged,
        disturbed.trials,
        disturbed.flagged - disturbed.slowed,
        DISTURBED_ABOVE * 100.0,
        DISTURBANCE_RESOLUTION_S * 1e3,
        disturbed.slowed,
        SLOWED_ABOVE * 100.0,
        SLOWED_MADS,
    );
    if disturbed.flagged == 0 {
        text += ".";
    } else if disturbed.changes.is_empty() {
        text += "; leaving them out changes no verdict.";
    } else {
        text += &format!(
            "; leaving them out changes {}.",
            disturbed.changes.join("; ")
        );
    }
    text
}

/// How the comparisons are made, in words, for the page and summary.md; `paired` when the
/// runs' rounds were shuffled, so cells that ran the same rounds are compared round by round.
pub fn method_sentence(test: Test, paired: bool) -> String {
    let alpha = test.alpha * 100.0;
    let mut text = String::from(
        "Each backend is compared with the best of its row by the ratio of their trial values: the Hodges–Lehmann \
         estimate (the median of every pairwise ratio) with its exact interval from the Mann–Whitney \
         distribution, which assumes no normal timings and holds for few trials.",
    );
    if paired {
        text += &format!(
            " Two cells of a group that ran the same {} or more rounds (trial k of every cell ran in round k, in \
             shuffled order) are compared round by round instead: the Hodges–Lehmann centre of the per-round \
             ratios with its exact interval from the Wilcoxon signed-rank distribution, so a slowdown shared by a \
             round cancels.",
            test.fewest_rounds(1)
        );
    }
    text + &format!(
        " Each comparison is tested alone against an equivalence margin of ±{:.0}%: faster or slower when its \
         {:.0}% interval lies beyond the margin (a two-sided test at {alpha:.0}%), equivalent when its {:.0}% \
         interval lies inside it (Schuirmann's two one-sided tests, each at {alpha:.0}%), inconclusive otherwise; \
         the interval printed is the one the outcome was decided on, its level shown where it is not 95%. A \
         verdict corrects only over the comparisons it rests on: \"confirmed\" (every backend of the other \
         families worse beyond the margin) is an intersection–union claim that needs no correction; \
         \"contradicted\" or \"does not matter here\" resting on one of several rivals is Holm-corrected over \
         them. The best is named only when it beats every other entry beyond the margin; else the row names the \
         entries no test set apart from it. The best is picked by median from the same trials.",
        test.margin * 100.0,
        (1.0 - test.alpha) * 100.0,
        (1.0 - 2.0 * test.alpha) * 100.0,
    )
}

/// How the trials were ordered, and what that means, for each run.
pub fn order_sentences(runs: &[RunResults]) -> Vec<String> {
    runs.iter()
        .enumerate()
        .map(|(i, run)| {
            let which = if runs.len() > 1 {
                format!("Run [{}]: trials", i + 1)
            } else {
                "Trials".to_string()
            };
            match (run.settings.order, run.settings.seed) {
                (Some(shootout_core::results::Order::Shuffled), seed) => format!(
                    "{which} ran round-robin within each group of compared cells, each round in a shuffled order \
                     (seed {}; `shootout run --seed` with it repeats the order), so drift and busy neighbours fall on \
                     every backend alike.",
                    seed.map_or("not recorded".into(), |s| s.to_string())
                ),
                (Some(shootout_core::results::Order::Fixed), _) => format!(
                    "{which} ran in fixed order (--order fixed): each backend's trials back to back, in \
                     registry order, so drift and warm-up fall on whichever runs first."
                ),
                (None, _) => format!(
                    "{which} ran in fixed order (this file predates interleaved trials): each backend's \
                     trials back to back, so drift and warm-up fall on whichever ran first."
                ),
            }
        })
        .collect()
}

/// The sequential rule, where some group could take more rounds than planned: the levels
/// of its looks, and which groups took more.
pub fn looks_sentence(runs: &[RunResults]) -> Option<String> {
    use shootout_core::stats::sequential::{EXTRA_LOOKS, FIRST_SHARE, STEP_ROUNDS};
    let mut groups: Vec<(String, u32)> = Vec::new();
    let mut looked = false;
    for cell in runs.iter().flat_map(|r| &r.cells) {
        let Some(last) = cell.looks.iter().max_by_key(|l| l.rounds) else {
            continue;
        };
        looked = true;
        let first = cell
            .looks
            .iter()
            .map(|l| l.rounds)
            .min()
            .unwrap_or(last.rounds);
        let what = format!(
            "{} {}",
            cell.workload.kind(),
            cell.workload.comparable(cell.threads)
        );
        if last.rounds > first && !groups.iter().any(|(w, _)| *w == what) {
            groups.push((what, last.rounds));
        }
    }
    if !looked {
        return None;
    }
    let alpha = shootout_core::stats::Test::default().alpha;
    let mut text = format!(
        "Groups that answer a rule of thumb could take more rounds within the run's budget \
         (--budget): each was tested at {:.1}% after its planned rounds and, while undecided, \
         at {:.2}% after each of up to {EXTRA_LOOKS} looks of {STEP_ROUNDS} rounds more (a \
         Bonferroni split of {:.0}% over the looks: a false finding at any look stays within \
         it); each such group is judged at the level of its last look.",
        alpha * FIRST_SHARE * 100.0,
        alpha * (1.0 - FIRST_SHARE) / f64::from(EXTRA_LOOKS) * 100.0,
        alpha * 100.0,
    );
    if groups.is_empty() {
        text += " None needed more.";
    } else {
        let said: Vec<String> = groups
            .iter()
            .map(|(what, rounds)| format!("{what} ({rounds} rounds)"))
            .collect();
        text += &format!(" Took more: {}.", said.join("; "));
    }
    Some(text)
}

/// A warning when rows have too few trials for any comparison to be decided.
pub fn few_trials_sentence(findings: &Findings<'_>) -> Option<String> {
    let short: Vec<&Decision> = findings
        .decisions
        .iter()
        .filter(|d| d.trials < findings.options.test.fewest_trials(d.versus.len().max(1)))
        .collect();
    let fewest = short.iter().map(|d| d.trials).min()?;
    let needed = short
        .iter()
        .map(|d| findings.options.test.fewest_trials(d.versus.len().max(1)))
        .max()
        .unwrap_or(0);
    Some(format!(
        "With {fewest} trials per backend, no difference from the best in {} of these rows can reach {:.0}% after \
         correction for the row (the most lopsided result possible is not rare enough): those rows can show \
         equivalences only. Run with --trials {needed} or more.",
        short
            .iter()
            .map(|d| d.workload.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        findings.options.test.alpha * 100.0
    ))
}

/// What the clock covers, the same on every backend, with the longest start-up this data
/// kept out of it.
pub fn clock_sentence(runs: &[RunResults]) -> String {
    let mut text = String::from(
        "The clock covers the workload alone. Built before it on every backend: the runtime and what a service \
         keeps for its life (worker threads, rayon's and crossbeam's pools, the process pool, io_uring rings), and, \
         in fetch, the C long-lived client workers (a thread per slot on threads, a task per slot on the async \
         runtimes), which wait at a gate that starts the clock when the last has started. Started inside it on \
         every backend: what a design makes per task or request (a thread or task per sleep or spawn task, a task \
         per request), and every connection.",
    );
    let slowest = runs
        .iter()
        .flat_map(|run| &run.cells)
        .filter_map(|cell| {
            let mut starts: Vec<f64> = cell
                .trials
                .iter()
                .filter_map(|t| t.record.as_ref()?.before_clock_s)
                .collect();
            starts.sort_by(f64::total_cmp);
            let median = *starts.get(starts.len().checked_sub(1)? / 2)?;
            Some((median, cell))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((median, cell)) = slowest {
        text += &format!(
            " The longest start-up kept out here: {} on {} ({}), median over its trials.",
            crate::format::seconds(median),
            cell.backend,
            cell.workload.params_label()
        );
    }
    text
}

/// The caveat of a small machine: speedups bounded by its cores, and in fetch the client
/// and the embedded server sharing them (or, with `--pin`, split between them).
pub fn cores_sentence(runs: &[RunResults]) -> Option<String> {
    let cores = runs.iter().map(|r| r.machine.cores).min()?;
    if cores > 2 {
        return None;
    }
    Some(if runs.iter().all(|r| r.settings.pin.is_some()) {
        format!(
            "Measured on {cores} cores: parallel speedups cannot exceed {cores}×; fetch ran with \
             the embedded server and the client pinned to disjoint CPUs (the client with W = 1)."
        )
    } else {
        format!(
            "Measured on {cores} cores: parallel speedups cannot exceed {cores}×, and in fetch \
             the client and the embedded server share the same cores (the fetch table shows \
             the server's CPU; machine- and server-bound cells are marked)."
        )
    })
}
