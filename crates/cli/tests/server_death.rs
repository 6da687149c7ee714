//! A dead embedded server is the server's failure: when it dies mid-run (here SIGKILL, as
//! the OOM killer would), the trial in flight fails naming the server, not its backend, and
//! the server is restarted so the cells after it run.

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

/// A latency no other test uses, to find this test's fetch trials by their command line.
const MARKER_MS: &str = "97";

/// The pids of processes whose command line holds every one of `needles`, and their parents.
fn processes_with(needles: &[&str]) -> Vec<(u32, u32)> {
    fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_string_lossy().parse().ok()?;
            let cmdline = fs::read(e.path().join("cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            let stat = fs::read_to_string(e.path().join("stat")).ok()?;
            let ppid: u32 = stat
                .rsplit(')')
                .next()?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            needles
                .iter()
                .all(|n| cmdline.contains(n))
                .then_some((pid, ppid))
        })
        .collect()
}

#[test]
fn a_server_that_dies_fails_the_trial_as_its_own_and_is_restarted() {
    let sequential = common::pick("the sequential baseline", |b| b["family"] == "sequential");
    let runtime = common::pick("an async runtime", |b| b["family"] == "async-runtime");
    let out = std::env::temp_dir().join(format!("shootout-server-death-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    let run = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args([
            "run",
            "--backend",
            &format!("{runtime},{sequential}"),
            "--workload",
            "fetch",
        ])
        .args([
            "--requests",
            "40",
            "--concurrency",
            "4",
            "--latency-ms",
            MARKER_MS,
        ])
        .args(["--trials", "2", "--allow-failures", "--out"])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = run.id();
    // Once a fetch trial runs, kill this run's server.
    let started = Instant::now();
    while processes_with(&[" trial ", &format!("--latency-ms {MARKER_MS} ")]).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no fetch trial started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let servers: Vec<u32> = processes_with(&[" serve ", "--exit-with-parent"])
        .into_iter()
        .filter(|(_, parent)| *parent == pid)
        .map(|(server, _)| server)
        .collect();
    assert_eq!(servers.len(), 1, "{servers:?}");
    Command::new("kill")
        .args(["-KILL", &servers[0].to_string()])
        .status()
        .unwrap();
    let output = run.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("restarted at"), "{stderr}");

    let results: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["complete"], true);
    let cells = results["cells"].as_array().unwrap();
    let failed: Vec<&serde_json::Value> =
        cells.iter().filter(|c| c["status"] == "failed").collect();
    assert_eq!(failed.len(), 1, "the cell in flight: {cells:?}");
    let reason = failed[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("the embedded server died during this trial")
            && reason.contains("the server's failure"),
        "{reason}"
    );
    // The other cell ran against the restarted server.
    let ok: Vec<&serde_json::Value> = cells.iter().filter(|c| c["status"] == "ok").collect();
    assert_eq!(ok.len(), 1, "{cells:?}");
    fs::remove_dir_all(&out).unwrap();
}
