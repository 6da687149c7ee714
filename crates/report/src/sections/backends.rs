//! Every backend's configuration, crate versions and upstream status.

use super::{Context, Section};
use crate::palette::Palette;
use std::collections::BTreeMap;

use shootout_core::results::RunResults;

use super::{table, takeaway};
use crate::format::{escape, seconds};

/// What the page shows of one backend: its maintenance status, its crates' versions, and
/// its settings by workload.
type Seen = (String, BTreeMap<String, String>, BTreeMap<String, String>);

/// The backends section.
pub fn render(runs: &[RunResults], palette: &Palette) -> String {
    let seen = collect(runs, palette);
    let discontinued: Vec<String> = seen
        .iter()
        .filter(|(_, (m, _, _))| m.starts_with("discontinued"))
        .map(|((_, b), (m, _, _))| format!("{b} is {m}"))
        .collect();
    let mut text = format!(
        "{} backends, each given the same worker-thread count; CPU jobs on the async runtimes go to their blocking pools, capped at that count.",
        seen.len()
    );
    if !discontinued.is_empty() {
        text += &format!(" Note: {}.", discontinued.join("; "));
    }
    let rows: Vec<Vec<String>> = seen
        .into_iter()
        .map(|((_, backend), seen)| row(runs, &backend, seen))
        .collect();
    if runs.iter().any(|r| !r.timers.is_empty()) {
        text += " Idle timer: one task waking every 1 ms on absolute deadlines, 100 times, with \
                 nothing else running (6 trials per backend, interleaved): the lateness of the \
                 backend's own timer (a timer that rounds deadlines up to a 1 ms tick shows about \
                 1 ms here), its median and its largest. The sleep and blocking sections show \
                 their figures both raw and net of it.";
    }
    takeaway(&text)
        + &table(
            &[
                "backend",
                "status",
                "crates",
                "idle timer lateness p50 / max (1 ms ticks)",
                "settings by workload",
            ],
            &rows,
        )
}

/// Every backend of `runs`, in registry order, with what its cells recorded.
fn collect(runs: &[RunResults], palette: &Palette) -> BTreeMap<(usize, String), Seen> {
    let mut seen: BTreeMap<(usize, String), Seen> = BTreeMap::new();
    for (run, results) in runs.iter().enumerate() {
        for cell in &results.cells {
            let entry = seen
                .entry((order(&cell.backend, palette), cell.backend.clone()))
                .or_insert_with(|| (cell.maintenance.clone(), BTreeMap::new(), BTreeMap::new()));
            // The crates the backend says it is made of; files from before that was
            // recorded fall back to the machine's list, by the crate's own name.
            if cell.crates.is_empty() {
                if let Some(version) = results.machine.crates.get(&cell.backend) {
                    entry.1.insert(cell.backend.clone(), version.clone());
                }
            } else {
                entry.1.extend(cell.crates.clone());
            }
            if let Some(worker) = &cell.worker {
                entry.1.insert("worker executable".into(), worker.clone());
            }
            if !cell.config.is_empty() {
                let settings = cell
                    .config
                    .iter()
                    .map(|(k, v)| format!("<b>{}</b>: {}", escape(k), escape(v)))
                    .collect::<Vec<_>>()
                    .join("<br>");
                let key = if runs.len() > 1 {
                    format!("[{}] {}", run + 1, cell.workload.kind())
                } else {
                    cell.workload.kind().to_string()
                };
                entry.2.entry(key).or_insert(settings);
            }
        }
    }
    seen
}

/// One backend's row of the table.
fn row(runs: &[RunResults], backend: &str, (maintenance, crates, configs): Seen) -> Vec<String> {
    let crate_versions = crates
        .iter()
        .map(|(c, v)| format!("{c} {v}"))
        .collect::<Vec<_>>()
        .join("<br>");
    // Workloads with identical settings share one entry (most backends have one).
    let mut by_settings: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (workload, settings) in configs {
        by_settings.entry(settings).or_default().push(workload);
    }
    let settings = by_settings
        .into_iter()
        .map(|(settings, workloads)| {
            format!(
                "<details><summary>{}</summary>{settings}</details>",
                escape(&workloads.join(", "))
            )
        })
        .collect::<String>();
    let status = if maintenance.starts_with("discontinued") {
        format!("<span class=\"failed\">{}</span>", escape(&maintenance))
    } else {
        escape(&maintenance)
    };
    vec![
        escape(backend),
        status,
        if crate_versions.is_empty() {
            "std".into()
        } else {
            crate_versions
        },
        idle_timer(runs, backend),
        settings,
    ]
}

/// The backend's idle timer lateness in each run that probed it.
fn idle_timer(runs: &[RunResults], backend: &str) -> String {
    let probes: Vec<String> = runs
        .iter()
        .filter_map(|r| r.timer(backend))
        // A p99 of 100 ticks is their largest: shown as what it is.
        .map(|t| match (t.p50_us, t.p99_us) {
            (Some(p50), Some(p99)) => format!(
                "{} / {}",
                seconds(p50.median / 1e6),
                seconds(p99.median / 1e6)
            ),
            _ => format!(
                "failed: {}",
                escape(t.failure.as_deref().unwrap_or("no verified trial"))
            ),
        })
        .collect();
    if probes.is_empty() {
        "–".into()
    } else {
        probes.join("<br>")
    }
}

fn order(backend: &str, palette: &Palette) -> usize {
    palette.position(backend)
}

/// The section, as the page lists it.
pub struct Backends;

impl Section for Backends {
    fn id(&self) -> &'static str {
        "backends"
    }

    fn title(&self) -> &'static str {
        "Backends"
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        render(ctx.input.runs, &ctx.palette)
    }
}
