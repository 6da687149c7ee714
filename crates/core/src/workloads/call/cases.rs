//! The call workload's answer for the test doubles (its conformance cases need the run's
//! server and databases: [`super::conformance`]).

use super::CallSpec;
use crate::outcome::RunOutcome;

/// The mock backend's answer: every call once, verified.
pub(crate) fn synthetic(spec: &CallSpec) -> RunOutcome {
    spec.expected().into()
}
