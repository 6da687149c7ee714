//! Writing the report files: the one place that turns a rendered report into files.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};
use shootout_core::results::RunResults;
use shootout_report::{Input, render};

use crate::store::write_atomic;

/// Where `cargo bench` leaves criterion's HTML report, relative to the workspace.
const CRITERION: &str = "target/criterion/report/index.html";

/// Renders `runs` (and the comparison with `baseline`) into `out`: index.html,
/// results.csv and summary.md, with `margin` instead of the recorded one when given.
/// Returns the path of index.html.
pub fn write(
    out: &Path,
    runs: &[RunResults],
    baseline: Option<&RunResults>,
    margin: Option<f64>,
) -> Result<PathBuf> {
    let criterion = criterion_link(out);
    let report = render(&Input {
        runs,
        baseline,
        criterion: criterion.as_deref(),
        margin,
    });
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    write_atomic(&out.join("results.csv"), report.csv.as_bytes())?;
    write_atomic(&out.join("summary.md"), report.markdown.as_bytes())?;
    let index = out.join("index.html");
    write_atomic(&index, report.html.as_bytes())?;
    Ok(index)
}

/// Reads a results.json.
pub fn load(path: &Path) -> Result<RunResults> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a shootout results.json", path.display()))
}

/// A link from `out` to criterion's report, when `cargo bench` has written one here.
fn criterion_link(out: &Path) -> Option<String> {
    if !Path::new(CRITERION).exists() {
        return None;
    }
    if out.is_absolute() {
        return std::env::current_dir()
            .ok()
            .map(|cwd| cwd.join(CRITERION).display().to_string());
    }
    let depth = out
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    Some(format!("{}{CRITERION}", "../".repeat(depth)))
}
