//! A run stopped by SIGINT, SIGTERM or SIGHUP (sent to its PID only, as `kill` does, not to
//! its process group as a terminal's Ctrl-C does): the trial in flight is killed, nothing
//! finished is lost, the report is regenerated marked partial, the terminal says how to go
//! on, and the exit code is 128 + the signal. A run killed by SIGKILL, which nothing can
//! catch, still leaves no trial behind: each trial dies with its parent.

use std::fs;
use std::io::{BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

/// A cpu size no other test uses, to find this test's trial processes by their command line.
const MARKER_N: &str = "987654321987";

#[test]
fn a_stopped_run_keeps_what_finished_and_leaves_no_trial_behind() {
    let sequential = common::pick("the sequential baseline", |b| b["family"] == "sequential");
    for (signal, name, code) in [
        ("INT", "SIGINT", Some(130)),
        ("TERM", "SIGTERM", Some(143)),
        ("HUP", "SIGHUP", Some(129)),
        ("KILL", "SIGKILL", None),
    ] {
        let out =
            std::env::temp_dir().join(format!("shootout-signal-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&out);
        // A quick sleep group first, then a cpu cell that would run for minutes.
        let mut child = Command::new(env!("CARGO_BIN_EXE_shootout"))
            .args(["run", "--backend", &sequential, "--workload", "sleep,cpu"])
            .args([
                "--tasks",
                "3",
                "--sleep-ms",
                "1",
                "--n",
                MARKER_N,
                "--jobs",
                "2",
            ])
            .args(["--trials", "2", "--max-predicted", "3600", "--out"])
            .arg(&out)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        // Wait for the sleep group's lines, then for the cpu trial to start.
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let seen = common::read_until(&mut stdout, "sleep tasks=3");
        common::wait_for_process(&[" trial ", MARKER_N]);
        let kill = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let status = child.wait().unwrap();
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert_eq!(status.code(), code, "{name}: {seen}{rest}{stderr}");

        // No trial outlives the run.
        let deadline = Instant::now() + Duration::from_secs(5);
        while !common::processes_with(&[MARKER_N]).is_empty() {
            assert!(
                Instant::now() < deadline,
                "{name}: left behind: {:?}",
                common::processes_with(&[MARKER_N])
            );
            std::thread::sleep(Duration::from_millis(50));
        }

        // SIGKILL leaves results.json as the last save wrote it, whole.
        let results: serde_json::Value =
            serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
        if code.is_none() {
            assert_eq!(results["complete"], false);
            fs::remove_dir_all(&out).unwrap();
            continue;
        }
        // The finished cell is kept, verified; the killed trial is not counted against cpu.
        let results: serde_json::Value =
            serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
        assert_eq!(results["complete"], false);
        assert!(
            results["stopped"].as_str().unwrap().starts_with(name),
            "{results}"
        );
        let cells = results["cells"].as_array().unwrap();
        let sleep = cells.iter().find(|c| c["workload"] == "sleep");
        let sleep = sleep.unwrap_or_else(|| panic!("{name}: the sleep cell was kept: {results}"));
        assert_eq!(sleep["status"], "ok");
        assert_eq!(sleep["trials"].as_array().unwrap().len(), 2);
        assert!(
            cells.iter().all(|c| c["status"] != "failed"),
            "{name}: a killed trial failed its cell: {results}"
        );
        // The page and summary.md say it is partial, and the terminal says how to go on.
        let page = fs::read_to_string(out.join("index.html")).unwrap();
        assert!(
            page.contains(&format!("Partial: this run was stopped by {name}")),
            "{name}"
        );
        let summary = fs::read_to_string(out.join("summary.md")).unwrap();
        assert!(summary.contains("Partial: "), "{summary}");
        let said = stderr.replace('\n', " ");
        assert!(said.contains(&format!("Stopped by {name}")), "{stderr}");
        assert!(
            said.contains("run the same command with --resume"),
            "{stderr}"
        );
        fs::remove_dir_all(&out).unwrap();
    }
}
