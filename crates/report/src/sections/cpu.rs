//! The cpu section: Gelem/s, speedup over sequential, parallel efficiency, threads sweep.

use super::{Context, Section};
use crate::palette::Palette;
use shootout_core::{Workload, WorkloadKind};

use super::{VERSUS, chart, rate_bars, row_without_numbers, status, table, takeaway, versus};
use crate::analysis::{Family, Group};
use crate::charts::{self, LineChart, Series};
use crate::format::{counted, escape, number, percent, seconds};
use crate::sweeps::Sweep;

fn n_jobs(group: &Group<'_>) -> (u64, u64) {
    match &group.entries[0].cell.workload {
        Workload::Cpu(spec) => (spec.n, spec.jobs),
        _ => unreachable!("cpu groups hold cpu cells"),
    }
}

/// The cpu section.
pub fn render(groups: &[Group<'_>], runs: usize, sweeps: &[Sweep], palette: &Palette) -> String {
    let cpus: Vec<&Group<'_>> = groups
        .iter()
        .filter(|g| g.kind == WorkloadKind::Cpu)
        .collect();
    if cpus.is_empty() {
        return takeaway("No cpu cells in these results.");
    }
    let mut html = takeaway(&headline(&cpus, runs));
    html += &threads_sweep(&cpus, runs, sweeps, palette);
    for group in &cpus {
        let threads = group.entries[0].cell.threads;
        html += &format!("<h3>{}</h3>\n", escape(&group.title));
        let rows: Vec<Vec<String>> = group
            .entries
            .iter()
            .map(|e| match &e.cell.summary {
                Some(s) => {
                    let speedup = group.speedup(e).map(|(x, _)| x);
                    vec![
                        escape(&e.mode_label(runs)),
                        status(e),
                        number(s.rate.median),
                        format!("{}..{}", number(s.rate.min), number(s.rate.max)),
                        seconds(s.wall_s.median),
                        speedup
                            .map(|x| format!("{x:.2}×"))
                            .unwrap_or_else(|| "–".into()),
                        match speedup {
                            _ if !honours_workers(e.cell) => {
                                "– (a thread per job: W does not apply)".into()
                            }
                            Some(x) => percent(x / threads as f64),
                            None => "–".into(),
                        },
                        seconds(s.cpu_s.median),
                        versus(group, e),
                        String::new(),
                    ]
                }
                None => row_without_numbers(e, runs, &[], 7),
            })
            .collect();
        html += &table(
            &[
                "backend",
                "status",
                "Gelem/s",
                "min..max",
                "median wall",
                "speedup",
                "parallel efficiency",
                "CPU time",
                VERSUS,
                "note",
            ],
            &rows,
        );
        html += &chart(charts::bars(
            &format!("Gelem/s on {}", counted(threads, "worker thread")),
            "Gelem/s",
            &rate_bars(group, runs, palette),
        ));
    }
    html += "<p class=\"note\">Parallel efficiency = speedup over sequential / worker threads, i.e. the rate against W × the \
             single-thread rate. A backend whose config says it does not keep W workers (the OS threads family: one thread \
             per job whatever W is, 64 threads for 64 jobs) has no parallel efficiency and no place in the threads sweep. The kernel is a real loop: LLVM folds the textbook one into n(n-1)(2n-1)/6, so the kernel \
             counts carries of a 64-bit low word instead (see README); <code>cargo bench --bench cpu -- kernel</code> shows \
             its time growing linearly with n.</p>\n";
    html
}

fn headline(cpus: &[&Group<'_>], runs: usize) -> String {
    let Some(group) = cpus
        .iter()
        .filter(|g| g.ok().count() >= 2)
        .max_by_key(|g| (g.entries[0].cell.threads, n_jobs(g).0))
    else {
        return "Fewer than two backends verified any cpu cell.".into();
    };
    let best = group.best().expect("two verified");
    let rate = best.rate().expect("verified");
    let threads = best.cell.threads;
    let mut text = format!(
        "{} sums {} Gelem/s on {}",
        best.label(runs),
        number(rate.median),
        counted(threads, "worker thread")
    );
    if let Some((x, _)) = group.speedup(best) {
        text += &format!(
            ", {x:.2}× sequential ({} parallel efficiency)",
            percent(x / threads as f64)
        );
    }
    // The documented placement only: the naive inline one (and rayon, block_in_place) is a
    // labelled cell of its own, whose cost the Summary and the blocking section give.
    let mut parallel: Vec<(String, f64)> = group
        .ok()
        .filter(|e| e.cell.family() != Family::Sequential)
        .filter(|e| matches!(&e.cell.workload, Workload::Cpu(spec) if spec.mode.is_none()))
        .filter_map(|e| Some((e.label(runs), e.rate()?.median)))
        .collect();
    parallel.sort_by(|a, b| a.1.total_cmp(&b.1));
    if let (Some((slowest, low)), Some((_, high)), true) =
        (parallel.first(), parallel.last(), parallel.len() >= 2)
    {
        let gap = 1.0 - low / high;
        let jobs = n_jobs(group).1;
        text += &if gap <= 0.05 {
            format!(
                ". Every parallel backend in its default placement lands within {} of the best: \
                 with CPU work on W threads everywhere, scheduling barely matters for {jobs} \
                 equal jobs",
                percent(gap)
            )
        } else {
            format!(
                ". The parallel backends in their default placement land up to {} below the \
                 best (the slowest, {slowest}, at {} Gelem/s)",
                percent(gap),
                number(*low)
            )
        };
    }
    text + "."
}

/// Gelem/s against worker threads, when cells differ only in threads.
fn threads_sweep(cpus: &[&Group<'_>], runs: usize, sweeps: &[Sweep], palette: &Palette) -> String {
    let mut sizes: Vec<(u64, u64)> = cpus.iter().map(|g| n_jobs(g)).collect();
    sizes.sort_unstable();
    sizes.dedup();
    let mut html = String::new();
    for size in sizes {
        let sweep: Vec<&&Group<'_>> = cpus.iter().filter(|g| n_jobs(g) == size).collect();
        if sweep.len() < 2 {
            continue;
        }
        let mut keys: Vec<(usize, String)> = sweep
            .iter()
            .flat_map(|g| g.entries.iter().map(|e| (e.run, e.cell.backend.clone())))
            .collect();
        keys.sort();
        keys.dedup();
        let series = keys
            .into_iter()
            .map(|(run, backend)| {
                let mut points: Vec<(f64, f64)> = sweep
                    .iter()
                    .filter_map(|g| {
                        g.entries
                            .iter()
                            .find(|e| e.run == run && e.cell.backend == backend)
                    })
                    .filter(|e| honours_workers(e.cell))
                    .filter_map(|e| Some((e.cell.threads as f64, e.rate()?.median)))
                    .collect();
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                let name = crate::analysis::run_label(run, &backend, runs);
                Series::new(name, points, palette.colour(&backend))
            })
            .collect();
        html += &format!("<h3>Threads sweep: n={} jobs={}</h3>\n", size.0, size.1);
        html += &chart(charts::lines(&LineChart {
            title: "Gelem/s against worker threads".into(),
            x_label: "worker threads (W)".into(),
            y_label: "Gelem/s".into(),
            log_x: false,
            log_y: false,
            series,
            markers: Vec::new(),
            guides: crate::sweeps::guides(sweeps, "cpu", |fixed| {
                fixed == format!("n={} jobs={}", size.0, size.1)
            }),
        }));
    }
    html
}

/// Whether the backend runs its CPU jobs on the W workers it was given, as its own config
/// says (`workers` is a number). A thread per job whatever W is (the OS threads family)
/// is left out of parallel efficiency and of the threads sweep.
fn honours_workers(cell: &shootout_core::results::Cell) -> bool {
    cell.config
        .get("workers")
        .is_none_or(|w| w.parse::<u64>().is_ok())
}

/// The section, as the page lists it.
pub struct Cpu;

impl Section for Cpu {
    fn id(&self) -> &'static str {
        "cpu"
    }

    fn title(&self) -> &'static str {
        "cpu: sum of squares"
    }

    fn needs(&self) -> &'static [WorkloadKind] {
        &[WorkloadKind::Cpu]
    }

    fn render(&self, ctx: &Context<'_>) -> String {
        let f = ctx.findings;
        render(&f.groups, ctx.runs(), &f.sweeps, &ctx.palette)
    }
}
