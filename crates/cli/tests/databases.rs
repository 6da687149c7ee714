//! The call workload's databases in a real run: a bad `--postgres` is refused before
//! anything runs, and a PostgreSQL cluster the run started dies with the run, even when
//! the run is killed by SIGKILL (its folder is left for the next run's sweep).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn a_bad_postgres_url_exits_2_naming_the_flag() {
    let out = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args(["run", "--workload", "call", "--dry-run"])
        .args(["--postgres", "host=/tmp port=notaport"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("'--postgres"), "{stderr}");
    assert!(
        stderr.contains("not a PostgreSQL connection string"),
        "{stderr}"
    );
}

/// The server's pid from the first `postmaster.pid` under `dir`'s cluster folders, once
/// the server (not initdb's) wrote it.
fn server_pid(dir: &Path) -> Option<i32> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let name = entry.file_name();
        if !name
            .to_string_lossy()
            .starts_with(shootout_database::FOLDER_PREFIX)
        {
            continue;
        }
        let text = std::fs::read_to_string(entry.path().join("data/postmaster.pid")).ok()?;
        // initdb's single-user server writes its pid negated: not yet the server.
        return text
            .lines()
            .next()?
            .trim()
            .parse()
            .ok()
            .filter(|&pid: &i32| pid > 0);
    }
    None
}

/// Waits up to `limit` for `ready`.
fn wait_for<T>(limit: Duration, mut ready: impl FnMut() -> Option<T>) -> Option<T> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(value) = ready() {
            return Some(value);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

/// A run of the threads backend's PostgreSQL calls, 500 s of them if nothing stops it, its
/// scratch and clusters under `tmp`, its report in `tmp/report`.
fn long_postgres_run(tmp: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_shootout"))
        .env("TMPDIR", tmp)
        .args(["run", "--backend", "threads", "--workload", "call"])
        .args(["--library", "postgres", "--calls", "200000"])
        .args(["--concurrency", "2", "--wait-ms", "5", "--trials", "1"])
        .args(["--max-predicted", "10000"])
        .arg("--out")
        .arg(tmp.join("report"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_cluster_the_run_started_dies_with_the_run_killed_by_sigkill() {
    if !shootout_database::installed_for_tests() {
        return;
    }
    let tmp: PathBuf = std::env::temp_dir().join(format!("shootout-killed-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut run = long_postgres_run(&tmp);
    let server = wait_for(Duration::from_secs(60), || server_pid(&tmp));
    let Some(server) = server else {
        let _ = run.kill();
        panic!("the run started no cluster under {}", tmp.display());
    };
    assert!(
        Path::new(&format!("/proc/{server}")).exists(),
        "{server}: {:?}",
        std::fs::read_dir(&tmp)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect::<Vec<_>>()
    );
    run.kill().unwrap();
    run.wait().unwrap();
    let gone = wait_for(Duration::from_secs(20), || {
        (!Path::new(&format!("/proc/{server}")).exists()).then_some(())
    });
    assert!(
        gone.is_some(),
        "PostgreSQL {server} outlived the killed run"
    );
    // What the killed run could not delete, the next run's sweep does.
    shootout_database::sweep(&tmp);
    shootout_database::sweep_scratch(&tmp);
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("shootout-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn a_database_that_dies_mid_run_fails_the_trial_naming_it_and_the_run_ends() {
    if !shootout_database::installed_for_tests() {
        return;
    }
    let tmp: PathBuf = std::env::temp_dir().join(format!("shootout-dying-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let out = tmp.join("report");
    // 500 s of calls if the server lived: the run must end long before.
    let mut run = long_postgres_run(&tmp);
    let Some(server) = wait_for(Duration::from_secs(60), || server_pid(&tmp)) else {
        let _ = run.kill();
        panic!("the run started no cluster under {}", tmp.display());
    };
    // Into the trial: the table seeded, the calls under way.
    std::thread::sleep(Duration::from_secs(3));
    // PostgreSQL's immediate shutdown: every connection cut at once.
    let killed = Command::new("kill")
        .args(["-QUIT", &server.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let ended = wait_for(Duration::from_secs(60), || run.try_wait().unwrap());
    if ended.is_none() {
        let _ = run.kill();
        panic!("the run hung after its database died");
    }
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    let cell = &results["cells"][0];
    assert_eq!(cell["status"], "failed", "{cell:#}");
    let reason = cell["reason"].as_str().unwrap_or_default().to_lowercase();
    assert!(reason.contains("postgres"), "{reason}");
    shootout_database::sweep(&tmp);
    shootout_database::sweep_scratch(&tmp);
    std::fs::remove_dir_all(&tmp).unwrap();
}
