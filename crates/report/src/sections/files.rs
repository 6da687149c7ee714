//! File I/O (`files`): each backend's own file I/O on the same files, by reads (or writes)
//! per second, with the page cache's state (or the device's writes) each cell measured, and
//! the rule "io_uring for files".

use shootout_core::WorkloadKind;
use shootout_core::files::Cache;

use super::{Context, Section, VERSUS, chart, op_figures, rate_bars, rows, table, takeaway};
use crate::analysis::{Entry, Group, Options, decide_group};
use crate::charts;
use crate::format::escape;
use crate::palette::Palette;

/// The section.
pub struct Files;

impl Section for Files {
    fn id(&self) -> &'static str {
        "files"
    }

    fn title(&self) -> &'static str {
        "Files: io_uring against blocking pools and threads"
    }

    fn needs(&self) -> &'static [WorkloadKind] {
        &[WorkloadKind::Files]
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        let f = ctx.findings;
        let runs = ctx.runs();
        let mut html = takeaway(
            "The same files read (and written) through each backend's own file I/O, every \
             read checked by hash and length against the seed's bytes, every written file \
             read back block by block after the clock: the epoll runtimes' file APIs \
             (tokio::fs, smol's async-fs, async-std's fs) hand each operation to their \
             blocking pool, sized to the reads in flight; monoio, compio and glommio submit \
             it to their io_uring (glommio through its page-cache BufferedFile); the thread \
             backends call std::fs themselves (a positioned read, pread, for a block). Warm: \
             every file read once before the clock; cold: every file's pages evicted \
             (posix_fadvise DONTNEED, after the set was synced) before it. \"From the \
             device\" is what the storage read while the clock ran (read_bytes in \
             /proc/PID/io) over the bytes the cell read: near 0% is a warm cell, near 100% \
             (more with read-ahead) a cold one, whatever the label says. p99 per read is from \
             the worker starting the read to its checked bytes (the process pool's parts do \
             not time theirs). A write shape writes a new file each trial, fdatasync'd once \
             after its last write or after every write (a log); \"to the device\" is what the \
             storage wrote while the clock ran over the bytes written. Client and device \
             share this machine's CPUs and one virtual disk: the cold cells and the syncs \
             measure that disk as much as the runtimes.",
        );
        let groups: Vec<&Group<'_>> = f
            .groups
            .iter()
            .filter(|g| g.kind == WorkloadKind::Files)
            .collect();
        html += &not_as_labelled(&groups, runs);
        for group in groups {
            html += &group_html(group, runs, f.options, &ctx.palette);
        }
        html
    }
}

/// Where a cell's measured cache state is not its label's: a cold cell that read under a
/// tenth of its bytes from the device (the page cache could not be evicted: tmpfs, say), or
/// a warm one that read over half (direct I/O, or a page cache too small for the set).
fn not_as_labelled(groups: &[&Group<'_>], runs: usize) -> String {
    let mut cold_in_memory = Vec::new();
    let mut warm_from_device = Vec::new();
    for group in groups {
        for entry in group.ok() {
            let (Some(spec), Some(share)) = (entry.cell.workload.files(), device_share(entry))
            else {
                continue;
            };
            if spec.shape.writes() {
                continue;
            }
            let label = format!("{} ({})", entry.mode_label(runs), group.title);
            match spec.cache {
                Cache::Cold if share < 0.1 => cold_in_memory.push(label),
                Cache::Warm if share > 0.5 => warm_from_device.push(label),
                _ => {}
            }
        }
    }
    let mut said = String::new();
    if !cold_in_memory.is_empty() {
        said += &format!(
            "<p class=\"note\">Cold in name only: {} read under a tenth of their bytes from \
             the device, so their pages could not be evicted here (tmpfs, or a file system \
             that keeps them): their reads came from memory.</p>\n",
            escape(&cold_in_memory.join(", "))
        );
    }
    if !warm_from_device.is_empty() {
        said += &format!(
            "<p class=\"note\">Warm in name only: {} read over half their bytes from the \
             device (direct I/O, or a page cache too small for the set).</p>\n",
            escape(&warm_from_device.join(", "))
        );
    }
    said
}

/// One shape at one size and cache state: its row's verdict, its table and its chart.
fn group_html(group: &Group<'_>, runs: usize, options: Options, palette: &Palette) -> String {
    let mut html = format!("<h3>files {}</h3>\n", escape(&group.title));
    if let Some(decision) = decide_group(group, runs, options) {
        html += &takeaway(&format!(
            "io_uring for files, {}: {}.",
            decision.verdict.name(),
            decision.why()
        ));
    }
    let rows = rows(group, runs, 6, |e, s| {
        let mut figures = op_figures(e, s);
        figures.push(
            device_share(e)
                .map(|share| format!("{:.0}%", share * 100.0))
                .unwrap_or_else(|| "–".into()),
        );
        figures
    });
    let writes = group
        .entries
        .first()
        .and_then(|e| e.cell.workload.files())
        .is_some_and(|spec| spec.shape.writes());
    let (op, device) = match writes {
        true => ("write", "to the device"),
        false => ("read", "from the device"),
    };
    let (rate, p99, cpu) = (
        format!("{op}s/s"),
        format!("p99 per {op}"),
        format!("CPU per {op}"),
    );
    html += &table(
        &[
            "backend",
            "status",
            &rate,
            &p99,
            "in flight",
            &cpu,
            device,
            VERSUS,
        ],
        &rows,
    );
    html += &chart(charts::bars(
        &format!("files {} ({rate})", group.title),
        &rate,
        &rate_bars(group, runs, palette),
    ));
    html
}

/// The share of the bytes a cell read (or wrote) that the device read (or wrote) while the
/// clock ran, median over the verified trials that measured it.
fn device_share(entry: &Entry<'_>) -> Option<f64> {
    let spec = entry.cell.workload.files()?;
    let bytes = spec.bytes_moved() as f64;
    let writes = spec.shape.writes();
    let mut shares: Vec<f64> = entry
        .cell
        .trials
        .iter()
        .filter(|t| t.ok)
        .filter_map(|t| {
            let record = t.record.as_ref()?;
            match writes {
                true => record.device_write_bytes,
                false => record.device_read_bytes,
            }
        })
        .map(|device| device as f64 / bytes.max(1.0))
        .collect();
    shares.sort_by(f64::total_cmp);
    shares.get(shares.len() / 2).copied()
}
