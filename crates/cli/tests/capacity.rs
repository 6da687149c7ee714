//! The capacity search, end to end in a trial process: every step a verified paced run,
//! judged against the SLO; the trial's figure the highest rate that held.

use std::process::Command;

use serde_json::Value;

/// One capacity trial on tokio searching up to `rate` with `slo_ms`, each step at least
/// `requests` arrivals against a server that waits `latency_ms`.
fn search(rate: u64, slo_ms: u64, latency_ms: u64, requests: u64) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args(["trial", "--backend", "tokio", "--workload", "capacity"])
        .args(["--threads", "2", "--connections", "4", "--body-bytes", "16"])
        .args(["--rate", &rate.to_string(), "--slo-ms", &slo_ms.to_string()])
        .args(["--latency-ms", &latency_ms.to_string()])
        .args(["--requests", &requests.to_string()])
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("trial prints JSON")
}

fn rates(record: &Value) -> Vec<f64> {
    record["capacity"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["rate"].as_f64().unwrap())
        .collect()
}

#[test]
fn a_client_that_holds_every_rate_doubles_to_the_ceiling() {
    // 4 connections at no delay carry thousands a second: 10/s to 640/s all hold within a
    // generous SLO, so the search doubles and stops at the highest rate.
    let record = search(640, 1_000, 0, 1);
    assert_eq!(record["verified"], true, "{record}");
    assert_eq!(
        rates(&record),
        [10.0, 20.0, 40.0, 80.0, 160.0, 320.0, 640.0]
    );
    let found = &record["capacity"];
    assert_eq!(found["rate"], 640.0);
    assert_eq!(found["at_ceiling"], true);
    // Each step offered at least a quarter second of arrivals, and the record sums them.
    let steps = found["steps"].as_array().unwrap();
    assert!(
        steps
            .iter()
            .all(|s| s["requests"].as_u64().unwrap() as f64 >= s["rate"].as_f64().unwrap() / 4.0)
    );
    let total: u64 = steps.iter().map(|s| s["requests"].as_u64().unwrap()).sum();
    assert_eq!(record["ops"].as_u64(), Some(total));
    // The fetch report is the step at the rate found: paced, timed from due.
    assert!(record["fetch"]["from_due_us"]["p99"].as_u64().is_some());
}

#[test]
fn an_slo_below_the_server_delay_holds_no_rate() {
    // Every request waits 5 ms at the server: a 1 ms SLO on p99 fails the first step, and
    // the trial says so with no rate rather than failing.
    let record = search(6_400, 1, 5, 20);
    assert_eq!(record["verified"], true, "{record}");
    assert_eq!(rates(&record), [100.0]);
    let found = &record["capacity"];
    assert_eq!(found["rate"], Value::Null);
    assert_eq!(found["at_ceiling"], false);
    assert!(found["steps"][0]["p99_us"].as_u64().unwrap() >= 5_000);
}

#[test]
fn a_capacity_cell_needs_a_rate_and_names_the_flag() {
    let out = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args([
            "run",
            "--profile",
            "full",
            "--workload",
            "capacity",
            "--rate",
            "0",
        ])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--rate"), "{stderr}");
}
