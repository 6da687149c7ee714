//! The terminal summary: one line per cell.

use std::fmt::Write;

use shootout_core::results::{Cell, CellStatus};
use shootout_report::format::{bytes, number, seconds};

/// Formats cells as an aligned text table.
pub fn render(cells: &[Cell]) -> String {
    let header = [
        "workload",
        "params",
        "W",
        "backend",
        "status",
        "median wall",
        "min..max",
        "rate",
        "peak RSS",
        "note",
    ];
    let mut rows: Vec<[String; 10]> = vec![header.map(String::from)];
    for cell in cells {
        let status = match cell.status {
            CellStatus::Ok => "ok",
            CellStatus::Failed => "FAILED",
            CellStatus::Skipped => "skipped",
        };
        let (wall, spread, rate, rss, note) = match &cell.summary {
            Some(summary) => (
                seconds(summary.wall_s.median),
                format!(
                    "{}..{}",
                    seconds(summary.wall_s.min),
                    seconds(summary.wall_s.max)
                ),
                format!("{} {}", number(summary.rate.median), summary.rate_unit),
                bytes(summary.peak_rss_bytes.median),
                note(summary),
            ),
            None => (
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                cell.reason.clone().unwrap_or_default(),
            ),
        };
        rows.push([
            cell.workload.kind().to_string(),
            cell.workload.params_label(),
            cell.threads.to_string(),
            cell.backend.clone(),
            status.into(),
            wall,
            spread,
            rate,
            rss,
            note,
        ]);
    }
    let mut widths = [0usize; 10];
    for row in &rows {
        for (width, text) in widths.iter_mut().zip(row) {
            *width = (*width).max(text.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, (text, width)) in row.iter().zip(widths).enumerate() {
            if i == 9 {
                line.push_str(text);
            } else {
                let _ = write!(line, "{text:<width$}  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Per-workload extras: memory per task, or latency percentiles and efficiency.
fn note(summary: &shootout_core::results::Summary) -> String {
    let mut parts = Vec::new();
    if let Some(bytes) = summary.bytes_per_task {
        parts.push(format!("{} B/task", number(bytes.median)));
    }
    // A paced cell is timed from when each request was due; the send clock, which hides
    // a backend falling behind, comes second.
    if let (Some(due), Some(send)) = (&summary.from_due_us, &summary.latency_us) {
        parts.push(format!(
            "from due p50 {} p99 {} (from send p99 {})",
            seconds(due.p50.median / 1e6),
            seconds(due.p99.median / 1e6),
            seconds(send.p99.median / 1e6)
        ));
    } else if let Some(latency) = &summary.latency_us {
        parts.push(format!(
            "p50 {} p99 {}",
            seconds(latency.p50.median / 1e6),
            seconds(latency.p99.median / 1e6)
        ));
    }
    if let Some(efficiency) = summary.efficiency {
        parts.push(format!("{:.0}% of ideal", efficiency.median * 100.0));
    }
    parts.join(", ")
}
