//! What the end-to-end tests share: the backends, as the binary lists them from the
//! registry (no test keeps its own list of names).

use std::process::Command;

use serde_json::Value;

/// Every registered backend's name, in registry order, from `shootout list`.
#[allow(dead_code)]
pub fn registered() -> Vec<String> {
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

/// Every backend that can run on this machine, in registry order. Each registered backend
/// that cannot (io_uring blocked, say) is named with its reason on the test's stderr, past
/// the test harness's capture, so a skip is visible in every test run, not only a failing
/// one.
#[allow(dead_code)]
pub fn backends() -> Vec<String> {
    let facts = facts();
    let available: Vec<String> = registered()
        .into_iter()
        .filter(
            |name| match facts.iter().find(|b| b["name"] == name.as_str()) {
                Some(b) => match b["unavailable"].as_str() {
                    Some(why) => {
                        skipped(name, why);
                        false
                    }
                    None => true,
                },
                None => panic!("{name} is listed but not in list --json"),
            },
        )
        .collect();
    assert!(
        !available.is_empty(),
        "no backend can run on this machine: {facts:?}"
    );
    available
}

/// Says, past the test harness's capture, that `backend` is left out here and why.
#[allow(dead_code)]
pub fn skipped(backend: &str, why: &str) {
    shootout_core::conformance::skipped(backend, why);
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

/// Reads `stdout` line by line until one holds `needle`; returns what was read. Fails the
/// test if the output ends first.
#[allow(dead_code)]
pub fn read_until(stdout: &mut impl std::io::BufRead, needle: &str) -> String {
    let mut seen = String::new();
    while !seen.contains(needle) {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "output ended before '{needle}': {seen}"
        );
        seen += &line;
    }
    seen
}

/// Live processes (not zombies) whose command line holds every one of `needles`, as
/// (pid, parent pid, command line).
#[allow(dead_code)]
pub fn processes_with(needles: &[&str]) -> Vec<(u32, u32, String)> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_string_lossy().parse().ok()?;
            let cmdline = std::fs::read(e.path().join("cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            let mut fields = stat.rsplit(')').next()?.split_whitespace();
            let state = fields.next()?;
            let ppid: u32 = fields.next()?.parse().ok()?;
            (state != "Z" && needles.iter().all(|n| cmdline.contains(n)))
                .then_some((pid, ppid, cmdline))
        })
        .collect()
}

/// Waits up to 30 s until a process whose command line holds every one of `needles` runs.
#[allow(dead_code)]
pub fn wait_for_process(needles: &[&str]) {
    let started = std::time::Instant::now();
    while processes_with(needles).is_empty() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "no process with {needles:?} started"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
