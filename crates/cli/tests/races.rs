//! Two runs started at the same instant never lose each other's results: into one `--out`,
//! one of them is refused (exit 2) and the other's results are on disk; into the default
//! `reports/`, each takes a folder of its own. Each case is repeated enough times to catch
//! a race that loses one pair in five.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};

mod common;

/// Pairs started per case: a race hit in one pair of five escapes all of them with
/// probability 0.8^12, under 7%.
const PAIRS: usize = 12;

/// A run small enough to take a few milliseconds: one sequential cpu trial.
fn tiny_run(cwd: &Path, out: Option<&Path>) -> Command {
    let sequential = common::pick("the sequential baseline", |b| b["family"] == "sequential");
    let mut command = Command::new(env!("CARGO_BIN_EXE_shootout"));
    command
        .current_dir(cwd)
        .args(["run", "--backend", &sequential, "--workload", "cpu"])
        .args(["--n", "1000", "--jobs", "1", "--trials", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(out) = out {
        command.arg("--out").arg(out);
    }
    command
}

/// Starts both commands from two threads released by one barrier, and waits for both:
/// (exit code, stderr) of each.
fn race(first: Command, second: Command) -> [(Option<i32>, String); 2] {
    let barrier = Arc::new(Barrier::new(2));
    let start = |mut command: Command| {
        let barrier = Arc::clone(&barrier);
        std::thread::spawn(move || {
            barrier.wait();
            let child: Child = command.spawn().expect("the binary runs");
            let out = child.wait_with_output().unwrap();
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        })
    };
    let (a, b) = (start(first), start(second));
    [a.join().unwrap(), b.join().unwrap()]
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("shootout-race-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn complete(results: &Path) -> bool {
    std::fs::read(results)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|r| r["complete"] == true)
}

#[test]
fn two_runs_into_one_out_folder_refuse_one_and_keep_the_other() {
    let cwd = scratch("out");
    for pair in 0..PAIRS {
        let out = cwd.join(format!("pair-{pair}"));
        let ended = race(tiny_run(&cwd, Some(&out)), tiny_run(&cwd, Some(&out)));
        let mut codes: Vec<Option<i32>> = ended.iter().map(|(code, _)| *code).collect();
        codes.sort();
        assert_eq!(codes, [Some(0), Some(2)], "pair {pair}: {ended:?}");
        let refusal = &ended.iter().find(|(code, _)| *code == Some(2)).unwrap().1;
        assert!(
            refusal.contains("another run") || refusal.contains("already holds results"),
            "pair {pair}: {refusal}"
        );
        assert!(complete(&out.join("results.json")), "pair {pair}");
    }
    std::fs::remove_dir_all(&cwd).unwrap();
}

#[test]
fn two_default_runs_in_the_same_second_take_two_folders() {
    for pair in 0..PAIRS {
        let cwd = scratch(&format!("default-{pair}"));
        let ended = race(tiny_run(&cwd, None), tiny_run(&cwd, None));
        for (code, stderr) in &ended {
            assert_eq!(*code, Some(0), "pair {pair}: {stderr}");
        }
        let folders: Vec<PathBuf> = std::fs::read_dir(cwd.join("reports"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.file_name().is_some_and(|n| n != "latest"))
            .collect();
        assert_eq!(folders.len(), 2, "pair {pair}: {folders:?}");
        for folder in &folders {
            assert!(
                complete(&folder.join("results.json")),
                "pair {pair}: {folder:?}"
            );
        }
        std::fs::remove_dir_all(&cwd).unwrap();
    }
}
