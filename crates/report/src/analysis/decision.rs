//! The decision table: which groups make its rows, and what a row holds (the verdict,
//! the best backend, every other against it).

use shootout_core::kind::Rule;
use shootout_core::stats::{Comparison, Outcome};
use shootout_core::{Family, WorkloadKind};

use super::blocking::decide_blocking;
use super::call::decide_call;
use super::family::decide;
use super::files::decide_files;
use super::grounds::{Grounds, Note};
use super::{Entry, Group, Metric, Options};

/// What the classic advice came to in one group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The family it recommends is faster than every other family beyond the margin.
    Confirmed,
    /// The family it recommends is equivalent to another family: the choice does not
    /// matter here.
    DoesNotMatter,
    /// Another family is faster beyond the margin.
    Contradicted,
    /// Neither: more trials needed.
    Inconclusive,
    /// No verified cell of the family it recommends, or nothing to compare it with.
    Open,
}

impl Verdict {
    /// `confirmed`, `does not matter here`, `contradicted`, `inconclusive`, `open`.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::DoesNotMatter => "does not matter here",
            Verdict::Contradicted => "contradicted",
            Verdict::Inconclusive => "inconclusive",
            Verdict::Open => "open",
        }
    }

    /// A CSS class name.
    pub fn class(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::DoesNotMatter => "equivalent",
            Verdict::Contradicted => "contradicted",
            Verdict::Inconclusive | Verdict::Open => "open",
        }
    }
}

/// One backend against the best of its row.
#[derive(Clone, Debug)]
pub struct Versus {
    /// The backend (with its placement, where it has one).
    pub label: String,
    /// It against the best.
    pub comparison: Comparison,
}

/// One row of the decision table.
#[derive(Clone, Debug)]
pub struct Decision {
    /// `sleep`, `fetch (latency)`, `fetch (throughput)`, `cpu`, `blocking`, `load: most within the SLO`.
    pub workload: String,
    /// The group it summarizes.
    pub title: String,
    /// Who leads: the best backend when it beats every other beyond the margin, else the
    /// tie ([`leaders`]).
    pub best: String,
    /// The backend with the best median, whose value `best_value` gives.
    pub top: String,
    /// Its median, formatted with the unit.
    pub best_value: String,
    /// Every other verified backend against the best, best first.
    pub versus: Vec<Versus>,
    /// Speedup over sequential with its interval, formatted.
    pub speedup: String,
    /// The rule of thumb that applies.
    pub rule: &'static str,
    /// Its verdict.
    pub verdict: Verdict,
    /// Why it has its verdict: what the rule compared, and the row's notes.
    pub grounds: Grounds,
    /// The fewest trials behind any backend of the row.
    pub trials: usize,
    /// What the row compares (a rate, or a latency where lower is better).
    pub metric: Metric,
}

impl Decision {
    /// Why the row has its verdict, as one sentence ([`crate::words`]).
    pub fn why(&self) -> String {
        crate::words::why(self.verdict, &self.grounds)
    }
}

/// The most rows a tie names before "and N more".
const TIE_NAMES: usize = 4;

/// Who leads a row: `best` alone when it is better than every other entry of `versus`
/// beyond the margin, else the entries no test set apart from it: a tie ("no difference
/// among a, b", each equivalent to it) or, where some comparison did not decide, a lead
/// not shown ("none shown ahead among a, b").
pub fn leaders(best: &str, versus: &[Versus]) -> String {
    let level: Vec<&Versus> = versus
        .iter()
        .filter(|v| v.comparison.outcome != Outcome::Slower)
        .collect();
    if level.is_empty() {
        return best.to_string();
    }
    let mut names: Vec<&str> = std::iter::once(best)
        .chain(level.iter().map(|v| v.label.as_str()))
        .collect();
    let more = names.len().saturating_sub(TIE_NAMES);
    names.truncate(TIE_NAMES);
    let mut list = names.join(", ");
    if more > 0 {
        list += &format!(" and {more} more");
    }
    if level
        .iter()
        .all(|v| v.comparison.outcome == Outcome::Equivalent)
    {
        format!("no difference among {list}")
    } else {
        format!("none shown ahead among {list}")
    }
}

/// The headline groups: one per workload, two for fetch (latency and throughput).
pub fn headlines<'g, 'a>(groups: &'g [Group<'a>]) -> Vec<(String, &'g Group<'a>)> {
    // The largest size where backends of two families verified (where a rule can be
    // judged), else the largest with two verified backends at all.
    let families = |g: &Group<'a>| {
        let mut seen: Vec<Family> = g.ok().map(|e| rule_family(e.cell.family())).collect();
        seen.sort_by_key(|f| f.name());
        seen.dedup();
        seen.len()
    };
    let pick = |label: &str, filter: &dyn Fn(&Group<'a>) -> bool| {
        groups
            .iter()
            .filter(|g| filter(g) && g.ok().count() >= 2)
            .max_by(|a, b| {
                (families(a) >= 2, a.size())
                    .partial_cmp(&(families(b) >= 2, b.size()))
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .map(|g| (label.to_string(), g))
    };
    // Each kind's headline rows, in report order; a group stands in the row its cells say.
    WorkloadKind::ALL
        .into_iter()
        .flat_map(|kind| kind.about().headlines)
        .filter_map(|&label| {
            pick(label, &|g| {
                g.entries[0].cell.workload.headline() == Some(label)
            })
        })
        .collect()
}

/// The family a rule of thumb sees: "async for I/O" speaks of async runtimes of either
/// kind, epoll or io_uring.
pub(crate) fn rule_family(family: Family) -> Family {
    match family {
        Family::IoUringRuntime => Family::AsyncRuntime,
        other => other,
    }
}

/// The decision table: the headline rows, or for a run of custom sizes the rows of the
/// question it asked (`asked`).
pub fn decisions(groups: &[Group<'_>], runs: usize, options: Options) -> Vec<Decision> {
    if options.custom {
        return asked(groups, runs, options);
    }
    let mut decisions: Vec<Decision> = headlines(groups)
        .into_iter()
        .filter_map(|(label, group)| match group.kind.about().rule {
            Rule::ThreadsForBlocking => decide_call(label, group, runs, options),
            Rule::IoUringForFiles => decide_files(label, group, runs, options),
            _ => decide(label, &judged(group, options), runs, options),
        })
        .collect();
    // The blocking headline: the group with the longest jobs, where the pitfall bites most.
    let blocking = groups
        .iter()
        .filter(|g| g.kind.about().rule == Rule::OffTheEventLoop && g.ok().count() >= 2)
        .max_by(|a, b| a.size().total_cmp(&b.size()));
    decisions.extend(blocking.and_then(|g| decide_blocking(g, runs, options)));
    decisions.extend(most_load(groups, runs, options));
    decisions
}

/// Most load within the SLO: a row for each capacity group (each trial's own search), and
/// for each sweep of load cells at fixed rates.
fn most_load(groups: &[Group<'_>], runs: usize, options: Options) -> Vec<Decision> {
    let searched = groups
        .iter()
        .filter(|g| g.kind == WorkloadKind::Capacity)
        .filter_map(|g| crate::knee::capacity(g, runs, options));
    let swept = crate::load::sweeps(groups, runs, options.slo_ms)
        .into_iter()
        .filter_map(|sweep| crate::knee::decision(&sweep, runs, options));
    searched.chain(swept).collect()
}

/// `group` as its row judges it: a fetch group ranked by rate whose cells were mostly
/// machine-bound (client and server filled the CPUs) is judged on CPU per request instead,
/// since its rate is the machine's.
fn judged<'g>(group: &Group<'g>, options: Options) -> Group<'g> {
    if group.kind.about().rule == Rule::AsyncForIo
        && group.metric == Metric::Rate
        && super::mostly_machine_bound(group)
    {
        group.with_metric(Metric::CpuPerRequest, options)
    } else {
        group.clone()
    }
}

/// The rows of a run with custom sizes: one per workload asked, ranked by what the question
/// cares about. A fetch cell answers by p99 latency at the asked concurrency first, then by
/// what its kind is judged on (client CPU per request against a delay, else throughput);
/// the other workloads with a rule of thumb by their usual metric. Spawn,
/// pipeline and rate-limit have no rule of thumb to judge (a paced rate is the limiter's,
/// not the backend's), so they have no row.
pub(crate) fn asked(groups: &[Group<'_>], runs: usize, options: Options) -> Vec<Decision> {
    let mut decisions = Vec::new();
    for group in groups.iter().filter(|g| g.ok().count() >= 2) {
        let about = group.kind.about();
        match about.rule {
            Rule::None => {}
            Rule::OffTheEventLoop => decisions.extend(decide_blocking(group, runs, options)),
            Rule::ThreadsForBlocking => {
                let label = group.entries[0].cell.workload.headline();
                let label = label.unwrap_or(about.name).to_string();
                decisions.extend(decide_call(label, group, runs, options));
            }
            Rule::AsyncForIo | Rule::PoolsForCpu if about.latency_row => {
                decisions.extend(latency_row(group, runs, options));
                let group = judged(group, options);
                let label = format!("{} ({})", about.name, group.metric.label());
                decisions.extend(decide(label, &group, runs, options));
            }
            Rule::AsyncForIo | Rule::PoolsForCpu => {
                decisions.extend(decide(about.name.into(), group, runs, options));
            }
            Rule::IoUringForFiles => {
                let label = group.entries[0].cell.workload.headline();
                let label = label.unwrap_or(about.name).to_string();
                decisions.extend(decide_files(label, group, runs, options));
            }
        }
    }
    decisions.extend(most_load(groups, runs, options));
    decisions
}

/// A fetch group ranked by p99 latency, among the backends that keep the asked concurrency
/// in flight: one that keeps fewer makes requests wait for a slot, a wait its measured
/// latency leaves out, so its lower p99 would answer another question.
pub(crate) fn latency_row(group: &Group<'_>, runs: usize, options: Options) -> Option<Decision> {
    // The size of a group ranked by latency is its requests in flight.
    let concurrency = group.entries.first()?.cell.workload.size() as u64;
    let (kept, left): (Vec<Entry<'_>>, Vec<Entry<'_>>) = group
        .entries
        .iter()
        .cloned()
        .partition(Entry::holds_concurrency);
    let p99 = Group::by(group.kind, group.title.clone(), kept, Metric::P99, options);
    let mut decision = decide(format!("{} (p99)", group.kind), &p99, runs, options)?;
    if !left.is_empty() {
        let backends: Vec<String> = left.iter().map(|e| e.mode_label(runs)).collect();
        decision.grounds.notes.push(Note::LeftOut {
            backends,
            concurrency,
            metric: Metric::P99,
        });
    }
    Some(decision)
}

/// The decision for any one group: the blocking rule for blocking groups, the family rule
/// for the rest (as the headline rows decide them).
pub fn decide_group(group: &Group<'_>, runs: usize, options: Options) -> Option<Decision> {
    match group.kind.about().rule {
        Rule::OffTheEventLoop => decide_blocking(group, runs, options),
        Rule::ThreadsForBlocking => decide_call(group.kind.name().into(), group, runs, options),
        Rule::IoUringForFiles => decide_files(group.kind.name().into(), group, runs, options),
        _ => decide(group.kind.name().to_string(), group, runs, options),
    }
}

/// Every other verified backend against the best, best first.
pub(crate) fn versus_list(group: &Group<'_>, runs: usize) -> Vec<Versus> {
    let mut list: Vec<Versus> = group
        .entries
        .iter()
        .zip(&group.versus)
        .filter_map(|(e, c)| {
            Some(Versus {
                label: e.mode_label(runs),
                comparison: c.clone()?,
            })
        })
        .collect();
    let goodness = |c: &Comparison| -group.metric.goodness(c.ratio);
    list.sort_by(|a, b| goodness(&a.comparison).total_cmp(&goodness(&b.comparison)));
    list
}
