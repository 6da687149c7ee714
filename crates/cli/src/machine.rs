//! The machine fingerprint stored with every run.

use std::collections::BTreeMap;
use std::fs;

use shootout_core::results::Machine;

/// Reads what the results need to say about where they were measured.
pub fn fingerprint() -> Machine {
    let cores = available_cores();
    let cpu_model = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let memory_bytes = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| crate::measure::kib_field(&info, "MemTotal:"))
        .unwrap_or(0);
    let mut limits = BTreeMap::new();
    for (key, path) in [
        ("kernel.threads-max", "/proc/sys/kernel/threads-max"),
        ("vm.max_map_count", "/proc/sys/vm/max_map_count"),
        ("kernel.pid_max", "/proc/sys/kernel/pid_max"),
    ] {
        if let Ok(value) = fs::read_to_string(path) {
            limits.insert(key.to_string(), value.trim().to_string());
        }
    }
    if let Ok((soft, _)) = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NPROC)
    {
        limits.insert("RLIMIT_NPROC".into(), soft.to_string());
    }
    let mut caveats = Vec::new();
    if cores <= 2 {
        caveats.push(format!(
            "{cores} cores: parallel speedup is capped at {cores}x, and in fetch the client under \
             test and the embedded server share these cores, so req/s is a client+server figure"
        ));
    }
    Machine {
        cpu_model,
        cores,
        memory_bytes,
        kernel: fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "unknown".into()),
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        rustc: env!("SHOOTOUT_RUSTC_VERSION").to_string(),
        build_profile: env!("SHOOTOUT_BUILD_PROFILE").to_string(),
        git_commit: git_commit(),
        git_dirty: git_dirty(),
        crates: crate_versions(),
        limits,
        caveats,
    }
}

/// Cores this process may use.
pub fn available_cores() -> u64 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as u64)
}

/// Runtime crate versions, recorded from Cargo.lock at build time.
pub fn crate_versions() -> BTreeMap<String, String> {
    crate::backends::BackendName::all()
        .iter()
        .flat_map(|backend| backend_crates(*backend))
        .collect()
}

/// The versions of the crates `backend` is made of (its `BackendInfo::crates`), from
/// Cargo.lock at build time.
pub fn backend_crates(backend: crate::backends::BackendName) -> BTreeMap<String, String> {
    let wanted = backend.info().crates;
    env!("SHOOTOUT_CRATE_VERSIONS")
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(name, _)| wanted.contains(name))
        .map(|(name, version)| (name.to_string(), version.to_string()))
        .collect()
}

/// The commit this binary was built from, recorded at build time (so a binary run from
/// another folder records its own commit, not that folder's).
pub fn git_commit() -> Option<String> {
    Some(env!("SHOOTOUT_GIT_COMMIT").to_string()).filter(|c| !c.is_empty())
}

/// Whether the tree it was built from differed from that commit.
pub fn git_dirty() -> Option<bool> {
    env!("SHOOTOUT_GIT_DIRTY").parse().ok()
}
