//! Every planned cell, and every field of every workload away from its default, survives
//! the flags (and the `--spec` JSON) a trial is rebuilt from.

use super::*;
use shootout_core::call::{CallSpec, Library};
use shootout_core::files::{Cache, FileIo, FilesSpec, Shape};

fn round_trip(workload: &Workload) -> Workload {
    let mut argv: Vec<String> = [
        "shootout",
        "trial",
        "--backend",
        BackendName::all()[0].name(),
    ]
    .map(String::from)
    .to_vec();
    argv.extend(["--workload".into(), workload.kind().name().into()]);
    argv.extend(crate::args::Sizes::flags_of(workload));
    let cli = crate::args::Cli::parse_from(&argv);
    let Some(crate::args::Command::Trial(args)) = cli.command else {
        panic!("not a trial: {argv:?}");
    };
    args.sizes.apply(default_workload(workload.kind()))
}

/// The workload a trial handed `workload` as `--spec`, as `run` hands it, reads.
fn spec_round_trip(workload: &Workload) -> Workload {
    let spec = serde_json::to_string(workload).unwrap();
    let cli = crate::args::Cli::parse_from([
        "shootout",
        "trial",
        "--backend",
        BackendName::all()[0].name(),
        "--spec",
        &spec,
    ]);
    let Some(crate::args::Command::Trial(args)) = cli.command else {
        panic!("not a trial: {spec}");
    };
    assert!(args.workload.is_none() && !args.sizes.any());
    serde_json::from_str(args.spec.as_deref().unwrap()).unwrap()
}

/// `kind`'s workload with every field away from the default: written out field by
/// field (no `..`), so a field added to a spec fails to compile here until it is varied.
fn varied(kind: WorkloadKind) -> Workload {
    match default_workload(kind) {
        Workload::Sleep(_) => Workload::Sleep(SleepSpec {
            tasks: 7,
            sleep_ms: 3,
        }),
        Workload::Cpu(_) => Workload::Cpu(CpuSpec {
            n: 12_345,
            jobs: 5,
            mode: Some(BlockingMode::Rayon),
            job_threads: JobThreads::PerJob,
        }),
        Workload::Spawn(_) => Workload::Spawn(SpawnSpec {
            tasks: 77,
            from: SpawnFrom::Outside,
        }),
        Workload::Pipeline(_) => Workload::Pipeline(PipelineSpec {
            producers: 3,
            consumers: 5,
            capacity: 9,
            messages: 101,
            channel: Channel::Own,
        }),
        Workload::Blocking(_) => Workload::Blocking(BlockingSpec {
            tickers: 3,
            ticks: 11,
            tick_us: 1_500,
            n: 54_321,
            jobs: 7,
            mode: BlockingMode::BlockInPlace,
        }),
        Workload::Fetch(d) => Workload::Fetch(FetchSpec {
            requests: 333,
            concurrency: 13,
            latency_ms: 7,
            body_bytes: 99,
            timeout_ms: 4_321,
            seed: 17,
            url: Some("http://127.0.0.1:9/elsewhere".into()),
            scenario: varied_scenario(d.scenario),
            client: Client::TaskPerRequest,
            sampled_from: Some(3_330),
        }),
        Workload::Call(_) => Workload::Call(CallSpec {
            library: Library::Postgres,
            calls: 444,
            concurrency: 21,
            wait_ms: 4,
            body_bytes: 55,
            rows: 999,
            seed: 23,
            mode: Some(BlockingMode::BlockInPlace),
            client: shootout_core::design::CallClient::Sqlx,
            tick_us: 750,
            sampled_from: Some(4_440),
        }),
        Workload::Files(_) => Workload::Files(FilesSpec {
            shape: Shape::RandomRead,
            files: 1,
            file_bytes: 1 << 20,
            block_bytes: 8_192,
            ops: 123,
            concurrency: 9,
            cache: Cache::Cold,
            seed: 29,
            io: FileIo::Direct,
        }),
    }
}

/// The same scenario with each of its own fields away from its default.
fn varied_scenario(scenario: Scenario) -> Scenario {
    let faults = Faults {
        fail: 0.125,
        reset: 0.0625,
    };
    let pace = |pace: Pace| Pace {
        rate: 1_234.0,
        arrival: match pace.arrival {
            Arrival::Fixed => Arrival::Poisson,
            Arrival::Poisson => Arrival::Fixed,
        },
    };
    match scenario {
        Scenario::Plain => Scenario::Plain,
        Scenario::PartialFailure(_) => Scenario::PartialFailure(faults),
        Scenario::Timeout(_) => Scenario::Timeout(Slow {
            slow: 0.375,
            slow_ms: 77,
        }),
        Scenario::RateLimit(p) => Scenario::RateLimit(pace(p)),
        Scenario::Retry(_) => Scenario::Retry(Retries {
            faults,
            retries: 2,
            backoff_ms: 3,
        }),
        Scenario::Load { pace: p, .. } => Scenario::Load {
            pace: pace(p),
            pause_ms: 12,
        },
        Scenario::Capacity(search) => Scenario::Capacity(Search {
            pace: pace(search.pace),
            slo_ms: 23,
        }),
    }
}

#[test]
fn every_planned_cell_survives_the_trial_flags_round_trip() {
    // A trial rebuilds its workload from flags; a design or size left out of them
    // would run another workload under the cell's name.
    for profile in ["quick", "full"] {
        let plan = plan(&["shootout", "run", "--profile", profile]);
        for cell in &plan.cells {
            assert_eq!(round_trip(&cell.workload), cell.workload);
            assert_eq!(spec_round_trip(&cell.workload), cell.workload);
        }
    }
    // The profiles leave many fields at their defaults, where a flag that is never sent
    // would go unseen: every field of every workload, away from its default, too.
    for kind in WorkloadKind::ALL {
        let (workload, default) = (varied(kind), default_workload(kind));
        let fields = |w: &Workload| serde_json::to_value(w).unwrap()["params"].clone();
        let (fields, defaults) = (fields(&workload), fields(&default));
        // Fetch writes its faults (as zero) in every scenario, though only two have them.
        let not_its_own = |name: &str| {
            matches!(name, "fail" | "reset")
                && !matches!(kind, WorkloadKind::PartialFailure | WorkloadKind::Retry)
        };
        for (name, value) in fields.as_object().unwrap() {
            if name != "scenario" && !not_its_own(name) {
                assert_ne!(
                    Some(value),
                    defaults.get(name),
                    "{kind}: {name} is not varied"
                );
            }
        }
        assert_eq!(round_trip(&workload), workload, "{kind}");
        assert_eq!(spec_round_trip(&workload), workload, "{kind}");
    }
}
