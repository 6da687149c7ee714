//! What every design of `files` must do on every backend, until the workload joins the
//! registry's conformance suite: read every file and block of each shape, warm and cold,
//! each read verified once; and fail, naming the read, when a file changes behind the run's
//! back.

use std::path::{Path, PathBuf};

use super::tally::verified;
use super::{Cache, FileSet, FilesOutcome, FilesSpec, Shape};
use crate::backend::{BackendError, BackendInfo};
use crate::cores::{LocalRuntime, PerCore};
use crate::outcome::Outcome;

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
    };
    [small, random]
        .into_iter()
        .flat_map(|spec| [Cache::Warm, Cache::Cold].map(|cache| FilesSpec { cache, ..spec }))
        .collect()
}

/// Every read of `spec` once.
pub fn expected(spec: &FilesSpec) -> Outcome {
    (0..spec.ops).map(verified).sum()
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

/// Runs every case through `run` (a backend's design), each on a set made and prepared as
/// a run does, and checks the answers; then changes one file and checks the run fails
/// naming the read. Panics with the case on a wrong answer.
pub fn check(name: &str, run: impl Fn(&FilesSpec, &FileSet) -> Result<FilesOutcome, BackendError>) {
    // Beside the suite's other checks, never during one that watches where drivers run.
    let _shared = crate::driver::EXCLUSIVE
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = folder(name);
    std::fs::create_dir_all(&dir).expect("a folder for the check");
    for spec in cases() {
        let set = FileSet::make(&dir, &spec).expect("the file set");
        set.prepare(spec.cache).expect("the page cache prepared");
        let got = run(&spec, &set).unwrap_or_else(|err| panic!("{name} {spec:?}: {err}"));
        assert_eq!(got.reads, expected(&spec), "{name} {spec:?}");
    }
    for spec in cases().into_iter().filter(|spec| spec.cache == Cache::Warm) {
        let set = FileSet::make(&dir, &spec).expect("the file set");
        corrupt(&set.path(0));
        let err = run(&spec, &set).err();
        let said = err.map(|err| err.to_string()).unwrap_or_default();
        assert!(
            said.contains("read ") && said.contains("checksum"),
            "{name} {spec:?}: a changed file read as {said:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// [`check`] of the ring design on the thread-per-core runtimes `R` that `build` makes,
/// where the backend `info` describes is available here (else it says why and passes).
pub fn check_on_cores<R: LocalRuntime, C: PerCore>(info: &BackendInfo, build: impl FnOnce() -> C) {
    if !crate::conformance::available(info) {
        return;
    }
    let cores = build();
    check(info.name, |spec, set| {
        super::on_cores::<R, C>(&cores, spec, set)
    });
}

/// Changes a byte in every block of `path` behind the run's back.
fn corrupt(path: &Path) {
    let mut bytes = std::fs::read(path).expect("the file");
    for at in (0..bytes.len()).step_by(512) {
        bytes[at] ^= 0x5a;
    }
    std::fs::write(path, bytes).expect("the file changed");
}
