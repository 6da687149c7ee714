//! The harness on the test doubles (`shootout-mock`, registered here by `SHOOTOUT_MOCK=1`):
//! a whole run, its plan, order, files, report and verdicts, in seconds and deciding the
//! same way every time, because the doubles' times are synthetic and twice apart.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A small profile of one's own: every workload the doubles answer, sized to take
/// milliseconds.
const PROFILE: &str = r#"
name = "mock"
trials = 6
fit_s = 0.05
max_predicted_s = 5

[[cell]]
workload = "sleep"
tasks = 100
sleep_ms = 20
why = "waits: the async double holds every task in flight, the pool two"

[[cell]]
workload = "fetch"
requests = 128
concurrency = 64
latency_ms = 10
body_bytes = 64
timeout_ms = 10000
twin = "async-runtime"
why = "latency"

[[cell]]
workload = "cpu"
n = 2000000
jobs = 8
why = "the kernel at the doubles' 0.1 Gelem/s"

[[cell]]
workload = "blocking"
tickers = 2
ticks = 5
tick_us = 1000
n = 1000000
jobs = 2
mode = ["inline", "offload"]
why = "inline against offloaded"
"#;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("shootout-mock-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// `shootout run` on the two doubles with [`PROFILE`], writing into `out`.
fn run(dir: &Path, out: &str, seed: &str) -> Output {
    let profile = dir.join("mock.toml");
    fs::write(&profile, PROFILE).unwrap();
    Command::new(env!("CARGO_BIN_EXE_shootout"))
        .env("SHOOTOUT_MOCK", "1")
        .args(["run", "--backend", "mock-fast,mock-slow", "--seed", seed])
        .arg("--profile-file")
        .arg(&profile)
        .arg("--out")
        .arg(dir.join(out))
        .output()
        .expect("the binary runs")
}

/// The verdict of each row of summary.md: `(workload, verdict)`.
fn verdicts(summary: &str) -> Vec<(String, String)> {
    summary
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| workload"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let verdict = cells[7].split("**").nth(1).unwrap_or("").to_string();
            (cells[1].to_string(), verdict)
        })
        .collect()
}

#[test]
fn a_run_on_the_doubles_decides_the_same_way_every_time() {
    let dir = scratch("decides");
    let mut seen = Vec::new();
    for (out, seed) in [("a", "1"), ("b", "2")] {
        let output = run(&dir, out, seed);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        let text = fs::read_to_string(dir.join(out).join("results.json")).unwrap();
        let results: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(results["complete"], true);
        assert_eq!(results["settings"]["profile"], "mock");
        let cells = results["cells"].as_array().unwrap();
        // Every cell of the profile on both doubles, the A/A twin, and the pool's blocking
        // cell it cannot offload, skipped with its reason.
        assert!(cells.len() >= 9, "{} cells", cells.len());
        for cell in cells {
            let status = cell["status"].as_str().unwrap();
            assert!(
                status == "ok"
                    || cell["reason"]
                        .as_str()
                        .is_some_and(|r| r.contains("not applicable")),
                "{cell}"
            );
        }
        let summary = fs::read_to_string(dir.join(out).join("summary.md")).unwrap();
        seen.push(verdicts(&summary));
    }
    // The async double is twice as fast everywhere and offloading helps it: each rule of
    // thumb is judged the same way on both runs, whatever the order.
    assert_eq!(seen[0], seen[1]);
    let expected = [
        ("sleep", "confirmed"),
        ("fetch (latency)", "confirmed"),
        ("cpu", "contradicted"),
        ("blocking", "confirmed"),
    ];
    for (workload, verdict) in expected {
        assert!(
            seen[0].iter().any(|(w, v)| w == workload && v == verdict),
            "{workload}: {verdict} in {:?}",
            seen[0]
        );
    }
}

/// A profile of one cpu group that stands as the Summary row and a smaller one that does
/// not, on both doubles.
const ONE_CELL: &str = r#"
name = "mock"
trials = 6
fit_s = 0.05
max_predicted_s = 5

[[cell]]
workload = "cpu"
n = 1000000
jobs = 8
why = "one group, judged by a rule, the doubles 2x apart (10 and 20 ms)"

[[cell]]
workload = "cpu"
n = 500000
jobs = 8
why = "a smaller size: shown, not the row, so never given more rounds"
"#;

/// `shootout run` of [`ONE_CELL`] with the doubles' times jittered up to 30-fold, and
/// `budget` seconds for more rounds; the recorded cells.
fn jittered(dir: &Path, out: &str, budget: &str) -> Vec<Value> {
    let profile = dir.join("one.toml");
    fs::write(&profile, ONE_CELL).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .env("SHOOTOUT_MOCK", "1")
        .env("SHOOTOUT_MOCK_JITTER", "30")
        .args([
            "run",
            "--backend",
            "mock-fast,mock-slow",
            "--budget",
            budget,
        ])
        .arg("--profile-file")
        .arg(&profile)
        .arg("--out")
        .arg(dir.join(out))
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = fs::read_to_string(dir.join(out).join("results.json")).unwrap();
    let results: Value = serde_json::from_str(&text).unwrap();
    results["cells"].as_array().unwrap().clone()
}

#[test]
fn an_undecided_row_gets_more_rounds_at_its_looks_share_of_the_level() {
    let dir = scratch("looks");
    // Without a budget, the plan alone: six rounds, no looks, the full level.
    for cell in jittered(&dir, "fixed", "0") {
        assert_eq!(cell["trials"].as_array().unwrap().len(), 6);
        assert!(cell.get("looks").is_none(), "{cell}");
    }
    // With one: a look after the six planned rounds at 4%, and while undecided, two rounds
    // more and a look at 0.5%, at most twice; every look on every cell of the group.
    let (cells, smaller): (Vec<Value>, Vec<Value>) = jittered(&dir, "budget", "60")
        .into_iter()
        .partition(|cell| cell["params"]["n"] == 1_000_000);
    for cell in &smaller {
        assert!(cell.get("looks").is_none(), "{cell}");
        assert_eq!(cell["trials"].as_array().unwrap().len(), 6);
    }
    let looks = cells[0]["looks"]
        .as_array()
        .expect("looks recorded")
        .clone();
    for cell in &cells {
        assert_eq!(cell["looks"].as_array().unwrap(), &looks);
        let last = looks.last().unwrap()["rounds"].as_u64().unwrap();
        assert_eq!(cell["trials"].as_array().unwrap().len() as u64, last);
    }
    assert_eq!(looks[0]["rounds"], 6);
    assert!((looks[0]["alpha"].as_f64().unwrap() - 0.04).abs() < 1e-12);
    for pair in looks.windows(2) {
        assert_eq!(pair[0]["decided"], false, "a decided group looks no more");
        assert_eq!(
            pair[1]["rounds"].as_u64().unwrap(),
            pair[0]["rounds"].as_u64().unwrap() + 2
        );
        assert!((pair[1]["alpha"].as_f64().unwrap() - 0.005).abs() < 1e-12);
    }
    // A 30-fold jitter hides the doubles' 2x: the planned look is rarely decided, and then
    // the group looked again, up to twice more.
    let last = looks.last().unwrap();
    assert!(last["decided"] == true || looks.len() == 3, "{looks:?}");
    // The page states the rule, and names the group where it took more rounds.
    let summary = fs::read_to_string(dir.join("budget").join("summary.md")).unwrap();
    assert!(
        summary.contains("a Bonferroni split of 5% over the looks"),
        "{summary}"
    );
    assert_eq!(
        summary.contains("Took more: cpu"),
        looks.len() > 1,
        "{summary}"
    );
}
