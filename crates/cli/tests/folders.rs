//! Nothing is overwritten by surprise: each run gets its own folder under reports/, with
//! reports/latest pointing at the newest; an occupied --out is refused unless --force; and a
//! run compares itself with the previous run of its profile.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

/// Runs the binary in `cwd`.
fn shootout(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shootout"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A tiny custom run: the sequential baseline sleeping three tasks, two trials.
const TINY: [&str; 10] = [
    "run",
    "--workload",
    "sleep",
    "--tasks",
    "3",
    "--sleep-ms",
    "1",
    "--trials",
    "2",
    "--backend",
];

fn tiny(cwd: &Path, extra: &[&str]) -> Output {
    let sequential = common::pick("the sequential baseline", |b| b["family"] == "sequential");
    let mut args: Vec<&str> = TINY.to_vec();
    args.push(&sequential);
    args.extend(extra);
    shootout(cwd, &args)
}

fn run_folders(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(root)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn each_run_gets_its_own_folder_and_compares_with_the_previous_one() {
    let cwd = std::env::temp_dir().join(format!("shootout-folders-{}", std::process::id()));
    let _ = fs::remove_dir_all(&cwd);
    fs::create_dir_all(&cwd).unwrap();
    let reports = cwd.join("reports");

    let first = tiny(&cwd, &[]);
    assert!(first.status.success(), "{}", text(&first));
    assert!(
        !text(&first).contains("Against the previous"),
        "nothing to compare with yet: {}",
        text(&first)
    );
    // Runs within the same second still get folders of their own.
    let second = tiny(&cwd, &[]);
    assert!(second.status.success(), "{}", text(&second));
    let folders = run_folders(&reports);
    assert_eq!(folders.len(), 2, "{folders:?}");
    for folder in &folders {
        assert!(folder.join("results.json").exists());
        assert!(folder.join("index.html").exists());
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.len() >= 20 && name.contains('T') && name[..20].ends_with('Z'),
            "a UTC timestamp: {name}"
        );
    }
    // reports/latest is a link to the newest folder.
    let latest = reports.join("latest");
    assert!(latest.is_symlink());
    let target = fs::read_link(&latest).unwrap();
    let second_folder = folders
        .iter()
        .find(|f| {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            // Wrapping may break the line before the path, never inside it.
            text(&second).contains(&format!("reports/{name}/index.html"))
        })
        .expect("the second run names its folder");
    assert_eq!(target.as_os_str(), second_folder.file_name().unwrap());

    // The second run compared itself with the first, in the terminal, on the page and in
    // summary.md, and recorded which run it was.
    let said = text(&second);
    assert!(said.contains("Against the previous custom run ("), "{said}");
    assert!(said.contains("cell verified in both runs"), "{said}");
    let summary = fs::read_to_string(latest.join("summary.md")).unwrap();
    assert!(summary.contains("Against the baseline: "), "{summary}");
    let page = fs::read_to_string(latest.join("index.html")).unwrap();
    assert!(page.contains("Against the baseline"));
    let results: serde_json::Value =
        serde_json::from_slice(&fs::read(latest.join("results.json")).unwrap()).unwrap();
    let compared = results["settings"]["compared_with"].as_str().unwrap();
    assert!(compared.ends_with("results.json"), "{compared}");
    assert!(!compared.contains(&*second_folder.file_name().unwrap().to_string_lossy()));

    // An explicit --out that holds results is refused, exit 2, and nothing in it changes.
    let before = fs::read(latest.join("results.json")).unwrap();
    let refused = tiny(&cwd, &["--out", "reports/latest"]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("--out reports/latest already holds results"),
        "{message}"
    );
    assert!(message.contains("--force"), "{message}");
    assert_eq!(fs::read(latest.join("results.json")).unwrap(), before);

    // With --force it runs, keeps what was there as baseline.json, and compares with it.
    let forced = tiny(&cwd, &["--out", "reports/latest", "--force"]);
    assert!(forced.status.success(), "{}", text(&forced));
    assert_eq!(fs::read(latest.join("baseline.json")).unwrap(), before);
    assert!(
        text(&forced).contains("baseline.json): "),
        "{}",
        text(&forced)
    );

    // `shootout report` with no arguments regenerates the latest run's page in its folder.
    let report = shootout(&cwd, &["report"]);
    assert!(report.status.success(), "{}", text(&report));
    assert_eq!(
        String::from_utf8_lossy(&report.stdout).trim(),
        "reports/latest/index.html"
    );
    fs::remove_dir_all(&cwd).unwrap();
}

#[test]
fn force_keeps_whatever_the_folder_held_byte_for_byte() {
    // A results.json this build cannot read (a newer schema, a torn file): --force replaces
    // it, and its bytes are kept as baseline.json all the same.
    let cwd = std::env::temp_dir().join(format!("shootout-force-{}", std::process::id()));
    let _ = fs::remove_dir_all(&cwd);
    let out = cwd.join("out");
    fs::create_dir_all(&out).unwrap();
    let unreadable = b"{\"schema_version\": 999, \"torn";
    fs::write(out.join("results.json"), unreadable).unwrap();
    let sequential = common::pick("the sequential baseline", |b| b["family"] == "sequential");
    let mut args = TINY.to_vec();
    args.extend([sequential.as_str(), "--out", "out"]);
    let refused = shootout(&cwd, &args);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    args.push("--force");
    let forced = shootout(&cwd, &args);
    assert!(forced.status.success(), "{}", text(&forced));
    assert_eq!(fs::read(out.join("baseline.json")).unwrap(), unreadable);
    let results: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["complete"], true);
    fs::remove_dir_all(&cwd).unwrap();
}
