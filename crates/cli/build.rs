//! Records, at build time, the rustc version and the version of each runtime crate from
//! Cargo.lock, so results.json can say exactly what was measured.

use std::path::Path;
use std::process::Command;

/// The crates whose versions the report shows.
const CRATES: &[&str] = &[
    "tokio",
    "smol",
    "async-executor",
    "async-io",
    "blocking",
    "async-std",
    "async-global-executor",
    "crossbeam-channel",
    "rayon",
    "rayon-core",
];

fn main() {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = std::fs::read_to_string(&lock).unwrap_or_default();
    let mut versions = Vec::new();
    let mut name = None;
    for line in text.lines() {
        if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"').to_string());
        } else if let (Some(value), Some(current)) = (line.strip_prefix("version = "), &name) {
            if CRATES.contains(&current.as_str()) {
                versions.push(format!("{current}={}", value.trim_matches('"')));
            }
            name = None;
        }
    }
    println!(
        "cargo:rustc-env=SHOOTOUT_CRATE_VERSIONS={}",
        versions.join(",")
    );

    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=SHOOTOUT_RUSTC_VERSION={}", version.trim());
    println!(
        "cargo:rustc-env=SHOOTOUT_BUILD_PROFILE={}",
        std::env::var("PROFILE").unwrap_or_default()
    );
}
