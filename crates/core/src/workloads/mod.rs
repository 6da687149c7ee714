//! The workloads, one module each: spec, parameters, validation, expected answer and
//! verification, prediction and fitting, and the shared kernels every backend runs.

pub mod blocking;
pub mod cpu;
pub mod fetch;
pub mod kernel;
pub mod mpmc;
pub mod pipeline;
pub mod sleep;
pub mod spawn;
