//! The size flags of `run` and `trial`, built from the workload modules' parameter tables
//! ([`shootout_core::workload::TABLES`]): a flag for each parameter, its help from the
//! tables, and the values given, set on a workload by name. No field is spelled here.

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};
use serde_json::Value;
use shootout_core::params::{Kind, Param, Table};
use shootout_core::workload::TABLES;
use shootout_core::{SpecError, Workload, WorkloadKind};

use super::{bounded, fraction, url};

/// Workload sizes, shared by `run` and `trial`: the size flags given, with their values.
/// Numbers accept `_` separators and exponent notation (`2e9`).
#[derive(Clone, Debug, Default)]
pub struct Sizes {
    given: Vec<(&'static Param, Value)>,
}

/// One size flag: the parameters of every table that takes it (the first one's words
/// lead), and the tables they come from.
struct Flag {
    params: Vec<(&'static Table, &'static Param)>,
}

impl Flag {
    fn first(&self) -> &'static Param {
        self.params[0].1
    }

    /// `sleep, spawn: number of tasks [1..=10000000]`, the ranges of every table that
    /// differs from the first's, and what each adds.
    fn help(&self) -> String {
        let first = self.first();
        let mut help = String::new();
        if self.params.len() > 1 {
            let names: Vec<&str> = self.params.iter().map(|(t, _)| t.workload).collect();
            help += &format!("{}: ", names.join(", "));
        }
        help += first.about;
        let mut range = first.range();
        let others: Vec<String> = self.params[1..]
            .iter()
            .filter(|(_, p)| p.kind != first.kind)
            .filter_map(|(table, p)| match p.kind {
                Kind::Count { min, max } => Some(format!("{} {min}..={max}", table.workload)),
                _ => None,
            })
            .collect();
        if !others.is_empty() && range.ends_with(']') {
            range.pop();
            range += &format!("; {}]", others.join("; "));
        }
        if !range.is_empty() {
            help += &format!(" {range}");
        }
        help.push('.');
        let mut said: Vec<&str> = Vec::new();
        for (_, param) in &self.params {
            if !param.more.is_empty() && !said.contains(&param.more) {
                said.push(param.more);
                help += &format!(" {}", param.more);
            }
        }
        if let Some(defaults) = crate::help::defaults(first.flag) {
            help += &format!(" [default: {defaults}]");
        }
        help
    }

    /// The clap argument: its parser checks the widest range any table allows (each
    /// workload's own limit is checked with its spec).
    fn arg(&self, order: usize) -> Arg {
        let (table, first) = self.params[0];
        let arg = Arg::new(first.flag)
            .long(first.flag)
            .value_name(first.flag.to_uppercase().replace('-', "_"))
            .display_order(order)
            .help(self.help())
            .help_heading(format!("Sizes: {}", table.workload))
            .hide(first.hidden);
        let arg = match first.conflicts {
            "" => arg,
            other => arg.conflicts_with(other),
        };
        match first.kind {
            Kind::Count { .. } => {
                let (min, max) = self.widest();
                arg.value_parser(bounded(*first, min, max))
            }
            Kind::Fraction => arg.value_parser(fraction(*first)),
            Kind::Url => arg.value_parser(url),
            Kind::Choice(names) => arg.value_parser(PossibleValuesParser::new(
                names
                    .iter()
                    .map(|(name, help)| PossibleValue::new(*name).help(*help)),
            )),
        }
    }

    /// The smallest minimum and largest maximum of the tables' counts.
    fn widest(&self) -> (u64, u64) {
        self.params
            .iter()
            .filter_map(|(_, p)| match p.kind {
                Kind::Count { min, max } => Some((min, max)),
                _ => None,
            })
            .fold((u64::MAX, 0), |(lo, hi), (min, max)| {
                (lo.min(min), hi.max(max))
            })
    }

    /// The value given for this flag, as a spec's field holds it.
    fn value(&self, matches: &ArgMatches) -> Option<Value> {
        let id = self.first().flag;
        match self.first().kind {
            Kind::Count { .. } => matches.get_one::<u64>(id).map(|v| Value::from(*v)),
            Kind::Fraction => matches.get_one::<f64>(id).map(|v| Value::from(*v)),
            Kind::Url | Kind::Choice(_) => matches
                .get_one::<String>(id)
                .map(|v| Value::from(v.clone())),
        }
    }
}

/// Every size flag, in the order of the tables.
fn flags() -> Vec<Flag> {
    let mut flags: Vec<Flag> = Vec::new();
    for table in TABLES {
        for param in table.params {
            match flags.iter_mut().find(|f| f.first().flag == param.flag) {
                Some(flag) => flag.params.push((table, param)),
                None => flags.push(Flag {
                    params: vec![(table, param)],
                }),
            }
        }
    }
    flags
}

impl Sizes {
    /// Whether any size flag was given.
    pub fn any(&self) -> bool {
        !self.given.is_empty()
    }

    /// Whether any size flag for `kind` was given.
    pub fn touches(&self, kind: WorkloadKind) -> bool {
        self.given.iter().any(|(param, _)| takes(kind, param.flag))
    }

    /// Refuses a size flag that sizes none of `kinds`, the workloads asked for (`--fail`
    /// is partial-failure's and retry's, not plain fetch's), naming the ones it sizes.
    pub fn check_used(&self, kinds: &[WorkloadKind]) -> Result<(), SpecError> {
        let unused = self
            .given
            .iter()
            .find(|(param, _)| !kinds.iter().any(|&kind| takes(kind, param.flag)));
        let Some((param, _)) = unused else {
            return Ok(());
        };
        let names = |kinds: Vec<WorkloadKind>| {
            let names: Vec<&str> = kinds.into_iter().map(WorkloadKind::name).collect();
            names.join(", ")
        };
        let owners = WorkloadKind::ALL
            .into_iter()
            .filter(|&k| takes(k, param.flag));
        Err(SpecError::new(
            param.field,
            format!(
                "--{} sizes {}, not {}",
                param.flag,
                names(owners.collect()),
                names(kinds.to_vec())
            ),
        ))
    }

    /// The number `--flag` was given, if it was.
    pub fn number(&self, flag: &str) -> Option<f64> {
        self.given
            .iter()
            .find(|(param, _)| param.flag == flag)
            .and_then(|(_, value)| value.as_f64())
    }

    /// The text `--flag` was given (a choice's name), if it was.
    pub fn text(&self, flag: &str) -> Option<String> {
        self.given
            .iter()
            .find(|(param, _)| param.flag == flag)
            .and_then(|(_, value)| value.as_str().map(str::to_string))
    }

    /// Whether `--flag` was given.
    pub fn gives(&self, flag: &str) -> bool {
        self.given.iter().any(|(param, _)| param.flag == flag)
    }

    /// The workload `defaults` with these sizes: each flag its workload takes sets its
    /// field; the rest keep the defaults.
    pub fn apply(&self, defaults: Workload) -> Workload {
        let kind = defaults.kind();
        self.given
            .iter()
            .fold(defaults, |workload, (given, value)| {
                let own = |p: &&Param| p.flag == given.flag && kind.takes(p);
                match kind.params().params.iter().find(own) {
                    Some(param) => workload
                        .with(param, value.clone())
                        .expect("the flag's parser admits only values its field holds"),
                    None => workload,
                }
            })
    }

    /// The flags that give `workload` its sizes, for a command line that rebuilds it: every
    /// parameter of its workload with its value (choices and URLs where set).
    #[cfg(test)]
    pub fn flags_of(workload: &Workload) -> Vec<String> {
        let mut flags = Vec::new();
        for param in workload.kind().params().params {
            if let Some(value) = workload.value(param).filter(|_| param.conflicts.is_empty()) {
                flags.push(format!("--{}", param.flag));
                flags.push(value);
            }
        }
        flags
    }
}

/// The size flag that sets `field`: `kind`'s own where it has one (`--call-tick-us` for
/// call's `tick_us`), else the first table's, e.g. `--fetch-seed` for `seed` (the field's
/// own name, dashed, where no table has it).
pub fn flag_for(kind: Option<WorkloadKind>, field: &str) -> String {
    let own = kind.into_iter().flat_map(|kind| kind.params().params);
    own.chain(TABLES.iter().flat_map(|table| table.params))
        .find(|p| p.field == field && p.conflicts.is_empty())
        .map_or_else(
            || format!("--{}", field.replace('_', "-")),
            ToString::to_string,
        )
}

/// Whether `kind` has a parameter set by `--flag`.
fn takes(kind: WorkloadKind, flag: &str) -> bool {
    kind.params()
        .params
        .iter()
        .any(|p| p.flag == flag && kind.takes(p))
}

impl FromArgMatches for Sizes {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut sizes = Sizes::default();
        sizes.update_from_arg_matches(matches)?;
        Ok(sizes)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for flag in flags() {
            if let Some(value) = flag.value(matches) {
                self.given.retain(|(p, _)| p.flag != flag.first().flag);
                self.given.push((flag.first(), value));
            }
        }
        Ok(())
    }
}

impl Args for Sizes {
    fn augment_args(cmd: Command) -> Command {
        flags()
            .iter()
            .enumerate()
            .fold(cmd, |cmd, (order, flag)| cmd.arg(flag.arg(order)))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}
