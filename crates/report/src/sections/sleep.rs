//! The sleep section: wall time against the ideal, memory per task, and scaling.

use super::{Context, Section};
use crate::palette::Palette;
use shootout_core::results::{CellStatus, MEMORY_FLOOR_BYTES, RunResults, Summary};
use shootout_core::stats::Spread;
use shootout_core::{Workload, WorkloadKind};

use super::{VERSUS, chart, row_without_numbers, status, table, takeaway, versus};
use crate::analysis::{Family, Group};
use crate::charts::{self, Bar, LineChart, Marker, Series};
use crate::format::{bytes, count, escape, seconds};
use crate::sweeps::Sweep;

fn spec(group: &Group<'_>) -> (u64, u64) {
    match &group.entries[0].cell.workload {
        Workload::Sleep(spec) => (spec.tasks, spec.sleep_ms),
        _ => unreachable!("sleep groups hold sleep cells"),
    }
}

/// The sleep section.
pub fn render(
    groups: &[Group<'_>],
    all: &[RunResults],
    sweeps: &[Sweep],
    palette: &Palette,
) -> String {
    let runs = all.len();
    let sleeps: Vec<&Group<'_>> = groups
        .iter()
        .filter(|g| g.kind == WorkloadKind::Sleep)
        .collect();
    if sleeps.is_empty() {
        return takeaway("No sleep cells in these results.");
    }
    let mut html = takeaway(&headline(&sleeps, runs));
    html += &scaling(&sleeps, runs, sweeps, palette);
    for group in sleeps {
        let (_, sleep_ms) = spec(group);
        let ideal = sleep_ms as f64 / 1e3;
        html += &format!("<h3>{}</h3>\n", escape(&group.title));
        let rows: Vec<Vec<String>> = group
            .entries
            .iter()
            .map(|e| match &e.cell.summary {
                Some(s) => vec![
                    escape(&e.label(runs)),
                    status(e),
                    seconds(s.wall_s.median),
                    format!("{}..{}", seconds(s.wall_s.min), seconds(s.wall_s.max)),
                    format!("{:.2}×", s.wall_s.median / ideal.max(1e-9)),
                    all[e.run]
                        .timer(&e.cell.backend)
                        .and_then(|t| t.p50_us)
                        .map(|p50| format!("{:.2}×", s.wall_s.median / (ideal + p50.median / 1e6)))
                        .unwrap_or_else(|| "–".into()),
                    bytes(s.peak_rss_bytes.median),
                    memory_per_task(s, s.bytes_per_task, spec(group).0),
                    memory_per_task(s, s.kernel_bytes_per_task, spec(group).0),
                    versus(group, e),
                    String::new(),
                ],
                None => row_without_numbers(e, runs, &[], 8),
            })
            .collect();
        html += &table(
            &[
                "backend",
                "status",
                "median wall",
                "min..max",
                "× ideal",
                "× (ideal + idle timer p50)",
                "peak RSS",
                "memory per task",
                "kernel memory per task",
                VERSUS,
                "note",
            ],
            &rows,
        );
        html += &harness_share(all, group);
        let walls: Vec<Bar> = group
            .ok()
            .filter_map(|e| {
                let s = e.cell.summary.as_ref()?;
                Some(Bar {
                    label: e.label(runs),
                    median: s.wall_s.median,
                    min: s.wall_s.min,
                    max: s.wall_s.max,
                    colour: palette.colour(&e.cell.backend),
                })
            })
            .collect();
        html += &chart(charts::bars(
            &format!("wall time (ideal {})", seconds(ideal)),
            "seconds",
            &walls,
        ));
    }
    html
}

/// A per-task memory figure (`per_task`: RSS or kernel), where it means one: only when
/// every task was alive at once (else `K of N at once`), and above the noise floor (else
/// `< floor per task`).
fn memory_per_task(summary: &Summary, per_task: Option<Spread>, tasks: u64) -> String {
    let Some(per_task) = per_task else {
        return "–".into();
    };
    if let Some(pending) = summary.pending_at_first_wake
        && (pending.min as u64) < tasks
    {
        return format!("– ({} of {tasks} at once)", pending.min as u64);
    }
    if per_task.median * (tasks as f64) < MEMORY_FLOOR_BYTES {
        return format!("< {}", bytes(MEMORY_FLOOR_BYTES / tasks as f64));
    }
    bytes(per_task.median)
}

/// What the harness adds to each task of this group (its verification outcome and
/// counters), against the same tasks returning nothing, where the run measured it.
fn harness_share(all: &[RunResults], group: &Group<'_>) -> String {
    let (tasks, sleep_ms) = spec(group);
    let items: Vec<String> = group
        .ok()
        .filter_map(|e| {
            let probe = all[e.run].harness.iter().find(|h| {
                h.backend == e.cell.backend && h.tasks == tasks && h.sleep_ms == sleep_ms
            })?;
            let bare = probe.bare_bytes_per_task?.median;
            let with = e.cell.summary.as_ref()?.bytes_per_task?.median;
            Some(format!(
                "{} {} against {} bare ({:+.0}%)",
                escape(&e.label(all.len())),
                bytes(with),
                bytes(bare),
                (with / bare - 1.0) * 100.0
            ))
        })
        .collect();
    if items.is_empty() {
        return String::new();
    }
    format!(
        "<p>The harness's share of memory per task: each task here returns its verification \
         token and marks its wait; the same tasks returning nothing and counting nothing \
         (3 trials each, medians) use: {}.</p>\n",
        items.join("; ")
    )
}

/// The headline sentence: the biggest sleep cell that at least two backends finished.
fn headline(sleeps: &[&Group<'_>], runs: usize) -> String {
    let Some(group) = sleeps
        .iter()
        .filter(|g| g.ok().count() >= 2)
        .max_by_key(|g| spec(g).0)
    else {
        return "Fewer than two backends verified any sleep cell.".into();
    };
    let (tasks, sleep_ms) = spec(group);
    let best = group.best().expect("two verified");
    let s = best.cell.summary.as_ref().expect("verified");
    let mut text = format!(
        "With {} tasks each sleeping {} ms, {} finishes in {} ({:.2}× the ideal){}.",
        count(tasks as f64),
        sleep_ms,
        best.label(runs),
        seconds(s.wall_s.median),
        s.wall_s.median / (sleep_ms as f64 / 1e3).max(1e-9),
        s.bytes_per_task
            .map(|b| format!(" using {} per task", bytes(b.median)))
            .unwrap_or_default()
    );
    if let Some(threads) = group
        .entries
        .iter()
        .find(|e| e.cell.family() == Family::Threads)
    {
        match (&threads.cell.summary, threads.cell.status) {
            (Some(t), _) => {
                text += &format!(
                    " One OS thread per task takes {} ({:.1}× longer) and {} per task.",
                    seconds(t.wall_s.median),
                    t.wall_s.median / s.wall_s.median,
                    t.bytes_per_task
                        .map(|b| bytes(b.median))
                        .unwrap_or_default()
                )
            }
            (None, CellStatus::Failed) => {
                text += " One OS thread per task failed at this size (see Failures)."
            }
            _ => {}
        }
    }
    let skipped: Vec<&crate::analysis::Entry<'_>> = group
        .entries
        .iter()
        .filter(|e| e.cell.status == CellStatus::Skipped)
        .collect();
    let predicted = |e: &&&crate::analysis::Entry<'_>| {
        e.cell
            .reason
            .as_deref()
            .is_some_and(|r| r.starts_with("predicted"))
    };
    let too_slow: Vec<String> = skipped
        .iter()
        .filter(predicted)
        .filter_map(|e| {
            e.cell
                .predicted_s
                .map(|p| format!("{} ({})", e.cell.backend, seconds(p)))
        })
        .collect();
    if !too_slow.is_empty() {
        text += &format!(
            " Skipped as too slow, with predicted time per trial: {}.",
            too_slow.join(", ")
        );
    }
    for e in skipped.iter().filter(|e| !predicted(e)) {
        text += &format!(
            " {} skipped: {}.",
            e.cell.backend,
            e.cell.reason.as_deref().unwrap_or("no reason given")
        );
    }
    text
}

/// Wall time and memory against task count, when several sizes share one sleep.
fn scaling(sleeps: &[&Group<'_>], runs: usize, sweeps: &[Sweep], palette: &Palette) -> String {
    let mut by_sleep: Vec<u64> = sleeps.iter().map(|g| spec(g).1).collect();
    by_sleep.sort_unstable();
    by_sleep.dedup();
    let mut html = String::new();
    for sleep_ms in by_sleep {
        let sweep: Vec<&&Group<'_>> = sleeps.iter().filter(|g| spec(g).1 == sleep_ms).collect();
        if sweep.len() < 2 {
            continue;
        }
        let mut wall = Vec::new();
        let mut memory = Vec::new();
        let mut markers = Vec::new();
        let mut names: Vec<(usize, String)> = sweep
            .iter()
            .flat_map(|g| g.entries.iter().map(|e| (e.run, e.cell.backend.clone())))
            .collect();
        names.dedup();
        names.sort();
        names.dedup();
        for (run, backend) in names {
            let mut w = Vec::new();
            let mut m = Vec::new();
            for group in &sweep {
                let Some(e) = group
                    .entries
                    .iter()
                    .find(|e| e.run == run && e.cell.backend == backend)
                else {
                    continue;
                };
                let tasks = spec(group).0 as f64;
                match (&e.cell.summary, e.cell.status) {
                    (Some(s), _) => {
                        w.push((tasks, s.wall_s.median));
                        m.push((tasks, s.peak_rss_bytes.median / 1_048_576.0));
                    }
                    (None, CellStatus::Failed) => markers.push(Marker {
                        x: tasks,
                        y: w.last().map_or(sleep_ms as f64 / 1e3, |p: &(f64, f64)| p.1),
                        label: format!("{backend}: stopped by the OS"),
                        colour: palette.colour(&backend),
                    }),
                    _ => {}
                }
            }
            let name = crate::analysis::run_label(run, &backend, runs);
            if !w.is_empty() {
                wall.push(Series::new(name.clone(), w, palette.colour(&backend)));
                memory.push(Series::new(name, m, palette.colour(&backend)));
            }
        }
        html += &format!("<h3>Scaling: {sleep_ms} ms sleeps from few to many tasks</h3>\n");
        html += &chart(charts::lines(&LineChart {
            title: format!("wall time against tasks ({sleep_ms} ms each)"),
            x_label: "tasks".into(),
            y_label: "seconds".into(),
            log_x: true,
            log_y: true,
            series: wall,
            markers: markers.clone(),
            guides: crate::sweeps::guides(sweeps, "sleep", |fixed| {
                fixed.starts_with(&format!("sleep_ms={sleep_ms} "))
            }),
        }));
        html += &chart(charts::lines(&LineChart {
            title: "peak memory against tasks".into(),
            x_label: "tasks".into(),
            y_label: "MiB".into(),
            log_x: true,
            log_y: true,
            series: memory,
            markers: markers
                .into_iter()
                .map(|m| Marker { y: 1.0, ..m })
                .collect(),
            guides: Vec::new(),
        }));
    }
    html
}

/// The section, as the page lists it.
pub struct Sleep;

impl Section for Sleep {
    fn id(&self) -> &'static str {
        "sleep"
    }

    fn title(&self) -> &'static str {
        "sleep: many tasks waiting on timers"
    }

    fn needs(&self) -> &'static [WorkloadKind] {
        &[WorkloadKind::Sleep]
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        let f = ctx.findings;
        render(&f.groups, ctx.input.runs, &f.sweeps, &ctx.palette)
    }
}
