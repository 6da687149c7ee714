//! The contract: the `Backend` trait and what a backend says about itself, the workloads as
//! data and what each says of itself (`WorkloadSpec`, its parameters), what a run returns,
//! what an async runtime provides to the code written once over it, and the conformance
//! suite every backend passes.

pub mod backend;
pub mod clock;
pub mod conformance;
pub mod cores;
pub mod design;
pub mod driver;
pub mod executor;
pub mod kind;
pub mod methods;
pub mod outcome;
pub mod params;
pub mod processes;
pub mod runs;
pub mod runtime;
pub mod threaded;
pub mod workload;
