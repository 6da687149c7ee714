//! Backends on the command line: a name from the registry (`shootout_registry`), the one
//! place that knows them all.

use std::sync::LazyLock;

use clap::ValueEnum;
use clap::builder::PossibleValue;
use shootout_core::{Backend, BackendError, BackendInfo, Workload};
use shootout_registry::{BACKENDS, Entry};

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
    LazyLock::new(|| BACKENDS.iter().map(BackendName).collect());

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
    use super::*;

    #[test]
    fn every_registered_backend_is_selectable_by_its_name() {
        assert_eq!(BackendName::all().len(), BACKENDS.len());
        for &backend in BackendName::all() {
            let value = backend
                .to_possible_value()
                .expect("every backend is selectable");
            assert_eq!(value.get_name(), backend.name());
            assert_eq!(BackendName::from_str(backend.name(), false), Ok(backend));
        }
    }
}
