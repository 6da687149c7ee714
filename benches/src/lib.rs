//! Criterion benches live in this package's bench targets.
