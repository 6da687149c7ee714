//! Records, at build time, the rustc version, the version of every crate in Cargo.lock and
//! the git commit the binary was built from (with whether the tree had changes), so
//! results.json can say exactly what was measured, wherever the binary is run from: each
//! backend names the crates it is made of (`BackendInfo::crates`), and the binary looks
//! their versions up here.

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
    record_commit();
}

/// `SHOOTOUT_GIT_COMMIT` (empty outside a git checkout) and `SHOOTOUT_GIT_DIRTY` (`true`
/// when tracked or new files differ from that commit). The script runs again when the
/// commit moves or any file of the workspace's sources changes.
fn record_commit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(&root)
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let commit = git(&["rev-parse", "HEAD"]).unwrap_or_default();
    let dirty = match git(&["status", "--porcelain"]) {
        Some(changes) if !commit.is_empty() => (!changes.is_empty()).to_string(),
        _ => String::new(),
    };
    println!("cargo:rustc-env=SHOOTOUT_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=SHOOTOUT_GIT_DIRTY={dirty}");
    if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        for name in ["HEAD", "index", "refs", "packed-refs"] {
            println!("cargo:rerun-if-changed={dir}/{name}");
        }
    }
    for name in ["crates", "benches", "Cargo.toml", ".gitignore"] {
        println!("cargo:rerun-if-changed={}", root.join(name).display());
    }
}
