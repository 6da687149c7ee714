//! The terminal summary: one line per cell.

use std::fmt::Write;

use shootout_core::results::{Cell, CellStatus};

/// Formats cells as an aligned text table.
pub fn render(cells: &[Cell]) -> String {
    let header = [
        "workload",
        "params",
        "backend",
        "status",
        "median wall",
        "min..max",
        "rate",
        "peak RSS",
        "note",
    ];
    let mut rows: Vec<[String; 9]> = vec![header.map(String::from)];
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
            cell.backend.clone(),
            status.into(),
            wall,
            spread,
            rate,
            rss,
            note,
        ]);
    }
    let mut widths = [0usize; 9];
    for row in &rows {
        for (width, text) in widths.iter_mut().zip(row) {
            *width = (*width).max(text.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, (text, width)) in row.iter().zip(widths).enumerate() {
            if i == 8 {
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
    if let Some(latency) = &summary.latency_us {
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

/// `1.234 s`, `12.3 ms`.
pub fn seconds(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.0} µs", s * 1e6)
    }
}

/// Three significant figures with k/M/G suffixes.
pub fn number(x: f64) -> String {
    let (value, suffix) = match x.abs() {
        v if v >= 1e9 => (x / 1e9, "G"),
        v if v >= 1e6 => (x / 1e6, "M"),
        v if v >= 1e4 => (x / 1e3, "k"),
        _ => (x, ""),
    };
    if value.abs() >= 100.0 {
        format!("{value:.0}{suffix}")
    } else if value.abs() >= 10.0 {
        format!("{value:.1}{suffix}")
    } else {
        format!("{value:.2}{suffix}")
    }
}

/// `12.3 MiB`.
pub fn bytes(b: f64) -> String {
    match b {
        b if b >= (1u64 << 30) as f64 => format!("{:.2} GiB", b / (1u64 << 30) as f64),
        b if b >= (1u64 << 20) as f64 => format!("{:.1} MiB", b / (1u64 << 20) as f64),
        b => format!("{:.0} KiB", b / 1024.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(seconds(1.5), "1.500 s");
        assert_eq!(seconds(0.0123), "12.3 ms");
        assert_eq!(seconds(0.000021), "21 µs");
        assert_eq!(number(2_500_000.0), "2.50M");
        assert_eq!(number(98_765.0), "98.8k");
        assert_eq!(number(5.2), "5.20");
        assert_eq!(bytes(3.0 * 1024.0 * 1024.0), "3.0 MiB");
    }
}
