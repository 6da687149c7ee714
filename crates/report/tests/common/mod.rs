//! Backends picked from a fixture by what its cells say about them (family, mode, how many
//! requests a cell ran), never by name: the tests hold whatever backends the fixture holds.

#![allow(dead_code)]

use shootout_core::Family;
use shootout_core::results::{Cell, RunResults};

/// The backends of `family` in `run`, in the order of their first cell.
pub fn backends_in(run: &RunResults, family: Family) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for cell in run.cells.iter().filter(|c| c.family() == family) {
        if !names.contains(&cell.backend) {
            names.push(cell.backend.clone());
        }
    }
    names
}

/// The first backend of `family` in `run`.
pub fn first_in(run: &RunResults, family: Family) -> String {
    backends_in(run, family)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("the fixture has a backend of the {family:?} family"))
}

/// The family of `backend`, from its cells in `run`.
pub fn family_of(run: &RunResults, backend: &str) -> Family {
    run.cells
        .iter()
        .find(|c| c.backend == backend)
        .map(Cell::family)
        .unwrap_or_else(|| panic!("{backend} is not in the fixture"))
}

/// The report of `runs` alone: no baseline, no criterion link or estimates, the margin
/// the runs recorded.
pub fn report_of(runs: &[RunResults]) -> shootout_report::Report {
    shootout_report::render(&shootout_report::Input {
        runs,
        baseline: None,
        criterion: None,
        benches: &[],
        margin: None,
    })
}
