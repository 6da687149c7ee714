//! What the end-to-end tests share: the backends, as the binary lists them from the
//! registry (no test keeps its own list of names).

use std::process::Command;

/// Every registered backend's name, in registry order, from `shootout list`.
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

/// The registered backends whose `shootout list` line names `family` (its label in
/// brackets, e.g. `[processes; std]`).
#[allow(dead_code)]
pub fn backends_in_family(family: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .arg("list")
        .output()
        .expect("the binary runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let wanted = format!("[{family};");
    backends()
        .into_iter()
        .filter(|name| {
            text.lines()
                .any(|l| l.starts_with(&format!("  {name} ")) && l.contains(&wanted))
        })
        .collect()
}
