//! The plan's tests: cells, skips, fits and twins, from real command lines.

use super::fit::*;
use super::profile::*;
use super::*;
use crate::args::Profile;
use clap::Parser;
use shootout_core::fetch::{Arrival, Faults, Pace, Retries, Scenario, Search, Slow};
use shootout_core::{
    BackendInfo, Channel, Client, CpuSpec, FetchSlots, FetchSpec, JobThreads, PipelineSpec,
    SleepModel, SleepSpec, SpawnFrom, SpawnSpec, Variant,
};
use shootout_core::{BlockingMode, BlockingSpec, Family};

mod round_trip;

fn plan(argv: &[&str]) -> Plan {
    let cli = crate::args::Cli::parse_from(argv);
    match cli.command {
        Some(crate::args::Command::Run(args)) => build(&args, 2),
        other => panic!("not a run: {other:?}"),
    }
}

/// Every registered backend's facts, in registry order.
fn infos() -> Vec<&'static BackendInfo> {
    BackendName::all().iter().map(|b| b.info()).collect()
}

/// The first registered backend `pick` accepts (tests name backends by what they
/// offer, never by name).
fn first(pick: impl Fn(&BackendInfo) -> bool) -> BackendName {
    *BackendName::all()
        .iter()
        .find(|b| pick(b.info()))
        .expect("a registered backend offers it")
}

#[test]
fn quick_plan_skips_only_what_cannot_finish() {
    let plan = plan(&["shootout", "run"]);
    // Per backend: 15 cells besides blocking (4 of them files); cpu placed inline and on rayon where it
    // offers them, each of the 3 call cells inline and in place; blocking in each of its
    // modes (one not-applicable cell when none); its labelled variants (task-per-request
    // on 2 fetch cells, the async library on the 3 call cells, reqwest on the HTTP one and
    // sqlx on the 2 database ones, direct I/O or std::fs on the pool on the 4 files ones);
    // two A/A twins.
    let per_backend = |info: &BackendInfo| {
        let modes = info.cpu_modes();
        let placements = modes
            .iter()
            .filter(|m| matches!(m, BlockingMode::Inline | BlockingMode::Rayon))
            .count()
            + 3 * modes
                .iter()
                .filter(|m| matches!(m, BlockingMode::Inline | BlockingMode::BlockInPlace))
                .count();
        let variants: usize = info
            .variants
            .iter()
            .map(|v| match v {
                Variant::TaskPerRequest => 2,
                Variant::AsyncLibrary => 3,
                Variant::Sqlx => 2,
                Variant::DirectIo | Variant::StdFsOnPool => 4,
                _ => 1,
            })
            .sum();
        15 + placements + info.blocking_modes.len().max(1) + variants
    };
    let expected: usize = infos().into_iter().map(per_backend).sum::<usize>() + 2;
    assert_eq!(plan.cells.len(), expected);
    let variants: Vec<_> = plan
        .cells
        .iter()
        .filter_map(|cell| Some((cell.backend.name(), cell.workload.design_variant()?)))
        .collect();
    // In plan order: spawn, then the 2 fetch cells, then pipeline, then the 3 call cells,
    // then the 4 files cells, then cpu; registry order within.
    let offering = |variant: Variant| -> Vec<(&str, Variant)> {
        infos()
            .into_iter()
            .filter(|i| i.variants.contains(&variant))
            .map(|i| (i.name, variant))
            .collect()
    };
    let mut wanted = offering(Variant::SpawnFromOutside);
    wanted.extend(offering(Variant::TaskPerRequest));
    wanted.extend(offering(Variant::TaskPerRequest));
    wanted.extend(offering(Variant::OwnChannel));
    // Each call cell's async libraries, backend by backend: reqwest speaks HTTP, sqlx SQL.
    for second in [Variant::Reqwest, Variant::Sqlx, Variant::Sqlx] {
        for info in infos() {
            for variant in [Variant::AsyncLibrary, second] {
                if info.variants.contains(&variant) {
                    wanted.push((info.name, variant));
                }
            }
        }
    }
    // Each files cell's variants, backend by backend: std::fs on the epoll runtimes'
    // pools, direct I/O on glommio (smol's random reads through async-fs are left out,
    // not its std-fs-on-pool cells).
    for _ in 0..4 {
        for info in infos() {
            for variant in [Variant::DirectIo, Variant::StdFsOnPool] {
                if info.variants.contains(&variant) {
                    wanted.push((info.name, variant));
                }
            }
        }
    }
    wanted.extend(offering(Variant::ThreadPerJob));
    assert_eq!(variants, wanted);
    // A backend whose random reads through its file API are left out still runs them
    // through std::fs on its pool.
    let files = plan.cells.iter().filter(|c| c.workload.files().is_some());
    for cell in files.filter(|c| c.backend.info().unavailable().is_none()) {
        let left_out = cell.workload.left_out(cell.backend.info());
        assert_eq!(
            cell.skip,
            left_out,
            "{} {:?}",
            cell.backend.name(),
            cell.workload
        );
    }
    assert!(plan.cells.iter().any(|c| {
        c.workload.design_variant() == Some(Variant::StdFsOnPool)
            && c.workload
                .files()
                .is_some_and(|f| f.shape.name() == "random-read")
            && c.backend.info().crates.contains(&"smol")
            && c.skip.is_none()
    }));
    let twins: Vec<_> = plan
        .cells
        .iter()
        .enumerate()
        .filter(|(_, cell)| cell.twin)
        .map(|(at, cell)| {
            let original = &plan.cells[at - 1];
            assert!(!original.twin && original.backend == cell.backend);
            assert_eq!(original.workload, cell.workload);
            (cell.backend, cell.workload.kind().name())
        })
        .collect();
    assert_eq!(
        twins,
        [
            (first(|i| i.family == Family::AsyncRuntime), "fetch"),
            (first(|i| i.family == Family::ThreadPool), "cpu")
        ]
    );
    assert_eq!(plan.trials, 6);
    // A backend that cannot run here (worker processes need the shootout binary, which
    // this unit test is not) has every cell skipped with the probe's reason.
    let probed: Vec<(BackendName, Option<String>)> = BackendName::all()
        .iter()
        .map(|b| (*b, b.info().unavailable()))
        .collect();
    for cell in &plan.cells {
        let info = cell.backend.info();
        let skip = cell.skip.as_deref();
        let unavailable = probed.iter().find(|(b, _)| *b == cell.backend);
        if let Some((_, Some(why))) = unavailable {
            assert_eq!(skip, Some(format!("unavailable here: {why}").as_str()));
            continue;
        }
        let Some(skip) = skip else { continue };
        // Left out of the profiles by the workload, with its reason (smol's random reads).
        if cell.workload.left_out(info).as_deref() == Some(skip) {
            continue;
        }
        if let Some(reason) = skip.strip_prefix("not applicable: ") {
            // Declared by the backend or the workload, with its reason, or the cell's own
            // refusal of this backend (the postgres crate inline on tokio).
            assert!(
                info.not_applicable_all()
                    .iter()
                    .any(|(kind, why)| *kind == cell.workload.kind() && *why == reason)
                    || cell.workload.admits(info).err().as_deref() == Some(reason),
                "{} {skip}",
                info.name
            );
        } else {
            // 10k tasks of 100 ms on 1 or 2 blocked workers: 500-1000 s.
            assert!(info.sleep_model.in_flight(2, 10_000) <= 2, "{skip}");
            assert!(cell.predicted_s.is_some_and(|s| s >= 500.0), "{skip}");
        }
    }
    let blocked = plan
        .cells
        .iter()
        .filter(|c| c.skip.is_some() && c.backend.info().sleep_model == SleepModel::Sequential)
        .find(|c| matches!(c.workload, Workload::Sleep(_)));
    assert_eq!(blocked.unwrap().predicted_s, Some(1000.0));
}

#[test]
fn blocking_runs_each_backends_modes_and_names_the_rest() {
    let modes = |argv: &[&str]| -> Vec<(&'static str, String, bool)> {
        plan(argv)
            .cells
            .into_iter()
            .map(|cell| match cell.workload {
                Workload::Blocking(spec) => (
                    cell.backend.name(),
                    spec.mode.to_string(),
                    cell.skip.is_none(),
                ),
                other => panic!("{other:?}"),
            })
            .collect()
    };
    let cells = modes(&["shootout", "run", "--workload", "blocking", "--jobs", "4"]);
    let run = |name: &str| -> Vec<String> {
        cells
            .iter()
            .filter(|(b, _, runs)| *b == name && *runs)
            .map(|(_, mode, _)| mode.clone())
            .collect()
    };
    for info in infos() {
        if info.unavailable().is_some() {
            // Nothing runs where the backend cannot (its cells say why elsewhere).
            assert!(run(info.name).is_empty(), "{}", info.name);
            continue;
        }
        let modes: Vec<&str> = info.blocking_modes.iter().map(|m| m.name()).collect();
        assert_eq!(run(info.name), modes, "{}", info.name);
        if modes.is_empty() {
            // Named, with the backend's reason, rather than left out.
            assert!(cells.contains(&(info.name, "inline".into(), false)));
        }
    }
    // A mode asked for by name shows up as skipped where it does not exist.
    let lacking = first(|i| {
        i.unavailable().is_none()
            && !i.blocking_modes.is_empty()
            && !i.blocking_modes.contains(&BlockingMode::BlockInPlace)
    });
    let asked = plan(&[
        "shootout",
        "run",
        "--workload",
        "blocking",
        "--mode",
        "block-in-place",
        "--backend",
        lacking.name(),
    ]);
    assert_eq!(
        asked.cells[0].skip.as_deref(),
        Some(
            format!(
                "not applicable: {} runs blocking only as {}",
                lacking.name(),
                lacking.info().blocking_modes_label()
            )
            .as_str()
        )
    );
}

/// The workload a trial with `workload`'s flags rebuilds.
#[test]
fn the_timeout_cells_time_out_more_requests_than_they_have_slots() {
    for profile in [Profile::Quick, Profile::Full] {
        for workload in profile_workloads(profile::builtin(profile), WorkloadKind::Timeout) {
            let Workload::Fetch(spec) = workload else {
                unreachable!()
            };
            let timeouts = spec.requests - spec.expected_ok();
            assert!(spec.slow_times_out(), "{spec:?}");
            assert!(timeouts > spec.concurrency, "{timeouts} timeouts: {spec:?}");
            // Two rounds of timeouts at most: the cell costs about a second a trial.
            assert!(
                timeouts <= 2 * spec.concurrency,
                "{timeouts} timeouts: {spec:?}"
            );
        }
    }
}

#[test]
fn a_cell_too_big_for_memory_is_skipped_with_its_estimate() {
    let cli = crate::args::Cli::parse_from([
        "shootout",
        "run",
        "--workload",
        "sleep",
        "--tasks",
        "10000000",
        "--sleep-ms",
        "100",
    ]);
    let Some(crate::args::Command::Run(args)) = cli.command else {
        unreachable!()
    };
    // 8 GiB for a trial: ten million sleeping tasks fit on a runtime at 640 B a task,
    // not on monoio at 1.5 KiB (1.3 KB measured).
    let plan = build_within(&args, chosen(&args).unwrap(), 2, None, Some(8 << 30));
    let skip = |name: &str| {
        plan.cells
            .iter()
            .find(|c| c.backend.name() == name)
            .unwrap()
            .skip
            .clone()
    };
    let monoio = skip("monoio").unwrap_or_default();
    assert!(
        monoio.contains("needs about 14.3 GiB of memory") || monoio.starts_with("unavailable"),
        "{monoio}"
    );
    assert_eq!(skip("smol"), None);
    // With the memory unknown, nothing is skipped for it.
    let unknown = build_within(&args, chosen(&args).unwrap(), 2, None, None);
    assert!(
        unknown
            .cells
            .iter()
            .all(|c| c.skip.as_deref().is_none_or(|s| !s.contains("memory")))
    );
}

#[test]
fn a_fitted_sample_holds_every_fate_of_its_cell() {
    // A timeout cell fitted to one request (a slow backend, a 500 ms timeout) would
    // time nothing out: a fitted sample keeps more timeouts than the backend has slots.
    for profile in ["quick", "full"] {
        let plan = plan(&["shootout", "run", "--profile", profile]);
        for cell in plan.cells.iter().filter(|c| c.workload.fitted().is_some()) {
            let Workload::Fetch(spec) = &cell.workload else {
                continue;
            };
            if spec.slow_times_out() {
                let timeouts = spec.requests - spec.expected_ok();
                let slots = in_flight(cell.backend, &cell.workload, cell.threads);
                assert!(
                    timeouts > slots,
                    "{} {profile}: {timeouts} timeouts, {slots} slots",
                    cell.backend.name()
                );
            }
        }
    }
}

#[test]
fn the_threads_sweep_leaves_out_a_thread_per_job_and_fitted_cells_are_samples() {
    let plan = plan(&["shootout", "run", "--profile", "full"]);
    let swept: Vec<&PlannedCell> = plan
        .cells
        .iter()
        .filter(|c| matches!(&c.workload, Workload::Cpu(_)) && c.threads != 2)
        .collect();
    assert!(!swept.is_empty(), "the full profile sweeps W");
    for cell in swept {
        let skip = cell.skip.as_deref();
        if cell.backend.info().sleep_model == SleepModel::ThreadPerTask {
            assert!(
                skip.is_some_and(|s| s.contains("thread per job")),
                "{skip:?}"
            );
        } else {
            assert!(skip.is_none_or(|s| !s.contains("thread per job")));
        }
    }
    // Fitted fetch and call cells run a sample of the full cell, and say of how many.
    let fitted: Vec<&PlannedCell> = plan
        .cells
        .iter()
        .filter(|c| c.workload.fitted().is_some())
        .collect();
    assert!(!fitted.is_empty());
    for cell in fitted {
        let (sampled_from, ran) = match &cell.workload {
            Workload::Fetch(spec) => (spec.sampled_from, spec.requests),
            Workload::Call(spec) => (spec.sampled_from, spec.calls),
            other => unreachable!("only fetch and call cells are fitted: {other:?}"),
        };
        assert!(sampled_from.is_some_and(|m| m > ran));
    }
}

#[test]
fn a_name_given_twice_is_planned_once() {
    let name = BackendName::all()[0].name();
    let once = plan(&["shootout", "run", "--backend", name, "--workload", "sleep"]);
    let twice = plan(&[
        "shootout",
        "run",
        "--backend",
        &format!("{name},{name}"),
        "--workload",
        "sleep,sleep",
    ]);
    assert!(!once.cells.is_empty());
    assert_eq!(twice.cells.len(), once.cells.len());
}

#[test]
fn size_flags_replace_the_profile_with_one_cell() {
    let plan = plan(&[
        "shootout",
        "run",
        "--workload",
        "sleep",
        "--tasks",
        "3",
        "--backend",
        BackendName::all()[0].name(),
    ]);
    assert_eq!(plan.profile, "custom");
    assert_eq!(plan.cells.len(), 1);
    assert_eq!(
        plan.cells[0].workload,
        Workload::Sleep(SleepSpec {
            tasks: 3,
            sleep_ms: 100
        })
    );
}

#[test]
fn latency_cells_fit_backends_with_few_requests_in_flight() {
    let plan = plan(&["shootout", "run", "--workload", "fetch"]);
    let requests = |name: &str| {
        let cell = plan
            .cells
            .iter()
            .find(|c| c.backend.name() == name)
            .unwrap();
        match &cell.workload {
            Workload::Fetch(spec) => (spec.requests, cell.predicted_s),
            other => panic!("{other:?}"),
        }
    };
    let with = |slots: FetchSlots| first(|i| i.fetch_slots == slots).name();
    assert_eq!(requests(with(FetchSlots::Concurrency)), (1024, Some(0.16)));
    // 2 workers and 1 slot: 16 rounds of 10 ms each.
    assert_eq!(requests(with(FetchSlots::Workers)), (32, Some(0.16)));
    assert_eq!(requests(with(FetchSlots::One)), (16, Some(0.16)));
    // Every backend that can run here (worker processes need the shootout binary,
    // which a unit test is not) fits.
    assert!(plan.cells.iter().all(|c| {
        c.skip
            .as_deref()
            .is_none_or(|why| why.starts_with("unavailable here"))
    }));
}

#[test]
fn a_placement_a_backend_lacks_is_planned_as_skipped_with_its_reason() {
    let plan = plan(&["shootout", "run", "--workload", "cpu", "--mode", "inline"]);
    let mut seen = (false, false);
    // A backend this test binary cannot start (the process pool) is skipped before.
    let startable = plan.cells.iter().filter(|c| {
        !c.skip
            .as_deref()
            .is_some_and(|s| s.starts_with("unavailable here"))
    });
    for cell in startable {
        let info = cell.backend.info();
        if info.cpu_modes().contains(&BlockingMode::Inline) {
            seen.0 = true;
            assert_eq!(cell.skip, None, "{}", info.name);
        } else {
            seen.1 = true;
            let skip = cell.skip.as_deref().unwrap_or("");
            assert!(
                skip.starts_with("not applicable: ") && skip.contains("one way only"),
                "{}: {skip}",
                info.name
            );
        }
    }
    assert_eq!(seen, (true, true), "backends with and without placements");
}

#[test]
fn a_fetch_question_gets_requests_enough_for_its_percentiles_and_keeps_the_idioms() {
    let asked = |extra: &[&str]| {
        let mut argv = vec![
            "shootout",
            "run",
            "--workload",
            "fetch",
            "--concurrency",
            "200",
            "--latency-ms",
            "20",
        ];
        argv.extend(extra);
        plan(&argv)
    };
    let requests = |plan: &Plan, pick: &dyn Fn(&PlannedCell) -> bool| -> Vec<u64> {
        plan.cells
            .iter()
            .filter(|c| pick(c))
            .map(|c| match &c.workload {
                Workload::Fetch(spec) => spec.requests,
                other => panic!("{other:?}"),
            })
            .collect()
    };
    let holds = first(|i| i.fetch_slots == FetchSlots::Concurrency);
    // 50 requests a connection: a connect is a fiftieth of what a connection times.
    let plan = asked(&[]);
    let whole = |c: &PlannedCell| c.backend == holds && c.workload.variant().is_none();
    assert_eq!(requests(&plan, &whole), [10_000]);
    // The labelled idioms run beside the shared design, as in the profiles.
    assert!(
        plan.cells.iter().any(|c| c.workload.variant().is_some()),
        "an idiom in a custom run"
    );
    // A count the question gives is the count.
    let plan = asked(&["--requests", "960"]);
    assert_eq!(requests(&plan, &whole), [960]);
}

#[test]
fn a_shape_given_alone_takes_the_sizes_of_its_first_built_in_cell() {
    for (shape, files) in [
        ("write", 1),
        ("log", 1),
        ("random-read", 1),
        ("small-files", 10_000),
    ] {
        let plan = plan(&["shootout", "run", "--workload", "files", "--shape", shape]);
        let cell = plan.cells.first().expect("a cell");
        let spec = cell.workload.files().expect("a files cell");
        assert_eq!(spec.shape.name(), shape);
        assert_eq!(spec.files, files, "{shape}");
        assert_eq!(cell.workload.validate(), Ok(()), "{shape}");
    }
    // A size given beside it still wins.
    let plan = plan(&[
        "shootout",
        "run",
        "--workload",
        "files",
        "--shape",
        "log",
        "--concurrency",
        "3",
    ]);
    assert!(
        plan.cells
            .iter()
            .all(|c| c.workload.files().unwrap().concurrency == 3)
    );
}
