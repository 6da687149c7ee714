//! End-to-end tests of the `shootout` binary on tiny parameters.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::{backends, facts, pick};

/// The sequential baseline.
fn sequential() -> String {
    pick("the sequential baseline", |b| b["family"] == "sequential")
}

/// The first async runtime that places cpu jobs inline and on rayon too.
fn async_runtime() -> String {
    pick("an async runtime", |b| {
        b["family"] == "async-runtime" && common::lists(b, "cpu_modes", "rayon")
    })
}

/// A second async runtime, other than [`async_runtime`].
fn other_async_runtime() -> String {
    let first = async_runtime();
    pick("a second async runtime", |b| {
        b["family"] == "async-runtime" && b["name"] != first.as_str()
    })
}

/// A backend that starts an OS thread per task.
fn thread_per_task() -> String {
    pick("a thread per task", |b| b["sleep_model"] == "ThreadPerTask")
}

/// A thread pool that declares `workload` not applicable, and its reason.
fn pool_without(workload: &str) -> (String, String) {
    let name = pick("a pool without it", |b| {
        b["family"] == "thread-pool" && common::reason(b, workload).is_some()
    });
    let reason = common::reason(&common::facts_of(&name), workload).unwrap();
    (name, reason)
}

/// Fails the test with the binary's stderr unless it exited 0.
fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn shootout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A fresh, empty directory for one test's output.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("shootout-e2e-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn results(dir: &Path) -> Value {
    let text = fs::read_to_string(dir.join("results.json")).expect("results.json written");
    serde_json::from_str(&text).expect("results.json parses")
}

#[test]
fn every_backend_prints_a_verified_trial_record() {
    // Every workload family, tiny; each backend runs every one that applies to it.
    let workloads: [(&str, &[&str]); 6] = [
        // 50 ms, so that on a loaded machine every runtime thread has started its share
        // before the first timer fires (at 2 ms one of two thread-per-core runtimes once
        // started late, and the count read 10).
        ("sleep", &["--tasks", "20", "--sleep-ms", "50"]),
        ("cpu", &["--n", "100000", "--jobs", "9"]),
        (
            "fetch",
            &[
                "--requests",
                "30",
                "--concurrency",
                "10",
                "--latency-ms",
                "1",
            ],
        ),
        ("spawn", &["--tasks", "1000"]),
        (
            "pipeline",
            &[
                "--producers",
                "2",
                "--consumers",
                "2",
                "--capacity",
                "8",
                "--messages",
                "1000",
            ],
        ),
        (
            "blocking",
            &[
                "--tickers",
                "2",
                "--ticks",
                "5",
                "--tick-us",
                "1000",
                "--n",
                "100000",
                "--jobs",
                "4",
            ],
        ),
    ];
    let mut checked = std::collections::BTreeSet::new();
    for backend in backends() {
        let backend = backend.as_str();
        let facts = common::facts_of(backend);
        for (workload, sizes) in workloads {
            let blocking_modes = facts["blocking_modes"].as_array().unwrap();
            if common::reason(&facts, workload).is_some()
                || (workload == "blocking" && blocking_modes.is_empty())
            {
                continue;
            }
            let mut args = vec![
                "trial",
                "--backend",
                backend,
                "--workload",
                workload,
                "--threads",
                "2",
            ];
            args.extend(sizes);
            if workload == "blocking" {
                args.extend(["--mode", blocking_modes[0].as_str().unwrap()]);
            }
            let out = shootout(&args);
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{backend} {workload}: {stdout} {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let record: Value = serde_json::from_str(stdout.trim()).expect("one JSON object");
            assert_eq!(record["backend"], backend);
            assert_eq!(record["workload"], workload);
            assert_eq!(record["verified"], true);
            // What a reader of results.json checks: the answer is the expected one.
            assert_eq!(
                record["checksum"], record["expected_checksum"],
                "{backend} {workload}"
            );
            assert_eq!(record["error"], Value::Null);
            for field in [
                "wall_s",
                "user_s",
                "sys_s",
                "peak_rss_bytes",
                "baseline_rss_bytes",
                "ops",
            ] {
                assert!(
                    record[field].is_number(),
                    "{backend} {workload}: {field} missing"
                );
            }
            assert!(record["config"].as_object().is_some_and(|c| !c.is_empty()));
            match workload {
                "sleep" => {
                    // All 20 tasks wait at once, except where a sleep blocks a worker (2)
                    // or everything is one after another (1).
                    let at_once = match facts["sleep_model"].as_str() {
                        Some("BlocksWorkers") => 2,
                        Some("Sequential") => 1,
                        _ => 20,
                    };
                    assert_eq!(record["pending_at_first_wake"], at_once, "{backend}");
                    assert!(record["kernel_bytes"].is_u64(), "{backend}: kernel memory");
                }
                "fetch" => {
                    assert_eq!(record["fetch"]["ok"], 30, "{backend}");
                    assert!(record["fetch"]["latency_us"]["p99"].as_u64().unwrap() >= 1000);
                }
                "blocking" => {
                    assert!(record["ticks"].is_object(), "{backend}: tick lateness");
                }
                _ => {}
            }
            checked.insert(workload);
        }
    }
    // Each workload ran somewhere: a test that skipped one everywhere would not know it.
    assert_eq!(checked.len(), workloads.len(), "{checked:?}");
}

#[test]
fn run_writes_results_with_summaries_and_a_fingerprint() {
    let out_dir = scratch("run");
    let runtime = async_runtime();
    let out = shootout(&[
        "run",
        "--backend",
        &format!("{},{runtime}", sequential()),
        "--workload",
        "sleep,cpu",
        "--tasks",
        "3",
        "--sleep-ms",
        "1",
        "--n",
        "10000",
        "--jobs",
        "3",
        "--trials",
        "2",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_success(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The runtime's cpu jobs also run inline and on rayon, labelled by mode.
    assert!(
        stdout.contains("6 cells: 6 ok, 0 failed, 0 skipped"),
        "{stdout}"
    );
    let results = results(&out_dir);
    assert_eq!(results["complete"], true);
    assert_eq!(results["settings"]["profile"], "custom");
    assert_eq!(results["settings"]["order"], "shuffled");
    assert!(results["settings"]["seed"].is_u64());
    assert!(results["machine"]["cores"].as_u64().unwrap() >= 1);
    let its_crate = common::facts_of(&runtime)["crates"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(results["machine"]["crates"][its_crate].is_string());
    let cells = results["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 6);
    let modes: Vec<&str> = cells
        .iter()
        .filter_map(|c| c["params"]["mode"].as_str())
        .collect();
    assert_eq!(modes, ["inline", "rayon"]);
    for cell in cells {
        assert_eq!(cell["status"], "ok", "{cell}");
        assert_eq!(cell["trials"].as_array().unwrap().len(), 2);
        let wall = &cell["summary"]["wall_s"];
        assert!(
            wall["min"].as_f64() <= wall["median"].as_f64()
                && wall["median"].as_f64() <= wall["max"].as_f64()
        );
    }
    fs::remove_dir_all(out_dir).unwrap();
}

/// Each trial's (backend, workload, params, round) in the order the run started them.
fn trial_order(results: &Value) -> Vec<String> {
    let mut trials: Vec<(u64, f64, String)> = Vec::new();
    for cell in results["cells"].as_array().unwrap() {
        for trial in cell["trials"].as_array().unwrap() {
            trials.push((
                trial["position"].as_u64().expect("a position"),
                trial["started_s"].as_f64().expect("a start time"),
                format!(
                    "{} {} {} #{}",
                    cell["backend"], cell["workload"], cell["params"], trial["index"]
                ),
            ));
        }
    }
    trials.sort_by_key(|t| t.0);
    // Positions are 0..n without gaps, and start times grow with them.
    for (i, t) in trials.iter().enumerate() {
        assert_eq!(t.0, i as u64);
    }
    assert!(trials.windows(2).all(|w| w[0].1 <= w[1].1));
    trials.into_iter().map(|t| t.2).collect()
}

#[test]
fn the_same_seed_runs_trials_in_the_same_interleaved_order() {
    let args = |out: &str, seed: &str| -> Vec<String> {
        [
            "run",
            "--backend",
            &format!(
                "{},{},{}",
                sequential(),
                other_async_runtime(),
                thread_per_task()
            ),
            "--workload",
            "sleep",
            "--tasks",
            "2",
            "--sleep-ms",
            "1",
            "--trials",
            "3",
            "--seed",
            seed,
            "--out",
            out,
        ]
        .map(String::from)
        .to_vec()
    };
    let orders: Vec<Vec<String>> = [("a", "7"), ("b", "7"), ("c", "8")]
        .iter()
        .map(|(name, seed)| {
            let out_dir = scratch(&format!("seed-{name}"));
            let argv = args(out_dir.to_str().unwrap(), seed);
            let out = shootout(&argv.iter().map(String::as_str).collect::<Vec<_>>());
            assert_success(&out);
            let results = results(&out_dir);
            assert_eq!(results["settings"]["seed"], seed.parse::<u64>().unwrap());
            let order = trial_order(&results);
            fs::remove_dir_all(out_dir).unwrap();
            order
        })
        .collect();
    assert_eq!(orders[0], orders[1], "same seed, same order");
    // Round-robin: each backend once per round, so trial k of every backend runs before
    // trial k+1 of any.
    for (i, trial) in orders[0].iter().enumerate() {
        let round = trial.rsplit('#').next().unwrap().parse::<usize>().unwrap();
        assert_eq!(round, i / 3 + 1, "{:?}", orders[0]);
    }
    // 3! orders per round, 3 rounds: another seed almost surely differs somewhere.
    assert_ne!(orders[0], orders[2], "another seed, another order");
}

#[test]
fn bad_input_exits_2_naming_the_flag_and_writes_nothing() {
    let out_dir = scratch("bad");
    fs::create_dir_all(&out_dir).unwrap();
    let existing = out_dir.join("results.json");
    fs::write(&existing, "previous results").unwrap();
    let fresh = out_dir.join("fresh");
    let profile = out_dir.join("mine.toml");
    fs::write(
        &profile,
        "name = \"mine\"\ntrials = 6\nfit_s = 1\nmax_predicted_s = 10\n\
         [[cell]]\nworkload = \"sleep\"\ntasks = 0\nsleep_ms = 1\nwhy = \"x\"\n",
    )
    .unwrap();
    let bad_profile = format!("{}: cell 1 (sleep): tasks: tasks = 0", profile.display());
    for out in [out_dir.to_str().unwrap(), fresh.to_str().unwrap()] {
        let cases: [(&[&str], &str); 20] = [
            (&["--profile-file", profile.to_str().unwrap()], &bad_profile),
            (
                &["--profile-file", "/nonexistent/p.toml"],
                "/nonexistent/p.toml: cannot be read",
            ),
            (&["--backend", "nope"], "--backend"),
            (&["--workload", "nope"], "--workload"),
            (
                &["--tasks", "0"],
                "--tasks = 0 is out of range; valid range is 1..=10000000",
            ),
            (
                &["--jobs", "0"],
                "--jobs = 0 is out of range; valid range is 1..=10000000",
            ),
            (
                &["--threads", "0"],
                "--threads = 0 is out of range; valid range is 1..=1024",
            ),
            (
                &["--sleep-ms", "3600001"],
                "--sleep-ms = 3600001 is out of range; valid range is 0..=3600000",
            ),
            (
                &["--n", "1e14"],
                "--n = 100000000000000 is out of range; valid range is 0..=10069012961345",
            ),
            (&["--n", "lots"], "--n takes a whole number"),
            (&["--trials", "0"], "--trials"),
            (
                &["--margin", "0"],
                "--margin takes a fraction in 0.001..=0.5 or a percentage in 0.1%..=50%, not '0'",
            ),
            (&["--margin", "60%"], "--margin takes a fraction"),
            (&["--seed", "x"], "--seed takes a whole number"),
            (&["--order", "random"], "--order"),
            // A field two workloads share is named by the selected workload's own flag.
            (
                &["--workload", "call", "--call-tick-us", "50"],
                "invalid value for '--call-tick-us': tick_us = 50 is out of range",
            ),
            (
                &["--dir", "/nonexistent/files"],
                "for '--dir <DIR>': /nonexistent/files is not a folder that exists",
            ),
            // Read-only even for root.
            (
                &["--dir", "/proc"],
                "for '--dir <DIR>': cannot write in /proc",
            ),
            (
                &[
                    "--workload",
                    "files",
                    "--shape",
                    "random-read",
                    "--files",
                    "2",
                ],
                "invalid value for '--files': files = 2 is out of range; valid range is 1..=1",
            ),
            (
                &[
                    "--workload",
                    "files",
                    "--shape",
                    "random-read",
                    "--files",
                    "1",
                    "--block-bytes",
                    "1000",
                ],
                "invalid value for '--block-bytes': block_bytes = 1000 is not a multiple of 512",
            ),
        ];
        for (flags, message) in cases {
            let mut args = vec!["run", "--out", out];
            args.extend(flags);
            let output = shootout(&args);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{flags:?}: {stderr}");
            assert!(stderr.contains(message), "{flags:?}: {stderr}");
            assert_eq!(
                stderr.lines().next().map(|l| l.starts_with("error:")),
                Some(true)
            );
        }
    }
    assert_eq!(fs::read_to_string(&existing).unwrap(), "previous results");
    assert!(
        !fresh.exists(),
        "a rejected run created its output directory"
    );
    // trial validates the same way.
    let output = shootout(&[
        "trial",
        "--backend",
        &async_runtime(),
        "--workload",
        "sleep",
        "--tasks",
        "0",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    fs::remove_dir_all(out_dir).unwrap();
}

fn failed_cell(name: &str, extra: &[&str]) -> Value {
    let out_dir = scratch(name);
    let baseline = sequential();
    let mut args = vec![
        "run",
        "--backend",
        &baseline,
        "--workload",
        "sleep",
        "--tasks",
        "2",
        "--sleep-ms",
        "1",
        "--trials",
        "1",
        "--out",
        out_dir.to_str().unwrap(),
    ];
    args.extend(extra);
    let out = shootout(&args);
    // The run completes, saves and reports everything, and exits 1 for the failed cell.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.replace('\n', " ").contains("1 of 1 cells failed")
            && stderr.contains("--allow-failures"),
        "{stderr}"
    );
    let results = results(&out_dir);
    assert_eq!(results["complete"], true);
    fs::remove_dir_all(out_dir).unwrap();
    let cell = results["cells"][0].clone();
    assert_eq!(cell["status"], "failed", "{cell}");
    assert_eq!(cell["summary"], Value::Null);
    cell
}

#[test]
fn a_panicking_trial_is_a_failed_cell() {
    let cell = failed_cell("panic", &["--inject-fault", "panic"]);
    let reason = cell["reason"].as_str().unwrap();
    assert!(
        reason.contains("exit status: 101") && reason.contains("injected fault"),
        "{reason}"
    );
    assert!(
        cell["trials"][0]["stderr_tail"]
            .as_str()
            .unwrap()
            .contains("panicked")
    );
}

#[test]
fn a_hanging_trial_is_killed_and_a_failed_cell() {
    let cell = failed_cell("hang", &["--inject-fault", "hang", "--trial-timeout", "1"]);
    assert_eq!(cell["reason"], "timed out after 1 s and was killed");
    assert_eq!(cell["trials"][0]["exit"], "signal: 9 (SIGKILL)");
}

#[test]
fn the_thread_limit_is_a_failed_cell_with_the_os_error() {
    // Capping address space makes the limit small and the same on every machine:
    // 5000 threads with 2 MiB stacks need 10 GiB.
    let out_dir = scratch("limit");
    let script = format!(
        "ulimit -v 4194304 && exec '{}' run --backend {},{} --workload sleep --tasks 5000 \
         --sleep-ms 50 --trials 1 --allow-failures --out '{}'",
        env!("CARGO_BIN_EXE_shootout"),
        thread_per_task(),
        async_runtime(),
        out_dir.display()
    );
    let out = Command::new("sh").args(["-c", &script]).output().unwrap();
    assert_success(&out);
    let results = results(&out_dir);
    let threads = &results["cells"][0];
    assert_eq!(threads["status"], "failed");
    let reason = threads["reason"].as_str().unwrap();
    // Refused before any thread starts, naming the limit: past it a thread may start and
    // fail to map its signal stack, and std would abort the process with no record.
    assert!(
        reason.contains("5000 threads would pass what this process may start")
            && reason.contains("address-space limit (ulimit -v) of 4096 MiB"),
        "{reason}"
    );
    // The suite went on: the async runtime ran the same cell after it.
    assert_eq!(results["cells"][1]["backend"], async_runtime().as_str());
    assert_eq!(results["cells"][1]["status"], "ok");
    fs::remove_dir_all(out_dir).unwrap();
}

#[test]
fn list_names_every_backend_and_flags_the_discontinued() {
    let out = shootout(&["list"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for backend in common::registered() {
        let backend = backend.as_str();
        assert!(
            stdout
                .lines()
                .any(|line| line.trim_start().starts_with(backend)),
            "{backend}"
        );
    }
    // A backend discontinued upstream says so on its line, with the advisory.
    let discontinued: Vec<Value> = facts()
        .into_iter()
        .filter(|b| {
            b["maintenance"]
                .as_str()
                .unwrap()
                .starts_with("discontinued")
        })
        .collect();
    assert!(
        !discontinued.is_empty(),
        "the discontinued runtime is still measured"
    );
    for backend in discontinued {
        let name = backend["name"].as_str().unwrap();
        let line = stdout
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap();
        assert!(line.contains("RUSTSEC-"), "{line}");
    }
}

/// The expected (answered, 500, reset) counts, from core, for a fetch with faults.
fn expected_faults(seed: u64, requests: u64, fail: f64, reset: f64) -> (u64, u64, u64) {
    shootout_core::fault::count(seed, requests, fail, reset)
}

#[test]
fn fetch_with_injected_faults_reproduces_the_exact_counts_on_every_backend() {
    let (answered, failed, reset) = expected_faults(5, 120, 0.2, 0.1);
    assert!(failed > 0 && reset > 0);
    for backend in backends() {
        let backend = backend.as_str();
        let out = shootout(&[
            "trial",
            "--backend",
            backend,
            "--workload",
            "partial-failure",
            "--threads",
            "2",
            "--requests",
            "120",
            "--concurrency",
            "8",
            "--latency-ms",
            "0",
            "--fail",
            "0.2",
            "--reset",
            "0.1",
            "--fetch-seed",
            "5",
        ]);
        let record: Value = serde_json::from_slice(&out.stdout).expect("a record");
        if record["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("not applicable: "))
        {
            // Not built on this backend yet; `list` says so.
            continue;
        }
        assert_eq!(record["verified"], true, "{backend}: {}", record["error"]);
        assert_eq!(record["fetch"]["ok"], answered, "{backend}");
        assert_eq!(record["fetch"]["failed"]["status"], failed, "{backend}");
        assert_eq!(record["fetch"]["failed"]["reset"], reset, "{backend}");
    }
}

/// Runs the binary and, while it runs, every embedded server (`shootout serve`) it starts
/// as its own child, by pid: a server lives as long as the trials it serves, far longer
/// than the 2 ms between looks.
fn shootout_counting_servers(args: &[&str]) -> (Output, std::collections::BTreeSet<u32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let (stdout, stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            bytes
        })
    };
    let (stdout, stderr) = (drain(Box::new(stdout)), drain(Box::new(stderr)));
    let mut servers = std::collections::BTreeSet::new();
    let status = loop {
        for (pid, parent, _) in common::processes_with(&["serve", "--exit-with-parent"]) {
            if parent == child.id() {
                servers.insert(pid);
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    let output = Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    (output, servers)
}

#[test]
fn run_with_fetch_starts_one_server_and_summarizes_latency() {
    let out_dir = scratch("fetch-run");
    let (out, servers) = shootout_counting_servers(&[
        "run",
        "--backend",
        &format!("{},{}", other_async_runtime(), thread_per_task()),
        "--workload",
        "fetch",
        "--requests",
        "40",
        "--concurrency",
        "8",
        "--latency-ms",
        "5",
        "--trials",
        "2",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_success(&out);
    // One embedded server for the whole run (4 trials), not one per trial or per cell.
    assert_eq!(servers.len(), 1, "servers started: {servers:?}");
    let results = results(&out_dir);
    let server = results["settings"]["fetch_server"]
        .as_str()
        .expect("server described");
    assert!(
        server.contains("hyper") && server.contains("127.0.0.1"),
        "{server}"
    );
    for cell in results["cells"].as_array().unwrap() {
        assert_eq!(cell["status"], "ok", "{cell}");
        let summary = &cell["summary"];
        assert!(summary["latency_us"]["p50"]["median"].as_f64().unwrap() >= 5000.0);
        // 40 requests, 8 at a time, 5 ms each: ideal 25 ms; efficiency is ideal / wall.
        assert_eq!(cell["ideal_s"], 0.025);
        let efficiency = summary["efficiency"]["median"].as_f64().unwrap();
        assert!(efficiency > 0.0 && efficiency <= 1.0, "{efficiency}");
        // The server's CPU time is recorded per trial (it answered 40 requests: not zero)
        // and summarized as a share of a core.
        for trial in cell["trials"].as_array().unwrap() {
            let server_s = trial["record"]["server_cpu_s"]
                .as_f64()
                .expect("server CPU");
            assert!(server_s > 0.0, "{trial}");
        }
        let cores = summary["server_cores"]["median"].as_f64().unwrap();
        assert!(cores > 0.0 && cores < 4.0, "{cores}");
        // Both backends run the shared client design: C long-lived workers.
        let design = cell["config"]["fetch"].as_str().unwrap();
        assert!(design.contains("pulling request ids"), "{design}");
    }
    fs::remove_dir_all(out_dir).unwrap();
}

#[test]
fn a_design_variant_runs_where_offered_and_is_skipped_elsewhere() {
    let out_dir = scratch("variant");
    let run = |args: &[&str]| -> Value {
        let mut argv = vec![
            "run",
            "--trials",
            "1",
            "--out",
            out_dir.to_str().unwrap(),
            "--force",
        ];
        argv.extend(args);
        assert_success(&shootout(&argv));
        results(&out_dir)
    };
    let owning = |family: &str| {
        pick("its own channel", |b| {
            b["family"] == family && common::lists(b, "variants", "own-channel")
        })
    };
    let own = run(&[
        "--backend",
        &format!("{},{}", owning("async-runtime"), owning("threads")),
        "--workload",
        "pipeline",
        "--channel",
        "own",
        "--messages",
        "2000",
    ]);
    let cells = own["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 2);
    for cell in cells {
        assert_eq!(cell["status"], "ok", "{cell}");
        assert_eq!(cell["params"]["channel"], "own");
        let design = cell["config"]["pipeline.own-channel"].as_str().unwrap();
        assert!(design.contains("Mutex"), "{design}");
        // The shared design every backend of a kind runs: one MPMC channel.
        let shared = cell["config"]["pipeline"].as_str().unwrap();
        assert!(shared.contains("MPMC"), "{shared}");
        assert!(!shared.contains("Mutex"), "{shared}");
    }
    let fetch = [
        "--workload",
        "fetch",
        "--client",
        "task-per-request",
        "--requests",
        "20",
    ];
    let offering = pick("a task per request", |b| {
        common::lists(b, "variants", "task-per-request")
    });
    let idiom = run(&[&["--backend", &offering][..], &fetch[..]].concat());
    assert_eq!(idiom["cells"][0]["status"], "ok");
    let lacking = pick("no task per request", |b| {
        b["unavailable"].is_null() && !common::lists(b, "variants", "task-per-request")
    });
    let skipped = run(&[&["--backend", &lacking][..], &fetch[..]].concat());
    let cell = &skipped["cells"][0];
    assert_eq!(cell["status"], "skipped", "{cell}");
    assert!(
        cell["reason"]
            .as_str()
            .unwrap()
            .contains("task-per-request"),
        "{cell}"
    );
    fs::remove_dir_all(out_dir).unwrap();
}

#[test]
fn url_fetches_from_a_server_that_is_not_ours() {
    let dir = scratch("http-server");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("file.bin"), vec![7u8; 5000]).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut python = Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--directory",
        ])
        .arg(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3 runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "python http.server did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let url = format!("http://127.0.0.1:{port}/file.bin");
    for backend in [async_runtime(), sequential()] {
        let out = shootout(&[
            "trial",
            "--backend",
            &backend,
            "--workload",
            "fetch",
            "--url",
            &url,
            "--requests",
            "20",
            "--concurrency",
            "4",
        ]);
        let record: Value = serde_json::from_slice(&out.stdout).expect("a record");
        assert_eq!(record["verified"], true, "{backend}: {}", record["error"]);
        assert_eq!(record["fetch"]["ok"], 20);
        assert_eq!(record["fetch"]["bytes"], 20 * 5000);
    }
    let _ = python.kill();
    let _ = python.wait();
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn unreachable_and_non_http_urls_fail_clearly_and_quickly() {
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    // A listener that never answers: connections queue in the backlog forever.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    // A listener that speaks something else.
    let other = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let other_addr = other.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in other.incoming().flatten() {
            let mut stream = stream;
            let _ = std::io::Write::write_all(&mut stream, b"SSH-2.0-OpenSSH_9.6\r\n\r\n");
        }
    });
    let cases = [
        (format!("http://{closed}/"), "Connection refused"),
        (
            format!("http://{}/", silent.local_addr().unwrap()),
            "timed out",
        ),
        (format!("http://{other_addr}/"), "malformed response"),
    ];
    for (url, expected) in cases {
        let start = std::time::Instant::now();
        let out = shootout(&[
            "trial",
            "--backend",
            &async_runtime(),
            "--workload",
            "fetch",
            "--url",
            &url,
            "--requests",
            "4",
            "--concurrency",
            "4",
            "--timeout-ms",
            "500",
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{url}: {stderr}");
        assert!(stderr.contains(expected), "{url}: {stderr}");
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{url} took {:?}",
            start.elapsed()
        );
    }
    drop(silent);
}

#[test]
fn bad_fetch_input_exits_2_naming_the_flag() {
    let cases: [(&str, &[&str], &str); 7] = [
        (
            "fetch",
            &["--concurrency", "0"],
            "--concurrency = 0 is out of range; valid range is 1..=10000",
        ),
        (
            "fetch",
            &["--requests", "0"],
            "--requests = 0 is out of range",
        ),
        (
            "fetch",
            &["--url", "ftp://example/"],
            "--url 'ftp://example/' is not an http:// URL",
        ),
        ("fetch", &["--url", "https://example/"], "https"),
        (
            "partial-failure",
            &["--fail", "2"],
            "--fail takes a fraction in 0..=1",
        ),
        (
            "partial-failure",
            &["--fail", "0.6", "--reset", "0.6"],
            "'--reset': fail + reset = 1.2 is over 1",
        ),
        // A scenario's own field on another scenario is no mix the spec can hold.
        (
            "fetch",
            &["--fail", "0.1"],
            "'--fail': --fail sizes partial-failure, retry, not fetch",
        ),
    ];
    let runtime = async_runtime();
    for (workload, flags, message) in cases {
        for command in ["run", "trial"] {
            let mut args = vec![command];
            if command == "trial" {
                args.extend(["--backend", &runtime, "--workload", workload]);
            } else {
                args.extend([
                    "--workload",
                    workload,
                    "--out",
                    "/nonexistent/never-written",
                ]);
            }
            args.extend(flags);
            let output = shootout(&args);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{command} {flags:?}: {stderr}"
            );
            assert!(stderr.contains(message), "{command} {flags:?}: {stderr}");
        }
    }
}

#[test]
fn spawn_and_pipeline_verify_everywhere_they_apply() {
    for backend in backends() {
        let backend = backend.as_str();
        let spawn = shootout(&[
            "trial",
            "--backend",
            backend,
            "--workload",
            "spawn",
            "--tasks",
            "500",
            "--threads",
            "2",
        ]);
        let record: Value = serde_json::from_slice(&spawn.stdout).expect("a record");
        assert_eq!(
            record["verified"], true,
            "{backend} spawn: {}",
            record["error"]
        );
        assert_eq!(record["ops"], 500);

        let pipeline = shootout(&[
            "trial",
            "--backend",
            backend,
            "--workload",
            "pipeline",
            "--producers",
            "3",
            "--consumers",
            "2",
            "--capacity",
            "4",
            "--messages",
            "1000",
            "--threads",
            "2",
        ]);
        let record: Value = serde_json::from_slice(&pipeline.stdout).expect("a record");
        if let Some(why) = record["error"]
            .as_str()
            .filter(|e| e.starts_with("not applicable: "))
        {
            // A backend that declares the pipeline not applicable says why and fails.
            assert_eq!(pipeline.status.code(), Some(1));
            assert!(
                why.len() > "not applicable: ".len() + 10,
                "{backend}: {why}"
            );
        } else {
            assert_eq!(
                record["verified"], true,
                "{backend} pipeline: {}",
                record["error"]
            );
            assert_eq!(record["ops"], 1000);
        }
    }
}

#[test]
fn a_run_reports_not_applicable_cells_as_skipped_with_the_reason() {
    let out_dir = scratch("not-applicable");
    let (pool, reason) = pool_without("pipeline");
    let out = shootout(&[
        "run",
        "--backend",
        &format!("{pool},{}", async_runtime()),
        "--workload",
        "pipeline",
        "--messages",
        "500",
        "--trials",
        "1",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_success(&out);
    let results = results(&out_dir);
    let cells = results["cells"].as_array().unwrap();
    assert_eq!(cells[0]["backend"], pool.as_str());
    assert_eq!(cells[0]["status"], "skipped");
    assert!(
        cells[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("not applicable:")
    );
    assert_eq!(cells[1]["status"], "ok");
    let html = fs::read_to_string(out_dir.join("index.html")).unwrap();
    let gist = reason.split(':').next().unwrap();
    assert!(html.contains(&format!("not applicable: {gist}")), "{gist}");
    fs::remove_dir_all(out_dir).unwrap();
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let out_dir = scratch("dry-run");
    let out = shootout(&[
        "run",
        "--dry-run",
        "--profile",
        "full",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_success(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .lines()
            .next()
            .unwrap()
            .contains("cells, 6 trials each (full profile)"),
        "{stdout}"
    );
    let (_, reason) = pool_without("pipeline");
    let gist = reason.split(':').next().unwrap();
    assert!(stdout.contains(&format!("skip: not applicable: {gist}")));
    assert!(stdout.contains("skip: over 100000 OS threads"));
    assert!(!out_dir.exists(), "a dry run created its output directory");
}

#[test]
fn blocking_runs_each_backends_modes_and_reports_tick_lateness() {
    let out_dir = scratch("blocking");
    let out = shootout(&[
        "run",
        "--workload",
        "blocking",
        "--tickers",
        "3",
        "--ticks",
        "20",
        "--n",
        "20000000",
        "--jobs",
        "4",
        "--trials",
        "1",
        "--threads",
        "2",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_success(&out);
    let results = results(&out_dir);
    let cells = results["cells"].as_array().unwrap();
    let cell = |backend: &str, mode: &str| {
        cells
            .iter()
            .find(|c| c["backend"] == backend && c["params"]["mode"] == mode)
    };
    // Every backend in each mode it offers, one not-applicable cell for the rest.
    let all = facts();
    let modes = |b: &Value| -> Vec<String> {
        b["blocking_modes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap().to_string())
            .collect()
    };
    let planned: usize = all.iter().map(|b| modes(b).len().max(1)).sum();
    assert_eq!(cells.len(), planned);
    for backend in &all {
        let name = backend["name"].as_str().unwrap();
        let offered = modes(backend);
        if let Some(why) = backend["unavailable"].as_str() {
            // Planned, and skipped with the reason it cannot run here.
            common::skipped(name, why);
            for mode in &offered {
                let cell = cell(name, mode).unwrap_or_else(|| panic!("{name} {mode} named"));
                assert_eq!(cell["status"], "skipped");
                assert_eq!(cell["reason"], format!("unavailable here: {why}").as_str());
            }
            continue;
        }
        if offered.is_empty() {
            let reason = common::reason(backend, "blocking").expect("a reason");
            let cell = cell(name, "inline").unwrap_or_else(|| panic!("{name} named"));
            assert_eq!(cell["reason"], format!("not applicable: {reason}").as_str());
            continue;
        }
        for mode in ["inline", "offload", "rayon", "block-in-place"] {
            let Some(cell) = cell(name, mode) else {
                assert!(!offered.iter().any(|m| m == mode), "{name} {mode} planned");
                continue;
            };
            assert!(
                offered.iter().any(|m| m == mode),
                "{name} {mode} not offered"
            );
            assert_eq!(cell["status"], "ok", "{name} {mode}: {}", cell["reason"]);
            let record = &cell["trials"][0]["record"];
            assert_eq!(record["ticks"]["ticks"], 60);
            assert!(record["ticks"]["ticks_done_s"].as_f64().unwrap() >= 0.020);
            assert!(cell["summary"]["latency_us"]["p99"]["median"].is_number());
        }
    }
    let html = fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(html.contains("Blocking the event loop"));
    let both = pick("inline and offload", |b| {
        common::lists(b, "blocking_modes", "inline")
            && common::lists(b, "blocking_modes", "offload")
    });
    assert!(html.contains(&format!("Tick lateness: {both} p99")));
    fs::remove_dir_all(out_dir).unwrap();

    // A mode the backend lacks, and a period below the floor.
    let lacking = pick("no block-in-place", |b| {
        common::lists(b, "blocking_modes", "offload")
            && !common::lists(b, "blocking_modes", "block-in-place")
    });
    let its_modes = common::facts_of(&lacking)["blocking_modes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect::<Vec<_>>()
        .join(", ");
    let trial = shootout(&[
        "trial",
        "--backend",
        &lacking,
        "--workload",
        "blocking",
        "--mode",
        "block-in-place",
        "--ticks",
        "5",
    ]);
    assert_eq!(trial.status.code(), Some(1));
    let record: Value = serde_json::from_slice(&trial.stdout).expect("a record");
    assert!(
        record["error"]
            .as_str()
            .unwrap()
            .contains(&format!("{lacking} runs blocking only as {its_modes}")),
        "{}",
        record["error"]
    );
    let bad = shootout(&[
        "trial",
        "--backend",
        &async_runtime(),
        "--workload",
        "blocking",
        "--tick-us",
        "50",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("--tick-us = 50 is out of range; valid range is 100..=1000000"),
        "{stderr}"
    );
}

#[test]
fn pin_puts_server_and_fetch_client_on_disjoint_cpus() {
    let out_dir = scratch("pin");
    let out = shootout(&[
        "run",
        "--pin",
        "on",
        "--backend",
        &async_runtime(),
        "--workload",
        "fetch",
        "--requests",
        "40",
        "--concurrency",
        "4",
        "--latency-ms",
        "1",
        "--trials",
        "1",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_success(&out);
    let results = results(&out_dir);
    let Some(pin) = results["settings"]["pin"].as_object() else {
        // A machine with one CPU has nothing to split.
        assert_eq!(results["machine"]["cores"], 1, "{}", results["settings"]);
        return;
    };
    let cpus = |key: &str| -> Vec<u64> {
        pin[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .collect()
    };
    let (server, client) = (cpus("server_cpus"), cpus("client_cpus"));
    assert!(!server.is_empty() && !client.is_empty());
    assert!(server.iter().all(|c| !client.contains(c)), "{pin:?}");
    let cell = &results["cells"][0];
    assert_eq!(cell["status"], "ok", "{cell}");
    assert_eq!(
        cell["threads"],
        client.len() as u64,
        "W = the client's CPUs"
    );
    let described = results["settings"]["fetch_server"].as_str().unwrap();
    assert!(described.contains("pinned"), "{described}");
    fs::remove_dir_all(out_dir).unwrap();
}

#[test]
fn a_thread_per_task_costs_a_kernel_stack_each() {
    let out = shootout(&[
        "trial",
        "--backend",
        &thread_per_task(),
        "--workload",
        "sleep",
        "--tasks",
        "20",
        "--sleep-ms",
        "100",
        "--threads",
        "2",
    ]);
    assert_success(&out);
    let record: Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).expect("one record");
    assert_eq!(record["pending_at_first_wake"], 20);
    let kernel = record["kernel_bytes"].as_u64().expect("kernel memory");
    assert!(kernel >= 20 * 16 * 1024, "{kernel} bytes for 20 threads");
}

#[test]
fn a_sleep_run_probes_the_idle_timer_and_the_harness_share() {
    let out_dir = scratch("probes");
    // One backend with timers of its own, one whose sleep blocks a worker.
    let timed = other_async_runtime();
    let blocks = pick("a sleep that blocks a worker", |b| {
        b["sleep_model"] == "BlocksWorkers" && b["unavailable"].is_null()
    });
    let out = shootout(&[
        "run",
        "--backend",
        &format!("{timed},{blocks}"),
        "--workload",
        "sleep",
        "--tasks",
        "2000",
        "--sleep-ms",
        "20",
        "--trials",
        "1",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_success(&out);
    let results = results(&out_dir);
    let timers = results["timers"].as_array().expect("timer probes");
    assert_eq!(timers.len(), 1, "{timers:?}");
    assert_eq!(timers[0]["backend"], timed.as_str());
    assert_eq!(timers[0]["trials"], 6);
    assert_eq!(timers[0]["p50_trials_us"].as_array().map(Vec::len), Some(6));
    assert!(timers[0]["p50_us"]["median"].as_f64().unwrap() >= 0.0);
    let harness = results["harness"].as_array().expect("harness probes");
    assert_eq!(harness.len(), 1, "{harness:?}");
    assert_eq!(harness[0]["backend"], timed.as_str());
    assert_eq!(harness[0]["tasks"], 2000);
    let bare = harness[0]["bare_bytes_per_task"]["median"]
        .as_f64()
        .unwrap();
    assert!(bare > 0.0, "{bare}");
    let page = fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(page.contains("share of memory per task"));
    fs::remove_dir_all(out_dir).unwrap();
}

#[test]
fn an_unavailable_io_uring_runtime_is_skipped_with_the_reason() {
    let out_dir = scratch("io-uring-off");
    let io_uring: Vec<String> = facts()
        .into_iter()
        .filter(|b| b["family"] == "io-uring-runtime")
        .map(|b| b["name"].as_str().unwrap().to_string())
        .collect();
    assert!(!io_uring.is_empty(), "io_uring runtimes are registered");
    let control = async_runtime();
    let out = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .env("SHOOTOUT_DISABLE_IO_URING", "1")
        .args([
            "run",
            "--backend",
            &format!("{},{control}", io_uring.join(",")),
            "--workload",
            "sleep",
            "--tasks",
            "10",
            "--sleep-ms",
            "1",
            "--trials",
            "1",
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .output()
        .expect("the binary runs");
    assert_success(&out);
    let results = results(&out_dir);
    let cell = |backend: &str| {
        results["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["backend"] == backend)
            .cloned()
            .expect("cell")
    };
    for name in &io_uring {
        let skipped = cell(name);
        assert_eq!(skipped["status"], "skipped", "{skipped}");
        assert!(
            skipped["reason"]
                .as_str()
                .unwrap()
                .contains("unavailable here: io_uring is disabled"),
            "{skipped}"
        );
        assert_eq!(skipped["family"], "io-uring-runtime");
    }
    assert_eq!(cell(&control)["status"], "ok");
    fs::remove_dir_all(out_dir).unwrap();
}

#[test]
fn a_locked_memory_limit_too_low_is_named_by_the_runtime_that_needs_it() {
    // Where no io_uring runtime can run for another reason, none can name this one.
    let io_uring: Vec<Value> = facts()
        .into_iter()
        .filter(|b| b["family"] == "io-uring-runtime")
        .collect();
    if let Some(why) = io_uring.iter().find_map(|b| b["unavailable"].as_str())
        && io_uring.iter().all(|b| !b["unavailable"].is_null())
    {
        for b in &io_uring {
            common::skipped(b["name"].as_str().unwrap(), why);
        }
        return;
    }
    // 64 KiB of locked memory: below what an io_uring runtime that registers its buffers
    // (512 KiB) requires.
    let out = Command::new("sh")
        .args([
            "-c",
            &format!(
                "ulimit -l 64 && exec '{}' list --json",
                env!("CARGO_BIN_EXE_shootout")
            ),
        ])
        .output()
        .expect("sh runs");
    assert_success(&out);
    let listed: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    let named: Vec<&Value> = listed
        .iter()
        .filter(|b| {
            b["unavailable"]
                .as_str()
                .is_some_and(|why| why.contains("locked-memory limit (ulimit -l) is 64 KiB"))
        })
        .collect();
    assert!(!named.is_empty(), "no backend names the limit: {listed:?}");
    assert!(named.iter().all(|b| b["family"] == "io-uring-runtime"));
    // Unlimited elsewhere: the same backends are available with the machine's limit.
    for b in named {
        let here = common::facts_of(b["name"].as_str().unwrap());
        assert!(
            here["unavailable"]
                .as_str()
                .is_none_or(|why| !why.contains("locked-memory")),
            "{here}"
        );
    }
}

/// The pids whose parent is `parent` and whose command line contains `word`.
fn children(parent: u32, word: &str) -> Vec<u32> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
            let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            ppid == Some(parent) && String::from_utf8_lossy(&cmdline).contains(word)
        })
        .collect()
}

/// Whether `pid` still runs (a zombie waiting to be reaped does not).
fn alive(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| Some(stat.rsplit_once(')')?.1.split_whitespace().next()? != "Z"))
        .unwrap_or(false)
}

#[test]
fn worker_processes_die_with_a_killed_trial_even_mid_job() {
    use std::time::{Duration, Instant};
    let pool: Vec<String> = facts()
        .into_iter()
        .filter(|b| b["family"] == "processes")
        .map(|b| b["name"].as_str().unwrap().to_string())
        .collect();
    assert!(!pool.is_empty(), "a processes backend is registered");
    for backend in pool {
        // Each worker sleeps 30 s per job: a worker that only noticed its closed stdin
        // between jobs would outlive the trial by that long.
        let mut trial = Command::new(env!("CARGO_BIN_EXE_shootout"))
            .args(["trial", "--backend", &backend, "--workload", "sleep"])
            .args(["--threads", "2", "--tasks", "4", "--sleep-ms", "30000"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("the trial starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        let workers = loop {
            let found = children(trial.id(), "worker");
            if found.len() == 2 || Instant::now() > deadline {
                break found;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        assert_eq!(workers.len(), 2, "{backend}: two worker processes start");
        // Past the warm-up, into the 30 s jobs.
        std::thread::sleep(Duration::from_millis(1500));
        assert!(workers.iter().all(|&pid| alive(pid)));
        trial.kill().expect("SIGKILL the trial");
        let _ = trial.wait();
        let deadline = Instant::now() + Duration::from_secs(5);
        while workers.iter().any(|&pid| alive(pid)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let left: Vec<u32> = workers.into_iter().filter(|&pid| alive(pid)).collect();
        assert!(
            left.is_empty(),
            "{backend}: workers {left:?} outlived the trial"
        );
    }
}

#[test]
fn a_trial_takes_its_workload_as_data() {
    // How `run` hands each trial its cell: the workload as results.json records it.
    let spec = r#"{"workload":"sleep","params":{"tasks":7,"sleep_ms":20}}"#;
    let out = shootout(&["trial", "--backend", &sequential(), "--spec", spec]);
    assert_success(&out);
    let record: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(record["params"]["tasks"], 7);
    assert_eq!(record["verified"], true);
    // Bad data, or data and size flags together, is bad input: exit 2, named.
    let bad = shootout(&[
        "trial",
        "--backend",
        &sequential(),
        "--spec",
        "{\"workload\"",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("'--spec'"));
    let both = shootout(&[
        "trial",
        "--backend",
        &sequential(),
        "--spec",
        spec,
        "--tasks",
        "3",
    ]);
    assert_eq!(both.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&both.stderr).contains("leave out the size flags"));
    let invalid = shootout(&[
        "trial",
        "--backend",
        &sequential(),
        "--spec",
        r#"{"workload":"sleep","params":{"tasks":0,"sleep_ms":20}}"#,
    ]);
    assert_eq!(invalid.status.code(), Some(2));
}

#[test]
fn a_workload_the_profile_has_no_cell_of_is_refused_not_planned_empty() {
    let out_dir = scratch("unplanned");
    let _ = fs::remove_dir_all(&out_dir);
    let out = out_dir.to_str().unwrap();
    let output = shootout(&["run", "--workload", "timeout", "--out", out]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("'--workload'") && stderr.contains("quick profile has no timeout cell"),
        "{stderr}"
    );
    assert!(!out_dir.exists(), "a refused run created its output folder");
    // The full profile has one, and sizes describe one.
    for args in [
        &["--profile", "full"][..],
        &[
            "--requests",
            "48",
            "--timeout-ms",
            "500",
            "--slow",
            "0.25",
            "--slow-ms",
            "1500",
        ],
    ] {
        let mut all = vec!["run", "--workload", "timeout", "--dry-run", "--out", out];
        all.extend_from_slice(args);
        let output = shootout(&all);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let _ = fs::remove_dir_all(&out_dir);
}

/// A fetch run's C long-lived workers start before the clock on every backend that starts
/// them (a thread per slot, a task per slot): how long that took is recorded apart, not
/// timed. A pool built with the backend (crossbeam) has nothing to start.
#[test]
fn fetch_workers_start_before_the_clock() {
    for (backend, gated) in [("threads", true), ("tokio", true), ("crossbeam", false)] {
        let out = shootout(&[
            "trial",
            "--backend",
            backend,
            "--workload",
            "fetch",
            "--threads",
            "2",
            "--requests",
            "256",
            "--concurrency",
            "64",
            "--latency-ms",
            "0",
        ]);
        let record: Value = serde_json::from_slice(&out.stdout).expect("a record");
        assert_eq!(record["verified"], true, "{backend}: {}", record["error"]);
        let before = record["before_clock_s"].as_f64();
        assert_eq!(before.is_some(), gated, "{backend}: {before:?}");
        assert!(before.is_none_or(|s| s > 0.0), "{backend}: {before:?}");
    }
}
