//! The files workload's folder under `--dir`: made in a folder of its own, read, and deleted
//! at the end, also when the run is stopped by SIGINT; what else the folder held is never
//! touched.

use std::fs;
use std::io::BufReader;
use std::process::{Command, Stdio};

mod common;

/// A cpu size no other test uses, to find this test's trial processes by their command line.
const MARKER_N: &str = "876543218765";

/// The folders a run made under `dir`.
fn made_under(dir: &std::path::Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "keep.txt")
        .collect()
}

#[test]
fn a_stopped_run_deletes_its_file_sets_and_nothing_else() {
    let sequential = common::pick("the sequential baseline", |b| b["family"] == "sequential");
    let root = std::env::temp_dir().join(format!("shootout-files-dir-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let (dir, out) = (root.join("disk"), root.join("out"));
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("keep.txt"), "the user's own data").unwrap();
    // A small files cell first, then a cpu cell that would run for minutes.
    let mut child = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args(["run", "--backend", &sequential, "--workload", "files,cpu"])
        .args(["--shape", "small-files", "--files", "50", "--ops", "50"])
        .args([
            "--file-bytes",
            "1000",
            "--concurrency",
            "4",
            "--cache",
            "warm",
        ])
        .args(["--n", MARKER_N, "--jobs", "2"])
        .args(["--trials", "2", "--max-predicted", "3600", "--dir"])
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let seen = common::read_until(&mut stdout, "files shape=small-files");
    common::wait_for_process(&[" trial ", MARKER_N]);
    // While the run goes on, its file set is in a folder of its own beside the user's file.
    let during = made_under(&dir);
    assert_eq!(during.len(), 1, "{during:?}");
    assert!(during[0].starts_with("shootout-scratch-"), "{during:?}");
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{seen}");
    assert_eq!(made_under(&dir), Vec::<String>::new());
    assert_eq!(
        fs::read_to_string(dir.join("keep.txt")).unwrap(),
        "the user's own data"
    );
    // The files cell finished, verified, each trial saying what the device read.
    let results: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
    let cell = results["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["workload"] == "files")
        .unwrap_or_else(|| panic!("the files cell was kept: {results}"));
    assert_eq!(cell["status"], "ok", "{cell}");
    for trial in cell["trials"].as_array().unwrap() {
        assert!(trial["record"]["device_read_bytes"].is_u64(), "{trial}");
        assert_eq!(trial["record"]["files"]["reads"], 50, "{trial}");
    }
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_write_cell_writes_reads_back_and_leaves_nothing_under_its_folder() {
    let sequential = common::pick("the sequential baseline", |b| b["family"] == "sequential");
    let root = std::env::temp_dir().join(format!("shootout-files-write-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let (dir, out) = (root.join("disk"), root.join("out"));
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("keep.txt"), "the user's own data").unwrap();
    // The sizes not given (the file's, the blocks') are the first built-in log cell's.
    let run = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args(["run", "--backend", &sequential, "--workload", "files"])
        .args(["--shape", "log", "--ops", "64", "--file-bytes", "262144"])
        .args(["--trials", "2", "--dir"])
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("the binary runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(made_under(&dir), Vec::<String>::new());
    let results: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
    let cell = &results["cells"][0];
    assert_eq!(cell["params"]["shape"], "log", "{cell}");
    assert_eq!(cell["status"], "ok", "{cell}");
    for trial in cell["trials"].as_array().unwrap() {
        let record = &trial["record"];
        assert_eq!(record["verified"], true, "{trial}");
        assert_eq!(record["files"]["reads"], 64, "{trial}");
        assert!(record["device_write_bytes"].is_u64(), "{trial}");
    }
    fs::remove_dir_all(&root).unwrap();
}
