//! Backends on the command line: a name from the registry (`shootout_registry`), the one
//! place that knows them all.

use std::sync::LazyLock;

use clap::ValueEnum;
use clap::builder::PossibleValue;
use shootout_core::{Backend, BackendError, BackendInfo, Workload};
use shootout_registry::Entry;

/// A backend, by its command-line name.
#[derive(Clone, Copy, Debug)]
pub struct BackendName(&'static Entry);

impl PartialEq for BackendName {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for BackendName {}

/// Every backend, in registry (report) order.
static ALL: LazyLock<Vec<BackendName>> =
    LazyLock::new(|| shootout_registry::all().map(BackendName).collect());

impl BackendName {
    /// Every backend, in report order.
    pub fn all() -> &'static [BackendName] {
        &ALL
    }

    /// Static facts about the backend.
    pub fn info(self) -> &'static BackendInfo {
        self.0.info
    }

    /// The command-line name.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Builds the backend for `workload` with `threads` workers.
    pub fn build(
        self,
        threads: u64,
        workload: &Workload,
    ) -> Result<Box<dyn Backend>, BackendError> {
        (self.0.build)(threads, workload)
    }
}

/// The helper process of the backend whose helpers `shootout <subcommand>` starts.
pub fn helper(subcommand: &str) -> Option<shootout_core::Helper> {
    BackendName::all()
        .iter()
        .find_map(|b| b.info().helper.filter(|h| h.subcommand == subcommand))
}

impl ValueEnum for BackendName {
    fn value_variants<'a>() -> &'a [Self] {
        &ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()).help(self.info().summary))
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::args::{Cli, Command};

    /// The backends `shootout run --backend LIST` selects, as the real parser reads them.
    fn selected(list: &str) -> Result<Vec<&'static str>, clap::Error> {
        let cli = Cli::try_parse_from(["shootout", "run", "--backend", list])?;
        let Some(Command::Run(args)) = cli.command else {
            panic!("not a run")
        };
        Ok(args.backend.iter().map(|b| b.name()).collect())
    }

    #[test]
    fn every_registered_backend_is_selectable_by_its_name() {
        // Typed by a user, each registry entry's own name selects that entry, alone and in
        // a list, and nothing else does.
        let names: Vec<&str> = shootout_registry::all()
            .map(|entry| entry.info.name)
            .collect();
        for name in &names {
            assert_eq!(selected(name).unwrap(), [*name]);
        }
        assert_eq!(selected(&names.join(",")).unwrap(), names);
        let refused = selected("tokio-nope").unwrap_err().to_string();
        assert!(refused.contains("tokio-nope"), "{refused}");
        for name in &names {
            assert!(refused.contains(name), "the error lists {name}: {refused}");
        }
    }
}
