//! Before the cells: each backend's idle timer (sleep and blocking are shown net of it), and
//! the harness's share of memory per task, unless the run being resumed has them.

use anyhow::Result;

use super::{Run, save};
use crate::{harness, timers};

/// Probes what the plan's cells need and the run does not have yet, saving after each.
pub(super) fn probe(run: &mut Run) -> Result<()> {
    let probed = timers::backends(&run.plan);
    if !probed.is_empty() && run.results.timers.is_empty() {
        eprintln!(
            "probing the idle timer of {} backends ({} trials each)",
            probed.len(),
            timers::TRIALS
        );
        run.results.timers = timers::probe(&run.exe, &probed, run.threads);
        save(&run.path, &mut run.results)?;
    }
    // The harness's share of memory per task, on the biggest sleep cell.
    if let Some((spec, backends)) =
        harness::plan(&run.plan).filter(|_| run.results.harness.is_empty())
    {
        eprintln!(
            "measuring the harness's share of memory per task on {} backends ({} trials each)",
            backends.len(),
            harness::TRIALS
        );
        run.results.harness = harness::probe(&run.exe, spec, &backends, run.threads);
        save(&run.path, &mut run.results)?;
    }
    Ok(())
}
