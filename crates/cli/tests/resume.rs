//! `run --resume DIR`: an interrupted run goes on where it stopped. Finished groups are
//! kept as measured, the group that was cut short is measured again, and a command or
//! machine that would plan another run is refused.

use std::fs;
use std::io::BufReader;
use std::process::{Command, Stdio};

use serde_json::Value;

mod common;

/// A cpu size no other test uses, to find this test's cpu trials by their command line.
const MARKER_N: &str = "200000007";

fn results(dir: &std::path::Path) -> Value {
    serde_json::from_slice(&fs::read(dir.join("results.json")).unwrap()).unwrap()
}

/// The run's sleep cell, when it recorded one.
fn sleep_cell(results: &Value) -> Option<Value> {
    results["cells"]
        .as_array()?
        .iter()
        .find(|c| c["workload"] == "sleep")
        .cloned()
}

#[test]
fn an_interrupted_run_resumes_keeping_what_finished() {
    let sequential = common::pick("the sequential baseline", |b| b["family"] == "sequential");
    let out = std::env::temp_dir().join(format!("shootout-resume-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    let args = |trials: &str| -> Vec<String> {
        [
            "run",
            "--backend",
            &sequential,
            "--workload",
            "sleep,cpu",
            "--tasks",
            "3",
            "--sleep-ms",
            "1",
            "--n",
            MARKER_N,
            "--jobs",
            "2",
            "--trials",
            trials,
            "--max-predicted",
            "600",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let shootout = || Command::new(env!("CARGO_BIN_EXE_shootout"));

    // Interrupted once the sleep group has finished and a cpu trial runs.
    // The run, started with `--out` or `--resume` into `out`, in the background.
    let start = |flag: &str, stdout: Stdio| {
        shootout()
            .args(args("2"))
            .arg(flag)
            .arg(&out)
            .stdout(stdout)
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut first = start("--out", Stdio::piped());
    let mut stdout = BufReader::new(first.stdout.take().unwrap());
    common::read_until(&mut stdout, "sleep tasks=3");
    common::wait_for_process(&[" trial ", MARKER_N]);
    Command::new("kill")
        .args(["-INT", &first.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(first.wait().unwrap().code(), Some(130));
    let before = results(&out);
    assert_eq!(before["complete"], false);
    let sleep_before = sleep_cell(&before).expect("the sleep cell was kept");

    // A resume with another command, refused (exit 2) with nothing written: what it said.
    let refused = |argv: Vec<String>| -> String {
        let refused = shootout()
            .args(argv)
            .arg("--resume")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(refused.status.code(), Some(2));
        assert_eq!(results(&out), before);
        String::from_utf8_lossy(&refused.stderr).into_owned()
    };
    // Another command (3 trials, not 2) would plan another run.
    let said = refused(args("3"));
    assert!(said.contains("trials per cell 2 then, 3 now"), "{said}");
    // So would another size with as many cells: the cell is named.
    let mut other_size = args("2");
    let at = other_size.iter().position(|a| a == "--sleep-ms").unwrap();
    other_size[at + 1] = "2".into();
    let said = refused(other_size);
    assert!(
        said.contains("\"sleep_ms\":1") && said.contains("\"sleep_ms\":2"),
        "{said}"
    );

    // A resume killed outright (SIGKILL: no handler runs) once it is measuring: every cell
    // the interrupted run kept is still on disk.
    let mut killed = start("--resume", Stdio::null());
    common::wait_for_process(&[" trial ", MARKER_N]);
    killed.kill().unwrap();
    killed.wait().unwrap();
    let on_disk = results(&out);
    assert_eq!(on_disk["complete"], false);
    let sleep_on_disk =
        sleep_cell(&on_disk).expect("the kept sleep cell survived a SIGKILL of the resume");
    assert_eq!(sleep_on_disk["trials"], sleep_before["trials"]);

    // The same command resumes: the sleep group as it was, the cpu group measured whole.
    let resumed = shootout()
        .args(args("2"))
        .arg("--resume")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        resumed.status.success(),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    let after = results(&out);
    assert_eq!(after["complete"], true);
    assert!(after["stopped"].is_null());
    assert_eq!(after["started_unix_s"], before["started_unix_s"]);
    let cells = after["cells"].as_array().unwrap();
    assert_eq!(
        cells.len(),
        after["settings"]["cells_planned"].as_u64().unwrap() as usize
    );
    let sleep_after = cells.iter().find(|c| c["workload"] == "sleep").unwrap();
    assert_eq!(
        sleep_after["trials"], sleep_before["trials"],
        "kept as measured"
    );
    for cell in cells.iter().filter(|c| c["workload"] == "cpu") {
        assert_eq!(cell["status"], "ok", "{cell}");
        assert_eq!(cell["trials"].as_array().unwrap().len(), 2);
        // Numbered after the kept trials.
        for trial in cell["trials"].as_array().unwrap() {
            assert!(trial["position"].as_u64().unwrap() >= 2);
        }
    }

    // A complete run has nothing to resume.
    let again = shootout()
        .args(args("2"))
        .arg("--resume")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing to resume"));
    fs::remove_dir_all(&out).unwrap();
}
