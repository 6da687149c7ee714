//! The report rendered from a real quick-profile results.json (tests/fixtures/quick.json),
//! and from one written before trials were interleaved (tests/fixtures/quick-v1.json).
//! Backends are picked from the fixture by family and by what their cells ran, never by
//! name.

mod common;

use common::{backends_in, family_of, first_in};

use shootout_core::fetch::Scenario;
use shootout_core::results::{Cell, CellStatus, RunResults, Summary, TrialRecord};
use shootout_core::stats::Outcome;
use shootout_core::stats::Test;
use shootout_core::{Family, Workload, WorkloadKind};
use shootout_report::analysis::{self, Options, Verdict};
use shootout_report::findings::Findings;
use shootout_report::{Input, Report, render};

/// A real quick run: 6 trials per cell in shuffled round-robin order, with A/A twins. Made
/// at df264b1 by `cargo run --release` (the quick profile) on the 2-core machine (its
/// results.json names b649ebc with uncommitted changes: df264b1 committed them, a profile's
/// `why` and a test's clippy fix).
fn quick() -> RunResults {
    serde_json::from_str(include_str!("fixtures/quick.json")).expect("fixture parses")
}

/// A quick run written before trials were interleaved: 3 trials, fixed order, no order data.
fn old() -> RunResults {
    serde_json::from_str(include_str!("fixtures/quick-v1.json")).expect("fixture parses")
}

/// Everything in the page that could make a browser fetch something.
fn external_references(html: &str) -> Vec<String> {
    // Text may mention a URL (a fetch cell's --url); only attributes and CSS load things.
    [
        "href=\"http",
        "href=\"//",
        "src=",
        "<link",
        "<script",
        "url(",
        "@import",
        "<iframe",
        "<img",
        "<object",
        "<embed",
    ]
    .iter()
    .filter(|needle| html.contains(*needle))
    .map(|needle| needle.to_string())
    .collect()
}

#[test]
fn the_page_has_every_section_chart_and_backend_and_nothing_external() {
    let runs = [quick()];
    let report = report(&runs);
    for id in [
        "summary", "sleep", "fetch", "cpu", "backends", "machine", "failures",
    ] {
        assert!(
            report.html.contains(&format!("<section id=\"{id}\">")),
            "section {id}"
        );
    }
    // Every backend of the fixture, whatever they are.
    let mut backends: Vec<&str> = runs[0].cells.iter().map(|c| c.backend.as_str()).collect();
    backends.sort_unstable();
    backends.dedup();
    assert!(backends.len() >= 8);
    for backend in backends {
        assert!(report.html.contains(&format!(">{backend}<")), "{backend}");
    }
    // Sleep 2, fetch 2 x 2, cpu 1, spawn and pipeline 2, the two failure scenarios
    // (partial-failure, retry) 2, blocking 1; the one load rate has no chart.
    assert_eq!(report.html.matches("<svg").count(), 12, "charts inline");
    assert!(!report.html.contains("chart unavailable"));
    assert!(report.html.contains("RUSTSEC-2025-0052"));
    // Sequential against concurrent: 10k sleeps against a skipped (predicted) sequential.
    assert!(report.html.contains("Sequential against concurrent"));
    assert!(
        report
            .html
            .contains("× (sequential predicted)</td><td class=\"num\">10.0k×</td>")
    );
    assert!(report.html.contains("client and the embedded server share"));
    assert_eq!(external_references(&report.html), Vec::<String>::new());
}

/// The report of `runs` alone.
fn report(runs: &[RunResults]) -> Report {
    common::report_of(runs)
}

fn options() -> Options {
    Options::default()
}

/// Scales the wall and CPU time and the p99s of every trial of the cells `pick` selects by
/// `factor` (rates by its inverse: the same work, done faster or slower), and their
/// summaries with them.
fn scale(run: &mut RunResults, factor: f64, pick: impl Fn(&Cell) -> bool) {
    for cell in run.cells.iter_mut().filter(|c| pick(c)) {
        for trial in cell.trials.iter_mut() {
            if let Some(record) = trial.record.as_mut() {
                record.wall_s *= factor;
                record.user_s *= factor;
                record.sys_s *= factor;
                let latencies = [
                    record.ticks.as_mut().map(|t| &mut t.lateness_us),
                    record.fetch.as_mut().map(|f| &mut f.latency_us),
                ];
                for p in latencies.into_iter().flatten() {
                    p.p99 = (p.p99 as f64 * factor) as u64;
                }
                if let Some(p) = record.fetch.as_mut().and_then(|f| f.from_due_us.as_mut()) {
                    p.p99 = (p.p99 as f64 * factor) as u64;
                }
            }
        }
        let records: Vec<&TrialRecord> = cell
            .trials
            .iter()
            .filter_map(|t| t.record.as_ref())
            .collect();
        cell.summary = Summary::of(&cell.workload, &records);
    }
}

#[test]
fn the_decision_table_is_computed_from_the_data() {
    let runs = [quick()];
    let groups = analysis::groups(&runs, options());
    let decisions = analysis::decisions(&groups, 1, options());
    let workloads: Vec<&str> = decisions.iter().map(|d| d.workload.as_str()).collect();
    assert_eq!(
        workloads,
        [
            "sleep",
            "fetch (latency)",
            "fetch (throughput)",
            "cpu",
            "blocking"
        ]
    );
    // In this run an async runtime leads sleep; 10k OS threads run at a ninth of its rate,
    // beyond any doubt, so the rule holds; the pools and sequential were skipped at 10k
    // tasks.
    let sleep = &decisions[0];
    assert!(
        matches!(
            family_of(&runs[0], &sleep.top),
            Family::AsyncRuntime | Family::IoUringRuntime
        ),
        "{}",
        sleep.top
    );
    assert_eq!(sleep.verdict, Verdict::Confirmed, "{}", sleep.why());
    let os_threads = first_in(&runs[0], Family::Threads);
    let threads = sleep.versus.iter().find(|v| v.label == os_threads).unwrap();
    assert_eq!(threads.comparison.outcome, Outcome::Slower);
    assert!(threads.comparison.high < 0.2, "{:?}", threads.comparison);
    assert!(
        sleep.speedup.contains("predicted"),
        "sequential was skipped at 10k tasks"
    );
    assert!(sleep.why().contains("skipped"));
    // Every row compares every other verified backend with the best, with 6 trials.
    for d in &decisions {
        assert!(!d.versus.is_empty() && d.trials == 6, "{}", d.workload);
    }
    // fetch (latency) is judged on the client's CPU per request, among the backends that
    // keep 64 requests in flight; the ones that cannot (their cells fitted to fewer
    // requests) are left out of it and named.
    let latency = &decisions[1];
    assert_eq!(latency.metric, analysis::Metric::CpuPerRequest);
    assert!(latency.best_value.ends_with("CPU per request"));
    let few = fitted_latency_backends(&runs[0]);
    assert_eq!(few.len(), 3, "{few:?}");
    for short in few {
        assert!(
            latency.versus.iter().all(|v| !v.label.starts_with(&short)),
            "{short}"
        );
        assert!(latency.why().contains(&short), "{short}: {}", latency.why());
    }
    // cpu: the async runtimes' placements are rows of their own, one per mode each ran.
    let cpu = &decisions[3];
    let placed: Vec<String> = runs[0]
        .cells
        .iter()
        .filter_map(|c| match &c.workload {
            Workload::Cpu(spec) => Some(format!("{} {}", c.backend, spec.mode?.name())),
            _ => None,
        })
        .collect();
    assert!(
        placed.len() >= 2 * backends_in(&runs[0], Family::AsyncRuntime).len(),
        "{placed:?}"
    );
    for label in &placed {
        assert!(
            cpu.versus.iter().any(|v| &v.label == label) || &cpu.top == label,
            "{label}"
        );
    }
    // The current-thread runtime's inline jobs compute on its one loop thread: half the
    // rate, beyond the margin. Every other placement keeps W threads computing.
    let inline: Vec<_> = cpu
        .versus
        .iter()
        .filter(|v| v.label.ends_with(" inline"))
        .collect();
    let ct = inline
        .iter()
        .min_by(|a, b| a.comparison.ratio.total_cmp(&b.comparison.ratio))
        .unwrap();
    assert!(
        inline.iter().filter(|v| v.comparison.ratio < 0.8).count() == 1,
        "{inline:?}"
    );
    assert_eq!(ct.comparison.outcome, Outcome::Slower);
    assert!(
        (0.4..0.6).contains(&ct.comparison.ratio),
        "{:?}",
        ct.comparison
    );
    let markdown = report(&runs).markdown;
    assert_eq!(
        markdown.lines().filter(|l| l.starts_with("| ")).count(),
        1 + decisions.len()
    );
    assert!(markdown.contains("Hodges–Lehmann") && markdown.contains("round-robin"));
    let twin = &runs[0].aa[0].backend;
    assert!(markdown.contains(&format!("A/A check ({twin} twice")));
}

#[test]
fn equal_rivals_do_not_matter_and_a_faster_rival_contradicts_the_rule() {
    // Give the backends that keep 64 requests in flight on fetch (latency) the very same
    // trials: async, threads and the pool are then equivalent, and the rule does not
    // matter here.
    let mut run = quick();
    let few = fitted_latency_backends(&run);
    let latency = |c: &Cell| {
        matches!(&c.workload, Workload::Fetch(s) if s.latency_ms == 10 && s.scenario == Scenario::Plain)
            && !few.contains(&c.backend)
    };
    for cell in run.cells.iter_mut().filter(|c| latency(c)) {
        for trial in cell.trials.iter_mut() {
            let record = trial.record.as_mut().unwrap();
            (record.wall_s, record.user_s, record.sys_s) = (0.25, 0.01, 0.005);
        }
    }
    let runs = [run];
    let groups = analysis::groups(&runs, options());
    let decisions = analysis::decisions(&groups, 1, options());
    assert_eq!(
        decisions[1].verdict,
        Verdict::DoesNotMatter,
        "{}",
        decisions[1].why()
    );
    assert!(
        decisions[1].why().contains("equivalent within ±5%"),
        "{}",
        decisions[1].why()
    );

    // Make a thread pool's throughput cell ten times faster than everything else.
    let mut run = quick();
    let pool = first_in(&run, Family::ThreadPool);
    scale(&mut run, 0.1, |c| {
        c.backend == pool
            && matches!(&c.workload, Workload::Fetch(s) if s.latency_ms == 0 && s.scenario == Scenario::Plain)
    });
    let runs = [run];
    let groups = analysis::groups(&runs, options());
    let decisions = analysis::decisions(&groups, 1, options());
    let throughput = decisions
        .iter()
        .find(|d| d.workload == "fetch (throughput)")
        .unwrap();
    assert_eq!(throughput.best, pool);
    assert_eq!(
        throughput.verdict,
        Verdict::Contradicted,
        "{}",
        throughput.why()
    );
    assert!(
        throughput.why().contains("beyond ±5%"),
        "{}",
        throughput.why()
    );
}

#[test]
fn an_old_results_file_renders_and_says_its_order_was_fixed_and_its_intervals_wide() {
    let runs = [old()];
    let report = report(&runs);
    assert!(
        report
            .html
            .contains("this file predates interleaved trials")
    );
    assert!(
        report
            .html
            .contains("With 3 trials per backend, no difference from the best")
    );
    assert!(
        report.html.contains("(90%)"),
        "3 against 3 reaches only a 90% interval"
    );
    let groups = analysis::groups(&runs, options());
    let decisions = analysis::decisions(&groups, 1, options());
    // Three against three: p >= 0.1 two-sided, so no difference; an equivalence (two
    // one-sided tests at 5%, each reaching 1/20) can be shown.
    for d in &decisions {
        assert!(
            d.versus.iter().all(|v| matches!(
                v.comparison.outcome,
                Outcome::Inconclusive | Outcome::Equivalent
            )),
            "{}",
            d.workload
        );
    }
    assert!(report.markdown.contains("predates interleaved trials"));
}

#[test]
fn the_a_a_check_is_on_the_page_and_in_the_results() {
    let runs = [quick()];
    let html = report(&runs).html;
    assert!(html.contains("<h3>A/A check</h3>"));
    // One twin in an I/O workload, one in a CPU workload, each named on the page.
    let twins: Vec<String> = runs[0]
        .aa
        .iter()
        .map(|check| {
            let kind = check.cell.split(' ').next().unwrap();
            format!("{} twice, {kind}", check.backend)
        })
        .collect();
    assert_eq!(twins.len(), 2);
    for twin in &twins {
        assert!(html.contains(twin), "{twin}");
    }
    // The run recorded the same outcomes the page computes.
    let checks = analysis::aa_checks(&runs, options());
    assert_eq!(checks.len(), runs[0].aa.len());
    for ((_, page), recorded) in checks.iter().zip(&runs[0].aa) {
        assert_eq!(page.outcome, recorded.comparison.outcome);
        assert_ne!(page.outcome, Outcome::Faster);
        assert_ne!(page.outcome, Outcome::Slower);
    }
    // The twins stay out of the comparisons between backends.
    let groups = analysis::groups(&runs, options());
    assert!(groups.iter().flat_map(|g| &g.entries).all(|e| !e.cell.twin));
}

#[test]
fn csv_has_one_row_per_trial() {
    let runs = [quick()];
    let csv = shootout_report::csv::trials(&runs);
    let trials: usize = runs[0].cells.iter().map(|c| c.trials.len()).sum();
    assert_eq!(csv.lines().count(), trials + 1);
    assert!(csv.starts_with("run,machine,backend,workload,params"));
}

#[test]
fn merged_runs_sit_side_by_side_and_a_baseline_flags_only_real_changes() {
    let (first, mut second) = (quick(), quick());
    second.machine.cpu_model = "Other CPU".into();
    let runs = [first.clone(), second];
    let report = render(&Input {
        runs: &runs,
        baseline: Some(&first),
        criterion: None,
        benches: &[],
        margin: None,
    });
    let second_label = format!("[2] {}", first.cells[0].backend);
    assert!(report.html.contains(&second_label) && report.html.contains("Other CPU"));
    assert!(report.html.contains("<section id=\"baseline\">"));
    assert!(report.html.contains("Holm-corrected within each group"));
    let test = shootout_core::stats::Test::default();
    // Against itself no cell is faster or slower.
    let same = shootout_report::baseline::compare(&first, &first, test);
    assert!(!same.is_empty());
    assert!(same.iter().all(|c| matches!(
        c.comparison.outcome,
        Outcome::Equivalent | Outcome::Inconclusive
    )));
    // Against a run twice as fast everywhere, the run as a whole is at half the speed:
    // that is the shift, stated and taken out, so no cell changed against the rest.
    let mut faster = first.clone();
    scale(&mut faster, 0.5, |_| true);
    let shift = shootout_report::baseline::shift(&first, &faster, test).expect("a shift");
    assert!((shift.speed - 0.5).abs() < 0.01, "{}", shift.speed);
    let changes = shootout_report::baseline::compare(&first, &faster, test);
    assert!(
        shootout_report::baseline::changed(&changes).is_empty(),
        "{:?}",
        shootout_report::baseline::changed(&changes).first()
    );
    let page = render(&Input {
        runs: std::slice::from_ref(&first),
        baseline: Some(&faster),
        criterion: None,
        benches: &[],
        margin: None,
    });
    assert!(
        page.html
            .contains("The run as a whole ran at 0.50× the baseline&#39;s speed")
            || page
                .html
                .contains("The run as a whole ran at 0.50× the baseline's speed"),
        "the shift is stated"
    );
}

#[test]
fn a_sweep_states_its_crossover_and_where_backends_stop() {
    let mut run = quick();
    let sleep: Vec<Cell> = run
        .cells
        .iter()
        .filter(|c| matches!(&c.workload, Workload::Sleep(s) if s.tasks == 10_000))
        .cloned()
        .collect();
    let at = |tasks: u64| -> Vec<Cell> {
        sleep
            .iter()
            .cloned()
            .map(|mut c| {
                if let Workload::Sleep(spec) = &mut c.workload {
                    spec.tasks = tasks;
                }
                c
            })
            .collect()
    };
    // At 100 tasks OS threads run the leader's very trials (the choice does not matter);
    // at 1000 and 10000 as measured (async ahead); at 100000 OS threads fail at the OS
    // limit.
    let os_threads = first_in(&run, Family::Threads);
    let mut small = at(100);
    let leader = small
        .iter()
        .filter(|c| c.summary.is_some())
        .max_by(|a, b| {
            let rate = |c: &Cell| c.summary.as_ref().unwrap().rate.median;
            rate(a).total_cmp(&rate(b))
        })
        .unwrap()
        .clone();
    assert!(
        matches!(
            leader.family(),
            Family::AsyncRuntime | Family::IoUringRuntime
        ),
        "{}",
        leader.backend
    );
    for cell in small.iter_mut().filter(|c| c.backend == os_threads) {
        cell.trials = leader.trials.clone();
    }
    let mut big = at(100_000);
    for cell in big.iter_mut().filter(|c| c.backend == os_threads) {
        cell.status = CellStatus::Failed;
        cell.reason = Some("crashed with signal: 6 (SIGABRT) (a system limit)".into());
        cell.summary = None;
    }
    run.cells.extend(small);
    run.cells.extend(at(1_000));
    run.cells.extend(big);
    let runs = [run];
    let findings = Findings::of(&runs, Test::default());
    let sweep = findings
        .sweeps
        .iter()
        .find(|s| s.workload == "sleep")
        .expect("a sleep sweep");
    let verdicts: Vec<(f64, Verdict)> = sweep.verdicts.clone();
    assert_eq!(
        verdicts,
        [
            (100.0, Verdict::DoesNotMatter),
            (1_000.0, Verdict::Confirmed),
            (10_000.0, Verdict::Confirmed),
            (100_000.0, Verdict::Open),
        ]
    );
    assert_eq!(sweep.crossover, Some(1_000.0));
    assert_eq!(sweep.no_matter(), Some((100.0, 100.0)));
    assert!(
        sweep.stops.iter().any(|(b, size, why)| *b == os_threads
            && *size == 100_000.0
            && why.contains("SIGABRT")),
        "{:?}",
        sweep.stops
    );
    let html = report(&runs).html;
    assert!(html.contains("Along the sweeps"));
    assert!(
        html.contains("holds beyond ±5% from 1000 tasks on"),
        "sentence"
    );
    assert!(html.contains("the choice does not matter at 100 tasks"));
    assert!(
        html.contains("crossover: async for I/O"),
        "the chart marks it"
    );
}

#[test]
fn a_fitted_cell_says_how_many_of_the_full_cells_requests_it_ran() {
    let mut run = quick();
    let full = |c: &Cell| matches!(&c.workload, Workload::Fetch(s) if s.latency_ms > 0 && s.scenario == Scenario::Plain);
    let m = run
        .cells
        .iter()
        .filter(|c| full(c))
        .filter_map(|c| match &c.workload {
            Workload::Fetch(s) => Some(s.requests),
            _ => None,
        })
        .max()
        .expect("a latency cell");
    // A pool that cannot keep every request in flight ran fewer.
    let pool = fitted_latency_backends(&run)
        .into_iter()
        .find(|b| family_of(&run, b) == Family::ThreadPool)
        .expect("a pool's fitted latency cell");
    let mut fitted = None;
    for cell in run
        .cells
        .iter_mut()
        .filter(|c| full(c) && c.backend == pool)
    {
        if let Workload::Fetch(spec) = &mut cell.workload {
            spec.sampled_from = Some(m);
            fitted = Some(format!("{pool} ({} of {m} requests)", spec.requests));
        }
    }
    let fitted = fitted.expect("a pool's latency cell");
    let html = report(&[run]).html;
    let start = html.find("<section id=\"fetch\">").expect("fetch section");
    let fetch = &html[start..start + html[start..].find("</section>").unwrap()];
    // In the table's label and requests column, and in every chart's labels.
    assert!(fetch.contains(&format!("<td>{fitted}</td>")), "table label");
    assert!(
        fetch.contains(&format!("of {m} requests</td>")),
        "requests column"
    );
    assert!(
        fetch.matches(&fitted).count() >= 3,
        "table and chart labels"
    );
}

#[test]
fn io_uring_runtimes_are_compared_with_the_epoll_runtimes_cell_by_cell() {
    // The run without its io_uring runtimes: no such table.
    let mut run = quick();
    run.cells.retain(|c| c.family() != Family::IoUringRuntime);
    assert!(
        Findings::of(std::slice::from_ref(&run), Test::default())
            .io_uring
            .is_empty()
    );
    // An io_uring runtime twice as fast as the best epoll runtime on sleep, equal to the
    // best on spawn: a copy of their cells under another name and family.
    let best = |kind: WorkloadKind| -> Cell {
        run.cells
            .iter()
            .filter(|c| c.family() == Family::AsyncRuntime && c.workload.kind() == kind)
            .filter(|c| c.summary.is_some() && c.workload.variant().is_none())
            .max_by(|a, b| {
                let rate = |c: &Cell| c.summary.as_ref().unwrap().rate.median;
                rate(a).total_cmp(&rate(b))
            })
            .unwrap_or_else(|| panic!("an async runtime's {kind:?} cell"))
            .clone()
    };
    let copies: Vec<Cell> = [best(WorkloadKind::Sleep), best(WorkloadKind::Spawn)]
        .into_iter()
        .map(|mut c| {
            c.backend = "uring".into();
            c.family = Some(shootout_core::Family::IoUringRuntime);
            c
        })
        .collect();
    run.cells.extend(copies);
    scale(&mut run, 0.5, |c| {
        c.backend == "uring" && matches!(c.workload, Workload::Sleep(_))
    });
    let findings = Findings::of(std::slice::from_ref(&run), Test::default());
    let sleep = findings
        .io_uring
        .iter()
        .find(|d| d.workload == "sleep")
        .expect("a sleep duel");
    assert_eq!(sleep.challenger, "uring");
    assert_eq!(sleep.comparison.outcome, Outcome::Faster, "{sleep:?}");
    let spawn = findings
        .io_uring
        .iter()
        .find(|d| d.workload == "spawn")
        .expect("a spawn duel");
    assert!((spawn.comparison.ratio - 1.0).abs() < 1e-9, "{spawn:?}");
    let html = report(&[run]).html;
    assert!(html.contains("io_uring runtimes against the epoll runtimes"));
}

/// The backends whose plain fetch (latency) cell ran fewer requests than the full cell:
/// those that cannot keep every slot in flight, fitted to the time budget.
fn fitted_latency_backends(run: &RunResults) -> Vec<String> {
    let latency: Vec<(&str, u64)> = run
        .cells
        .iter()
        .filter_map(|c| match &c.workload {
            Workload::Fetch(s) if s.latency_ms == 10 && s.scenario == Scenario::Plain => {
                Some((c.backend.as_str(), s.requests))
            }
            _ => None,
        })
        .collect();
    let full = latency.iter().map(|(_, r)| *r).max().unwrap_or(0);
    latency
        .into_iter()
        .filter(|(_, r)| *r < full)
        .map(|(b, _)| b.to_string())
        .collect()
}

#[test]
fn criterion_estimates_get_a_section_only_when_cargo_bench_left_some() {
    use shootout_report::microbench::Microbench;
    let runs = [quick()];
    let bench = Microbench {
        group: "spawn".into(),
        id: "some-backend/1000".into(),
        point_ns: 337_000.0,
        low_ns: 335_000.0,
        high_ns: 339_000.0,
        level: 0.95,
        // 2026-11-22 14:50:03 UTC.
        measured_unix_s: 1_795_359_003,
    };
    let with = render(&Input {
        runs: &runs,
        baseline: None,
        criterion: None,
        benches: std::slice::from_ref(&bench),
        margin: None,
    });
    assert!(with.html.contains("<section id=\"benches\">"));
    assert!(with.html.contains("Microbenchmarks (cargo bench)"));
    assert!(with.html.contains("from `cargo bench` on 2026-11-22"));
    assert!(with.html.contains("1 criterion benchmark in 1 group"));
    assert!(with.html.contains("<td>some-backend/1000</td>"));
    assert!(with.html.contains("337 µs"), "criterion's estimate");
    assert!(
        with.html.contains("335 µs–339 µs (95%)"),
        "and its interval"
    );
    let without = report(&runs);
    assert!(!without.html.contains("<section id=\"benches\">"));
}

#[test]
fn each_backend_keeps_one_colour_its_familys_hue_in_its_own_shade() {
    use shootout_report::palette::{self, Palette};
    let run = quick();
    let palette = Palette::of(std::slice::from_ref(&run));
    let pools = backends_in(&run, Family::ThreadPool);
    assert!(
        pools.len() >= 2,
        "the fixture has two thread pools: {pools:?}"
    );
    // The first of a family has the family's hue, the next its next shade.
    assert_eq!(
        palette.colour(&pools[0]),
        palette::index(Family::ThreadPool, 0)
    );
    assert_eq!(
        palette.colour(&pools[1]),
        palette::index(Family::ThreadPool, 1)
    );
    // The same page from the same runs gives every backend the same colour and place.
    let again = Palette::of(std::slice::from_ref(&run));
    for cell in &run.cells {
        assert_eq!(palette.colour(&cell.backend), again.colour(&cell.backend));
        assert_eq!(
            palette.position(&cell.backend),
            again.position(&cell.backend)
        );
    }
    // Places follow the results' order; a backend the page does not hold comes last.
    assert!(palette.position(&run.cells[0].backend) == 0);
    let backends = palette.position("no-such-backend");
    assert!(
        backends >= 2
            && run
                .cells
                .iter()
                .all(|c| palette.position(&c.backend) < backends)
    );
}
