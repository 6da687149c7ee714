//! The leaves every other layer uses and that use nothing of the project: the spec error,
//! where CPU work is placed, the one pseudo-random generator, awaiting a batch of handles.

pub mod error;
pub mod join;
pub mod placement;
pub mod random;
