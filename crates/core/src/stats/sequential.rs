//! More rounds where a row is undecided, without inflating its error. A group that may
//! take more rounds (one that answers a rule of thumb) is looked at after its planned
//! rounds and, while its verdict is undecided and the run's budget allows, after each
//! [`STEP_ROUNDS`] more, up to [`EXTRA_LOOKS`] times. Each look tests at its own share of
//! the level α, the shares summing to α (a Bonferroni split over the looks: whatever the
//! looks' correlation, the chance of a false finding at any look is at most α): the
//! planned look [`FIRST_SHARE`] of it, each later look an equal part of the rest.

use serde::{Deserialize, Serialize};

/// Rounds each further look adds.
pub const STEP_ROUNDS: u32 = 2;

/// The most looks after the planned one.
pub const EXTRA_LOOKS: u32 = 2;

/// The share of α the planned look spends.
pub const FIRST_SHARE: f64 = 0.8;

/// The level look `look` (1: the planned one) of a group that may take more rounds tests
/// at, when the run's level is `alpha`.
pub fn alpha_at(alpha: f64, look: u32) -> f64 {
    if look <= 1 {
        alpha * FIRST_SHARE
    } else {
        alpha * (1.0 - FIRST_SHARE) / f64::from(EXTRA_LOOKS)
    }
}

/// One look at a group, as results.json records it on each of the group's cells.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Look {
    /// Rounds the group had run.
    pub rounds: u32,
    /// The level this look tested at.
    pub alpha: f64,
    /// Whether its verdict was decided (confirmed, does not matter here, contradicted).
    pub decided: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_looks_spend_the_level_once_in_all() {
        let spent: f64 = (1..=1 + EXTRA_LOOKS).map(|k| alpha_at(0.05, k)).sum();
        assert!((spent - 0.05).abs() < 1e-12, "{spent}");
        assert!((alpha_at(0.05, 1) - 0.04).abs() < 1e-12);
        assert!((alpha_at(0.05, 2) - 0.005).abs() < 1e-12);
    }
}
