//! Records, at build time, the rustc version and the version of every crate in Cargo.lock,
//! so results.json can say exactly what was measured: each backend names the crates it
//! is made of (`BackendInfo::crates`), and the binary looks their versions up here.

use std::path::Path;
use std::process::Command;

fn main() {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = std::fs::read_to_string(&lock).unwrap_or_default();
    // name -> versions (a crate can be in the lock twice, e.g. async-channel 1 and 2).
    let mut versions: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut name = None;
    for line in text.lines() {
        if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"').to_string());
        } else if let (Some(value), Some(current)) = (line.strip_prefix("version = "), name.take())
        {
            versions
                .entry(current)
                .or_default()
                .push(value.trim_matches('"').to_string());
        }
    }
    let versions: Vec<String> = versions
        .into_iter()
        .map(|(name, versions)| format!("{name}={}", versions.join(" and ")))
        .collect();
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
