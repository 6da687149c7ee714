//! What the end-to-end tests share: the backends, as the binary lists them from the
//! registry (no test keeps its own list of names).

use std::process::Command;

use serde_json::Value;

/// Every registered backend's name, in registry order, from `shootout list`.
#[allow(dead_code)]
pub fn backends() -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .arg("list")
        .output()
        .expect("the binary runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let names: Vec<String> = text
        .lines()
        .skip_while(|line| *line != "backends:")
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        // A backend's own line: two spaces, then its name (detail lines are indented more).
        .filter(|line| !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next().map(str::to_string))
        .collect();
    // Eight when this was written; a test iterating none would pass without testing.
    assert!(
        names.len() >= 8,
        "shootout list names too few backends: {names:?}"
    );
    names
}

/// What every registered backend says about itself, from `shootout list --json`.
#[allow(dead_code)]
pub fn facts() -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args(["list", "--json"])
        .output()
        .expect("the binary runs");
    serde_json::from_slice(&out.stdout).expect("list --json prints JSON")
}

/// What backend `name` says about itself.
#[allow(dead_code)]
pub fn facts_of(name: &str) -> Value {
    facts()
        .into_iter()
        .find(|b| b["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not registered"))
}

/// The first registered backend that `wanted` accepts: tests name backends by what they
/// offer, never by name.
#[allow(dead_code)]
pub fn pick(what: &str, wanted: impl Fn(&Value) -> bool) -> String {
    facts()
        .into_iter()
        .find(|b| wanted(b))
        .and_then(|b| b["name"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("no registered backend offers {what}"))
}

/// Whether the list `field` of backend `b` holds `item`.
#[allow(dead_code)]
pub fn lists(b: &Value, field: &str, item: &str) -> bool {
    b[field]
        .as_array()
        .is_some_and(|items| items.iter().any(|i| i == item))
}

/// Why `workload` does not apply to backend `b`, if it declares so.
#[allow(dead_code)]
pub fn reason(b: &Value, workload: &str) -> Option<String> {
    b["not_applicable"]
        .as_array()?
        .iter()
        .find(|n| n["workload"] == workload)
        .and_then(|n| n["reason"].as_str().map(str::to_string))
}
