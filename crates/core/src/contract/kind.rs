//! The workloads by name, without parameters: what each module says of its kind ([`About`]:
//! its name, what it does, its parameters, its unit, and how its cells are judged), asked
//! through [`WorkloadKind`].

use std::fmt;

use crate::backend::BackendInfo;
use crate::error::SpecError;
use crate::params::{Param, Table};
use crate::workload::Workload;

pub use crate::workloads::WorkloadKind;

/// The rule of thumb a kind's cells are judged by in the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// None: shown, never ranked (a cost of concurrency, a paced rate, or a kind judged by
    /// its own sweep).
    None,
    /// "async for I/O": the family rule, async runtimes favoured.
    AsyncForIo,
    /// "parallel pools for CPU": the family rule, thread pools favoured.
    PoolsForCpu,
    /// "keep CPU work off the event loop": each async runtime offloaded against inline.
    OffTheEventLoop,
    /// "threads for blocking libraries": each async runtime's blocking calls on its
    /// blocking pool (threads) against the same calls inline on its workers.
    ThreadsForBlocking,
    /// "io_uring for files": the io_uring runtimes, which submit file operations to the
    /// kernel's ring, against the rest (epoll runtimes hand each to a blocking pool; threads
    /// make the system call themselves).
    IoUringForFiles,
}

/// What a workload module says of one kind of its cells.
#[derive(Debug)]
pub struct About {
    /// The name used on the command line and in results.
    pub name: &'static str,
    /// What it is in a few words, for a list of workloads (`--help`).
    pub summary: &'static str,
    /// One line on what the workload does and how it is verified.
    pub description: &'static str,
    /// The unit of [`Workload::rate`].
    pub rate_unit: &'static str,
    /// The parameters of the module (every fetch scenario takes fetch's).
    pub params: &'static Table,
    /// Judged by a p99, lower is better, rather than by its rate.
    pub judged_by_p99: bool,
    /// Held to a rate on purpose.
    pub paced: bool,
    /// Its time is waiting rather than computing.
    pub waits: bool,
    /// It measures the cost of concurrency itself.
    pub costs_concurrency: bool,
    /// Its CPU work must run on at most W threads.
    pub on_w_threads: bool,
    /// Its figures are shown net of the backend's idle timer lateness.
    pub net_of_timer: bool,
    /// The rule of thumb its cells are judged by.
    pub rule: Rule,
    /// The headline rows of the decision table its cells stand in, in order (each cell says
    /// which: [`crate::WorkloadSpec::headline`]).
    pub headlines: &'static [&'static str],
    /// In a run of custom sizes, a row ranked by p99 latency at the asked concurrency
    /// besides its rate row (which is then labelled throughput).
    pub latency_row: bool,
    /// Why it does not apply to a backend, where it does not (`None`: it applies to every
    /// backend, which may still refuse it: [`crate::BackendInfo::not_applicable`]).
    pub not_for: fn(&BackendInfo) -> Option<&'static str>,
}

impl About {
    /// A kind judged by its rate, computing, neither paced nor a cost of concurrency:
    /// the builders below say otherwise.
    pub const fn new(
        name: &'static str,
        params: &'static Table,
        rate_unit: &'static str,
        summary: &'static str,
        description: &'static str,
    ) -> About {
        About {
            name,
            summary,
            description,
            rate_unit,
            params,
            judged_by_p99: false,
            paced: false,
            waits: false,
            costs_concurrency: false,
            on_w_threads: false,
            net_of_timer: false,
            rule: Rule::None,
            headlines: &[],
            latency_row: false,
            not_for: |_| None,
        }
    }

    /// Judged by `rule`.
    pub const fn rule(mut self, rule: Rule) -> About {
        self.rule = rule;
        self
    }

    /// Standing in the headline rows `headlines`.
    pub const fn headlines(mut self, headlines: &'static [&'static str]) -> About {
        self.headlines = headlines;
        self
    }

    /// With a p99 latency row where sizes are custom ([`About::latency_row`]).
    pub const fn latency_row(mut self) -> About {
        self.latency_row = true;
        self
    }

    /// Not applicable to the backends `not_for` gives a reason for.
    pub const fn not_for(mut self, not_for: fn(&BackendInfo) -> Option<&'static str>) -> About {
        self.not_for = not_for;
        self
    }

    /// Judged by a p99 ([`WorkloadKind::judged_by_p99`]).
    pub const fn judged_by_p99(mut self) -> About {
        self.judged_by_p99 = true;
        self
    }

    /// Held to a rate ([`WorkloadKind::paced`]).
    pub const fn paced(mut self) -> About {
        self.paced = true;
        self
    }

    /// Its time is waiting ([`WorkloadKind::waits`]).
    pub const fn waits(mut self) -> About {
        self.waits = true;
        self
    }

    /// Its CPU work held to W threads ([`WorkloadKind::on_w_threads`]).
    pub const fn on_w_threads(mut self) -> About {
        self.on_w_threads = true;
        self
    }

    /// Shown net of the idle timer ([`WorkloadKind::net_of_timer`]).
    pub const fn net_of_timer(mut self) -> About {
        self.net_of_timer = true;
        self
    }

    /// A cost of concurrency ([`WorkloadKind::costs_concurrency`]).
    pub const fn costs_concurrency(mut self) -> About {
        self.costs_concurrency = true;
        self
    }
}

impl WorkloadKind {
    /// The parameters of this workload's module (every fetch scenario takes fetch's).
    pub fn params(self) -> &'static Table {
        self.about().params
    }

    /// Whether `param`, one of its table's, is a parameter of this workload (a fetch
    /// scenario's own field is not one of the others').
    pub fn takes(self, param: &Param) -> bool {
        self.params().params.contains(param) && param.is_in(self.name())
    }

    /// A workload of this kind from its fields by name, as a profile file gives them
    /// (fields left out take the spec's defaults; a fetch scenario's own field is implied).
    /// Each field must be one of the kind's parameters and hold one of its values.
    pub fn build(
        self,
        mut fields: serde_json::Map<String, serde_json::Value>,
    ) -> Result<Workload, SpecError> {
        let table = self.params();
        for (field, value) in &fields {
            let Some(param) = table.params.iter().find(|p| p.field == field) else {
                return Err(SpecError::new(
                    "workload",
                    format!("{self} has no parameter `{field}`"),
                ));
            };
            if !self.takes(param) {
                return Err(SpecError::new(
                    "workload",
                    format!(
                        "{self} has no parameter `{field}` (only {} have it)",
                        param.only_in.join(" and ")
                    ),
                ));
            }
            param.check(value)?;
        }
        if table.name != self.name() {
            fields.insert("scenario".into(), self.name().into());
        }
        let json = serde_json::json!({ "workload": table.name, "params": fields });
        serde_json::from_value(json)
            .map_err(|err| SpecError::new("workload", format!("{self}: {err}")))
    }

    /// The name used on the command line and in results.
    pub fn name(self) -> &'static str {
        self.about().name
    }

    /// Whether its cells are judged by a p99, lower is better (tick lateness, latency from
    /// when each request was due), rather than by their rate.
    pub fn judged_by_p99(self) -> bool {
        self.about().judged_by_p99
    }

    /// Whether a run is held to a rate on purpose, so it takes as long as its schedule
    /// however fast the backend: a speedup says nothing of it.
    pub fn paced(self) -> bool {
        self.about().paced
    }

    /// Whether its time is waiting (timers, a server) rather than computing.
    pub fn waits(self) -> bool {
        self.about().waits
    }

    /// Whether it measures the cost of concurrency itself (a task group, a queue), which
    /// the sequential baseline does not pay at all: its rate is the floor of the costs,
    /// shown beside them, never the best of them.
    pub fn costs_concurrency(self) -> bool {
        self.about().costs_concurrency
    }

    /// Whether its CPU work must run on at most W threads: a trial of a backend that keeps
    /// a number of workers and used more CPU than W threads give does not count (a
    /// runtime's default blocking pool, say, is not compared with equal pools).
    pub fn on_w_threads(self) -> bool {
        self.about().on_w_threads
    }

    /// Whether its figures are shown net of the backend's idle timer lateness (its waits are
    /// on the backend's timer): a run with its cells probes each backend's idle timer.
    pub fn net_of_timer(self) -> bool {
        self.about().net_of_timer
    }

    /// What it is in a few words, for a list of workloads (`--help`).
    pub fn summary(self) -> &'static str {
        self.about().summary
    }

    /// One line on what the workload does and how it is verified.
    pub fn description(self) -> &'static str {
        self.about().description
    }

    /// The unit of [`Workload::rate`].
    pub fn rate_unit(self) -> &'static str {
        self.about().rate_unit
    }
}

impl fmt::Display for WorkloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_names_itself_and_takes_its_modules_parameters() {
        for kind in WorkloadKind::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(
                json.as_str().unwrap().replace('-', ""),
                kind.name().replace('-', "")
            );
            assert!(kind.params().params.len() >= 2, "{kind} has parameters");
        }
    }
}
