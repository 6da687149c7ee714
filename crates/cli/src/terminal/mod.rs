//! What a run shows in the terminal: progress while it runs, then the per-cell table, the
//! Summary's verdicts and the comparison with the previous run.

pub mod compare;
pub mod lines;
pub mod progress;
pub mod table;
pub mod verdicts;
