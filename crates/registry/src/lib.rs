//! The one list of backends. The CLI, the benches and the tests iterate it; everything
//! else reads what a backend says about itself ([`BackendInfo`]) or what results recorded.
//! Adding a backend is one crate and one line here (see CONTRIBUTING.md).

#![forbid(unsafe_code)]

use shootout_core::{Backend, BackendError, BackendInfo, Workload};

/// Builds a backend with `threads` workers for a workload (before any timing starts).
pub type Build = fn(u64, &Workload) -> Result<Box<dyn Backend>, BackendError>;

/// A backend: what it is, and how to build it.
#[derive(Debug)]
pub struct Entry {
    /// What the backend says about itself.
    pub info: &'static BackendInfo,
    /// Builds it with `threads` workers for `workload` (before any timing starts).
    pub build: Build,
}

/// Every backend, in report order (async runtimes, io_uring runtimes, threads, pools,
/// processes, the baseline).
pub static BACKENDS: [Entry; 12] = [
    Entry {
        info: &shootout_tokio::MULTI_THREAD,
        build: |threads, workload| {
            Ok(Box::new(shootout_tokio::Tokio::multi_thread_with(
                threads as usize,
                workload.blocking_pool(threads) as usize,
            )?))
        },
    },
    Entry {
        info: &shootout_tokio::CURRENT_THREAD,
        build: |threads, workload| {
            Ok(Box::new(shootout_tokio::Tokio::current_thread_with(
                threads as usize,
                workload.blocking_pool(threads) as usize,
            )?))
        },
    },
    Entry {
        info: &shootout_smol::INFO,
        build: |threads, workload| {
            Ok(Box::new(shootout_smol::Smol::with_blocking(
                threads as usize,
                workload.blocking_pool(threads) as usize,
            )?))
        },
    },
    Entry {
        info: &shootout_async_std::INFO,
        build: |threads, workload| {
            Ok(Box::new(shootout_async_std::AsyncStd::with_blocking(
                threads as usize,
                workload.blocking_pool(threads) as usize,
            )?))
        },
    },
    Entry {
        info: &shootout_monoio::INFO,
        build: |threads, workload| {
            Ok(Box::new(shootout_monoio::Monoio::with_blocking(
                threads as usize,
                workload.blocking_pool(threads) as usize,
            )?))
        },
    },
    Entry {
        info: &shootout_compio::INFO,
        build: |threads, workload| {
            Ok(Box::new(shootout_compio::Compio::with_blocking(
                threads as usize,
                workload.blocking_pool(threads) as usize,
            )?))
        },
    },
    Entry {
        info: &shootout_glommio::INFO,
        build: |threads, workload| {
            Ok(Box::new(shootout_glommio::Glommio::with_blocking(
                threads as usize,
                workload.blocking_pool(threads) as usize,
            )?))
        },
    },
    Entry {
        info: &shootout_threads::INFO,
        build: |threads, _| Ok(Box::new(shootout_threads::Threads::new(threads))),
    },
    Entry {
        info: &shootout_crossbeam::INFO,
        build: |threads, workload| {
            Ok(Box::new(shootout_crossbeam::Crossbeam::new(
                shootout_crossbeam::pool_size(threads, workload),
            )?))
        },
    },
    Entry {
        info: &shootout_rayon::INFO,
        build: |threads, _| Ok(Box::new(shootout_rayon::Rayon::new(threads as usize)?)),
    },
    Entry {
        info: &shootout_processes::INFO,
        build: |threads, _| {
            Ok(Box::new(shootout_processes::Processes::new(
                threads as usize,
            )?))
        },
    },
    Entry {
        info: &shootout_sequential::INFO,
        build: |_, _| Ok(Box::new(shootout_sequential::Sequential)),
    },
];

/// The test doubles of `shootout-mock`, registered only in a build with the `mock` feature
/// (the CLI's tests) and where `SHOOTOUT_MOCK=1`.
#[cfg(feature = "mock")]
pub static MOCKS: [Entry; 2] = [
    Entry {
        info: &shootout_mock::FAST,
        build: |threads, _| Ok(Box::new(shootout_mock::Mock::fast(threads))),
    },
    Entry {
        info: &shootout_mock::SLOW,
        build: |threads, _| Ok(Box::new(shootout_mock::Mock::slow(threads))),
    },
];

/// Every backend this process registers, in report order: [`BACKENDS`], then the mocks
/// where they are asked for.
pub fn all() -> impl Iterator<Item = &'static Entry> {
    BACKENDS.iter().chain(mocks())
}

#[cfg(feature = "mock")]
fn mocks() -> &'static [Entry] {
    match std::env::var(shootout_mock::ENABLE_ENV) {
        Ok(value) if value == "1" => &MOCKS,
        _ => &[],
    }
}

#[cfg(not(feature = "mock"))]
fn mocks() -> &'static [Entry] {
    &[]
}

/// The backend called `name` (its command-line name, e.g. `tokio-ct`).
pub fn find(name: &str) -> Option<&'static Entry> {
    all().find(|entry| entry.info.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_backend_crate_is_registered() {
        let names: Vec<&str> = BACKENDS.iter().map(|e| e.info.name).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        // Every crate of the workspace whose manifest says it is a backend is in the list:
        // the registry is what everything else iterates, so a crate missing here would be
        // silently left out of every run.
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for dir in std::fs::read_dir(&crates).expect("crates/ lists") {
            let manifest = dir.expect("entry").path().join("Cargo.toml");
            let Ok(text) = std::fs::read_to_string(&manifest) else {
                continue;
            };
            if !text.contains("\"shootout backend:") {
                continue;
            }
            let package = text
                .lines()
                .find_map(|l| l.strip_prefix("name = "))
                .expect("a package name")
                .trim_matches('"')
                .to_string();
            let registry = std::fs::read_to_string(crates.join("registry/Cargo.toml")).unwrap();
            assert!(
                registry.contains(&format!("{package}.workspace")),
                "{package} is a backend crate but not in the registry"
            );
        }
        assert!(find("tokio-ct").is_some() && find("nope").is_none());
    }

    /// Every `name version` pair in the workspace's Cargo.lock.
    fn locked() -> Vec<String> {
        let lock = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
        let text = std::fs::read_to_string(lock).expect("Cargo.lock reads");
        let mut pairs = Vec::new();
        let mut name = None;
        for line in text.lines() {
            if let Some(value) = line.strip_prefix("name = ") {
                name = Some(value.trim_matches('"').to_string());
            } else if let (Some(value), Some(current)) =
                (line.strip_prefix("version = "), name.take())
            {
                pairs.push(format!("{current} {}", value.trim_matches('"')));
            }
        }
        pairs
    }

    #[test]
    fn upstream_facts_match_the_crates_measured() {
        // The recorded last release is the version Cargo.lock builds, and every advisory
        // names a crate and version Cargo.lock holds: updating a dependency fails here
        // until its facts (release date, advisories) are checked again.
        let locked = locked();
        for entry in &BACKENDS {
            let shootout_core::Maintenance::Crate(upstream) = entry.info.maintenance else {
                continue;
            };
            let measured = format!("{} {}", upstream.crate_name, upstream.last_release);
            assert!(
                locked.contains(&measured),
                "{}: {measured} is not in Cargo.lock",
                entry.info.name
            );
            assert!(
                entry.info.crates.contains(&upstream.crate_name),
                "{}: {} is not among the crates it names",
                entry.info.name,
                upstream.crate_name
            );
            for advisory in upstream.advisories {
                assert!(
                    locked.contains(&advisory.affects.to_string()),
                    "{}: {} names {}, which Cargo.lock does not hold",
                    entry.info.name,
                    advisory.id,
                    advisory.affects
                );
                assert!(advisory.id.starts_with("RUSTSEC-"), "{}", advisory.id);
            }
            if let Some(id) = upstream.discontinued {
                assert!(upstream.advisories.iter().any(|a| a.id == id), "{id}");
            }
        }
    }
}
