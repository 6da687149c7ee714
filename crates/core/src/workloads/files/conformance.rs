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

/// The write cases: a file of 300 blocks of 4 KiB synced at the end, and a log of 200
/// blocks each synced, more writers than a runtime has threads.
pub fn write_cases() -> Vec<FilesSpec> {
    let write = FilesSpec {
        shape: Shape::Write,
        files: 1,
        file_bytes: 300 * 4096,
        block_bytes: 4096,
        ops: 300,
        concurrency: 8,
        cache: Cache::Warm,
        seed: 12,
        io: crate::files::FileIo::Buffered,
    };
    let log = FilesSpec {
        shape: Shape::Log,
        file_bytes: 200 * 512,
        block_bytes: 512,
        ops: 200,
        ..write
    };
    vec![write, log]
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
    for spec in cases().into_iter().chain(write_cases()) {
        FileSet::make(&dir, spec.set_key()).expect("the file set");
        crate::conformance::check(backend, &spec.into(), Some(&target));
        if spec.shape.writes() {
            let left = FileSet::under(&dir, spec.set_key()).path(0);
            assert!(
                !left.exists(),
                "{name} {spec:?}: the written file was left behind"
            );
        }
        // Each variant where the backend offers it; refused as not applicable elsewhere.
        for variant in [Variant::DirectIo, Variant::StdFsOnPool] {
            let Some(workload) = spec.with_variant(variant) else {
                continue;
            };
            let workload: Workload = workload.into();
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
        let said = failure(backend, &spec.into(), &target);
        assert!(
            said.contains("read") && (said.contains("checksum") || said.contains("differ")),
            "{name} {spec:?}: a changed file read as {said:?}"
        );
        set.remove().expect("the set removed");
    }
    let _ = std::fs::remove_dir_all(&dir);
    full_disk(backend);
}

/// Runs each write shape on a disk that fills mid-write (a tmpfs of 1 MiB, for a file of
/// 4 MiB): the run must fail naming the full disk, and leave no file behind. Skipped, saying
/// so, where no tmpfs can be mounted (not root).
fn full_disk(backend: &dyn Backend) {
    let name = backend.info().name;
    let dir = folder(&format!("{name}-full"));
    std::fs::create_dir_all(&dir).expect("a folder for the check");
    let Some(_mounted) = Tmpfs::mount(&dir, "1m") else {
        eprintln!("{name}: full-disk check skipped: cannot mount a tmpfs here (not root?)");
        let _ = std::fs::remove_dir_all(&dir);
        return;
    };
    let target = Target::no_server(Databases {
        files_dir: Some(dir.clone()),
        ..Databases::default()
    });
    for spec in write_cases() {
        let spec = FilesSpec {
            file_bytes: 64 * 65536,
            block_bytes: 65536,
            ops: 64,
            concurrency: 4,
            ..spec
        };
        let set = FileSet::make(&dir, spec.set_key()).expect("the folder");
        let said = failure(backend, &spec.into(), &target);
        assert!(
            said.contains("write") && said.contains("No space left on device"),
            "{name} {}: a full disk read as {said:?}",
            spec.shape.name()
        );
        assert!(
            !set.path(0).exists(),
            "{name} {}: the half-written file was left on the full disk",
            spec.shape.name()
        );
    }
}

/// What a run of `workload` that must fail said: its error, or its verification's; empty
/// where it passed. Run beside the suite's other checks, never during one that watches
/// where drivers run.
fn failure(backend: &dyn Backend, workload: &Workload, target: &Target) -> String {
    let _shared = crate::driver::EXCLUSIVE
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match backend.run(workload, Some(target)) {
        Err(err) => err.to_string(),
        Ok(outcome) => match workload.verify(&outcome) {
            Err(mismatch) => mismatch.to_string(),
            Ok(()) => String::new(),
        },
    }
}

/// A tmpfs mounted on a folder, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// Mounts a tmpfs of `size` on `dir`; `None` where the system refuses.
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        mounted.then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Changes a byte in every block of `path` behind the run's back.
fn corrupt(path: &Path) {
    let mut bytes = std::fs::read(path).expect("the file");
    for at in (0..bytes.len()).step_by(512) {
        bytes[at] ^= 0x5a;
    }
    std::fs::write(path, bytes).expect("the file changed");
}
