//! A workload's parameters as data. Each workload's module lists its own ([`Param`]); the
//! command line builds its size flags, their help and their defaults from those lists, and
//! sets a spec's fields by name ([`crate::Workload::with`]), so nothing outside a workload's
//! module spells its fields.

use std::fmt;

use crate::error::SpecError;

/// What values a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A whole number in `min..=max` (`_` separators and exponents like `2e9` accepted).
    Count {
        /// The smallest valid value.
        min: u64,
        /// The largest valid value.
        max: u64,
    },
    /// A fraction in `0..=1`.
    Fraction,
    /// One of these names, each with what it means.
    Choice(&'static [(&'static str, &'static str)]),
    /// An `http://host[:port]/path` URL.
    Url,
}

/// One parameter of a workload.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Param {
    /// The command-line flag, without its dashes: `sleep-ms`.
    pub flag: &'static str,
    /// The field of the spec it sets: `sleep_ms` (a flag may name it otherwise, as
    /// `--fetch-seed` sets `seed`).
    pub field: &'static str,
    /// What it is, with its unit: `milliseconds each task waits`.
    pub about: &'static str,
    /// Its values.
    pub kind: Kind,
    /// Said after the range inside its brackets: `i.e. at most one hour`.
    pub range_note: &'static str,
    /// Said after the bracketed range (a sentence or more), or empty.
    pub more: &'static str,
    /// The flag it may not be given with (another name for the same field), or empty.
    pub conflicts: &'static str,
    /// Kept out of `--help`: the harness passes it.
    pub hidden: bool,
    /// The choice a spec that leaves the field out holds (`fixed` for `arrival`), or empty
    /// where leaving it out means none.
    pub left_out: &'static str,
    /// Whether `--help` shows the value each workload takes by default (a choice whose
    /// default is a set of cells, like every placement of CPU jobs, says so in `more`).
    pub show_default: bool,
    /// The workloads of the table that have it, by name (`retry` alone has `retries`), or
    /// empty where every workload of the table does.
    pub only_in: &'static [&'static str],
    /// A choice whose values each have sizes of their own (`files --shape`): a run or trial
    /// given it starts from the first built-in cell with that value.
    pub picks_defaults: bool,
}

impl Param {
    /// A whole-number parameter in `min..=max` whose flag is its field's name.
    pub const fn count(
        field: &'static str,
        flag: &'static str,
        about: &'static str,
        min: u64,
        max: u64,
    ) -> Param {
        Param {
            flag,
            field,
            about,
            kind: Kind::Count { min, max },
            range_note: "",
            more: "",
            conflicts: "",
            hidden: false,
            left_out: "",
            only_in: &[],
            show_default: true,
            picks_defaults: false,
        }
    }

    /// A fraction in `0..=1`.
    pub const fn fraction(field: &'static str, flag: &'static str, about: &'static str) -> Param {
        Param {
            kind: Kind::Fraction,
            ..Param::count(field, flag, about, 0, 1)
        }
    }

    /// One of `names` (each with what it means); `--help` describes its default in `more`.
    pub const fn choice(
        field: &'static str,
        flag: &'static str,
        about: &'static str,
        names: &'static [(&'static str, &'static str)],
    ) -> Param {
        Param {
            kind: Kind::Choice(names),
            show_default: false,
            ..Param::count(field, flag, about, 0, 0)
        }
    }

    /// This parameter with `note` said inside the brackets after its range.
    pub const fn range_note(self, note: &'static str) -> Param {
        Param {
            range_note: note,
            ..self
        }
    }

    /// This parameter with `more` said after its range.
    pub const fn more(self, more: &'static str) -> Param {
        Param { more, ..self }
    }

    /// This parameter as another name for `flag`'s field.
    pub const fn conflicts(self, flag: &'static str) -> Param {
        Param {
            conflicts: flag,
            ..self
        }
    }

    /// This parameter as one that only the workloads `names` of its table have (a fetch
    /// scenario's own field).
    pub const fn only_in(self, names: &'static [&'static str]) -> Param {
        Param {
            only_in: names,
            ..self
        }
    }

    /// Whether the workload called `name`, one of its table's, has this parameter.
    pub fn is_in(&self, name: &str) -> bool {
        self.only_in.is_empty() || self.only_in.contains(&name)
    }

    /// This choice as one whose values each have sizes of their own: a run or trial given it
    /// starts from the first built-in cell with that value.
    pub const fn picks_defaults(self) -> Param {
        Param {
            picks_defaults: true,
            ..self
        }
    }

    /// This parameter with `--help` showing its default value.
    pub const fn show_default(self) -> Param {
        Param {
            show_default: true,
            ..self
        }
    }

    /// An `http://host[:port]/path` URL.
    pub const fn url(field: &'static str, flag: &'static str, about: &'static str) -> Param {
        Param {
            kind: Kind::Url,
            show_default: false,
            ..Param::count(field, flag, about, 0, 0)
        }
    }

    /// This choice with `name` as what a spec that leaves the field out holds.
    pub const fn left_out_is(self, name: &'static str) -> Param {
        Param {
            left_out: name,
            ..self
        }
    }

    /// This parameter kept out of `--help`.
    pub const fn hidden(self) -> Param {
        Param {
            hidden: true,
            ..self
        }
    }

    /// The valid range as help shows it, e.g. `[0..=3600000, i.e. at most one hour]`;
    /// empty for choices and URLs.
    pub fn range(&self) -> String {
        let range = match self.kind {
            Kind::Count { min, max } => format!("{min}..={max}"),
            Kind::Fraction => "0..=1".to_string(),
            Kind::Choice(_) | Kind::Url => return String::new(),
        };
        match self.range_note {
            "" => format!("[{range}]"),
            note => format!("[{range}, {note}]"),
        }
    }
}

impl Param {
    /// Accepts `value` only if it is one of this parameter's values, else says why, naming
    /// the field, the value and the valid ones.
    pub fn check(&self, value: &serde_json::Value) -> Result<(), SpecError> {
        let wrong = |valid: String| {
            Err(SpecError::new(
                self.field,
                format!("{} = {value} is not {valid}", self.field),
            ))
        };
        match (self.kind, value) {
            (Kind::Count { min, max }, serde_json::Value::Number(n)) => match n.as_u64() {
                Some(v) if (min..=max).contains(&v) => Ok(()),
                _ => wrong(format!("a whole number in {min}..={max}")),
            },
            (Kind::Count { min, max }, _) => wrong(format!("a whole number in {min}..={max}")),
            (Kind::Fraction, serde_json::Value::Number(n)) => match n.as_f64() {
                Some(v) if (0.0..=1.0).contains(&v) => Ok(()),
                _ => wrong("a fraction in 0..=1".into()),
            },
            (Kind::Fraction, _) => wrong("a fraction in 0..=1".into()),
            (Kind::Choice(names), serde_json::Value::String(s))
                if names.iter().any(|(name, _)| name == s) =>
            {
                Ok(())
            }
            (Kind::Choice(names), _) => {
                let names: Vec<&str> = names.iter().map(|(name, _)| *name).collect();
                wrong(format!("one of {}", names.join(", ")))
            }
            (Kind::Url, serde_json::Value::String(url)) => crate::fetch::check_url(url),
            (Kind::Url, _) => wrong("an http://host[:port]/path URL".into()),
        }
    }
}

/// A workload module's parameters, under the name `--help` groups them by.
#[derive(Clone, Copy, Debug)]
pub struct Table {
    /// The workload's name in a spec's JSON (`fetch` for every fetch scenario).
    pub name: &'static str,
    /// The workload (or family of workloads) they size, e.g. `fetch and its scenarios`.
    pub workload: &'static str,
    /// The parameters, in the order `--help` lists them.
    pub params: &'static [Param],
}

impl fmt::Display for Param {
    /// `--flag`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "--{}", self.flag)
    }
}
