//! The committed real quick run the CLI's unit tests format, compare and load.

use shootout_core::results::RunResults;

/// The text of `crates/report/tests/fixtures/quick.json`.
pub const QUICK_JSON: &str = include_str!("../../../report/tests/fixtures/quick.json");

/// That run, parsed.
pub fn quick() -> RunResults {
    serde_json::from_str(QUICK_JSON).expect("the quick fixture parses")
}
