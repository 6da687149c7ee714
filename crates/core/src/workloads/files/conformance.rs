//! What `files` must do on every backend, through the backend's own `run` as a trial runs
//! it: read every file and block of each shape, warm and cold, each read verified once; and
//! fail when a file changes behind the run's back.

use std::path::{Path, PathBuf};

use super::{Cache, FileSet, FilesSpec, Shape};
use crate::backend::{Backend, BackendError};
use crate::call::Databases;
use crate::design::Variant;
use crate::fetch::Target;
use crate::workload::{Workload, WorkloadSpec};

/// The cases: each shape, warm and cold, more reads in flight than a runtime has threads.
pub fn cases() -> Vec<FilesSpec> {
    let small = FilesSpec {
        shape: Shape::SmallFiles,
        files: 300,
        file_bytes: 3000,
        block_bytes: 4096,
        ops: 300,
        concurrency: 8,
        cache: Cache::Warm,
        seed: 11,
        io: crate::files::FileIo::Buffered,
    };
    let random = FilesSpec {
        shape: Shape::RandomRead,
        files: 1,
        file_bytes: 4 << 20,
        block_bytes: 4096,
        ops: 2000,
        concurrency: 16,
        cache: Cache::Warm,
        seed: 11,
        io: crate::files::FileIo::Buffered,
    };
    [small, random]
        .into_iter()
        .flat_map(|spec| [Cache::Warm, Cache::Cold].map(|cache| FilesSpec { cache, ..spec }))
        .collect()
}

/// A folder of its own for `name`'s check, under the system's temporary folder.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "shootout-files-check-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Runs every case on `backend` through [`Backend::run`], as a trial does (the page cache
/// put in each case's state by the run itself), each on a set made as a run makes it, and
/// checks the answers; then changes one file and checks the run fails (naming the read, on
/// every backend whose reads are checked as they come; the process pool's parts are summed,
/// so there the run's answer is wrong). Panics with the case on a wrong answer.
pub fn check(backend: &dyn Backend) {
    let name = backend.info().name;
    let dir = folder(name);
    std::fs::create_dir_all(&dir).expect("a folder for the check");
    let target = Target::no_server(Databases {
        files_dir: Some(dir.clone()),
        ..Databases::default()
    });
    for spec in cases() {
        FileSet::make(&dir, spec.set_key()).expect("the file set");
        crate::conformance::check(backend, &spec.into(), Some(&target));
        // Each variant where the backend offers it; refused as not applicable elsewhere.
        for variant in [Variant::DirectIo, Variant::StdFsOnPool] {
            let workload: Workload = spec.with_variant(variant).expect("a files variant").into();
            if backend.info().variants.contains(&variant) {
                crate::conformance::check(backend, &workload, Some(&target));
                continue;
            }
            let _shared = crate::driver::EXCLUSIVE
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let refused = backend.run(&workload, Some(&target));
            assert!(
                matches!(refused, Err(BackendError::NotApplicable(_))),
                "{name} ran {variant} it does not offer: {refused:?}"
            );
        }
    }
    for spec in cases().into_iter().filter(|spec| spec.cache == Cache::Warm) {
        let set = FileSet::make(&dir, spec.set_key()).expect("the file set");
        corrupt(&set.path(0));
        let workload: Workload = spec.into();
        // Beside the suite's other checks, never during one that watches where drivers run.
        let _shared = crate::driver::EXCLUSIVE
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let said = match backend.run(&workload, Some(&target)) {
            Err(err) => err.to_string(),
            Ok(outcome) => match workload.verify(&outcome) {
                Err(mismatch) => mismatch.to_string(),
                Ok(()) => String::new(),
            },
        };
        assert!(
            said.contains("read") && (said.contains("checksum") || said.contains("differ")),
            "{name} {spec:?}: a changed file read as {said:?}"
        );
        set.remove().expect("the set removed");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Changes a byte in every block of `path` behind the run's back.
fn corrupt(path: &Path) {
    let mut bytes = std::fs::read(path).expect("the file");
    for at in (0..bytes.len()).step_by(512) {
        bytes[at] ^= 0x5a;
    }
    std::fs::write(path, bytes).expect("the file changed");
}
