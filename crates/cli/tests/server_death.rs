//! A dead embedded server is the server's failure: when it dies mid-run (here SIGKILL, as
//! the OOM killer would), the trial in flight fails naming the server, not its backend, and
//! the server is restarted so the cells after it run.

use std::fs;
use std::process::{Command, Stdio};

mod common;

/// A latency no other test uses, to find this test's fetch trials by their command line.
const MARKER_MS: &str = "97";

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
    common::wait_for_process(&[" trial ", &format!("\"latency_ms\":{MARKER_MS},")]);
    let servers: Vec<u32> = common::processes_with(&[" serve ", "--exit-with-parent"])
        .into_iter()
        .filter(|(_, parent, _)| *parent == pid)
        .map(|(server, _, _)| server)
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
    // The other cells (the other backend, and its labelled idiom) ran against the
    // restarted server.
    let ok: Vec<&serde_json::Value> = cells.iter().filter(|c| c["status"] == "ok").collect();
    assert_eq!(ok.len(), cells.len() - 1, "{cells:?}");
    assert!(!ok.is_empty());
    fs::remove_dir_all(&out).unwrap();
}
