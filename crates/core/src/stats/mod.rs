//! The statistics behind every number and verdict: medians with their spread, and exact
//! rank-based intervals of ratios between backends with equivalence margins and Holm's
//! correction.

mod best;
pub mod calibration;
pub mod cdf;
pub mod compare;
pub mod holm;
pub mod mann_whitney;
mod median_interval;
mod normal;
pub mod sequential;
pub mod signed_rank;
mod spread;

pub use best::Against;
pub use compare::{Better, Comparison, Needed, Outcome, Pairs, Test};
pub use median_interval::median_interval;
pub use spread::Spread;
