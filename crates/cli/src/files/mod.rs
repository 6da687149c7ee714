//! What a run reads and writes: results files written whole or not at all, the output
//! folder, the report files, and resuming an interrupted run.

#[cfg(test)]
pub mod fixtures;
pub mod outdir;
pub mod report;
pub mod resume;
pub mod store;
