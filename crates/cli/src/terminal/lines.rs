//! The compact per-cell table: a heading per group of compared cells, then one line per
//! backend (median rate with the trials' range, the workload's own extra, peak memory),
//! within a given width. `run` prints a group as soon as its cells finish.

use shootout_core::results::{Cell, CellStatus, Summary};
use shootout_report::format::{bytes, number, seconds};

/// The width the compact table keeps to unless the terminal is narrower.
pub const WIDTH: usize = 100;

/// The columns to fit: the terminal's width when standard output is one (at most
/// [`WIDTH`]), else [`WIDTH`].
pub fn width() -> usize {
    console::Term::stdout()
        .size_checked()
        .map_or(WIDTH, |(_, cols)| usize::from(cols).clamp(40, WIDTH))
}

/// One group of compared cells: its heading, then a line per cell, each at most `width`
/// columns.
pub fn group(cells: &[&Cell], width: usize) -> String {
    let Some(first) = cells.first() else {
        return String::new();
    };
    let mut out = fit(
        &format!(
            "{} {} (W={})",
            first.workload.kind(),
            first.workload.comparable(first.threads),
            first.threads
        ),
        width,
    );
    out.push('\n');
    let label_width = cells
        .iter()
        .map(|c| label(c).chars().count())
        .max()
        .unwrap_or(0)
        .min(26);
    for cell in cells {
        let line = format!(
            "  {:<label_width$}  {}",
            fit(&label(cell), label_width),
            outcome(cell)
        );
        out += &fit(line.trim_end(), width);
        out.push('\n');
    }
    out
}

/// Every cell, grouped as `run` groups them (same workload and sizes, in order of first
/// appearance).
#[cfg(test)]
pub fn all(cells: &[Cell], width: usize) -> String {
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut groups: Vec<Vec<&Cell>> = Vec::new();
    for cell in cells {
        let key = (
            cell.workload.kind().to_string(),
            cell.workload.comparable(cell.threads),
        );
        match keys.iter().position(|k| *k == key) {
            Some(at) => groups[at].push(cell),
            None => {
                keys.push(key);
                groups.push(vec![cell]);
            }
        }
    }
    groups.iter().map(|g| group(g, width)).collect()
}

/// `tokio`, `tokio offload`, `tokio (A/A)`.
fn label(cell: &Cell) -> String {
    let mut label = cell.backend.clone();
    if let Some(variant) = cell.workload.variant() {
        label = format!("{label} {variant}");
    }
    if cell.twin {
        label += " (A/A)";
    }
    label
}

/// What the cell measured, or why it has no measurement.
fn outcome(cell: &Cell) -> String {
    match (&cell.status, &cell.summary) {
        (CellStatus::Ok, Some(summary)) => measured(cell, summary),
        (CellStatus::Failed, _) => format!(
            "FAILED: {}",
            cell.reason.as_deref().unwrap_or("no reason recorded")
        ),
        (CellStatus::Skipped, _) => format!(
            "skipped: {}",
            cell.reason.as_deref().unwrap_or("no reason recorded")
        ),
        (CellStatus::Ok, None) => "no verified trial".into(),
    }
}

/// `95.1k tasks/s [94.0k–96.2k]  p99 12.3 ms  12.3 MiB`.
fn measured(cell: &Cell, s: &Summary) -> String {
    let rate = match cell.held_below() {
        Some(first) => format!("held < {} {}", number(first), s.rate_unit),
        None => format!(
            "{} {} [{}–{}]",
            number(s.rate.median),
            s.rate_unit,
            number(s.rate.min),
            number(s.rate.max)
        ),
    };
    let mut extra = Vec::new();
    if let Some(due) = &s.from_due_us {
        extra.push(format!("p99 from due {}", seconds(due.p99.median / 1e6)));
    } else if let Some(latency) = &s.latency_us {
        extra.push(format!("p99 {}", seconds(latency.p99.median / 1e6)));
    }
    if let Some(per_task) = s.bytes_per_task {
        extra.push(format!("{}/task", bytes(per_task.median)));
    }
    if let Some(efficiency) = s.efficiency
        && s.latency_us.is_none()
    {
        extra.push(format!("{:.0}% of ideal", efficiency.median * 100.0));
    }
    if let Some(fitted) = cell.workload.fitted() {
        extra.push(format!("fitted: {fitted}"));
    }
    format!(
        "{rate:<30}  {:<24}  {}",
        extra.join(", "),
        bytes(s.peak_rss_bytes.median)
    )
}

/// `text` cut to `width` characters, ending in `…` when cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::fixtures::quick;

    #[test]
    fn every_cell_has_a_line_within_the_width() {
        let results = quick();
        for width in [80, 100] {
            let table = all(&results.cells, width);
            for line in table.lines() {
                assert!(
                    line.chars().count() <= width,
                    "{} > {width}: {line}",
                    line.chars().count()
                );
            }
            // A heading per group plus a line per cell.
            let indented = table.lines().filter(|l| l.starts_with("  ")).count();
            assert_eq!(indented, results.cells.len());
        }
        let table = all(&results.cells, 100);
        let failed_or_skipped = results
            .cells
            .iter()
            .filter(|c| c.status != CellStatus::Ok)
            .count();
        assert_eq!(
            table
                .lines()
                .filter(|l| l.contains("skipped: ") || l.contains("FAILED: "))
                .count(),
            failed_or_skipped
        );
        // A latency cell shows its p99, a sleep cell its memory per task.
        assert!(table.contains("p99 "), "{table}");
        assert!(table.contains("/task"), "{table}");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
    }
}
