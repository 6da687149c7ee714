//! Writing results: whole files or nothing.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Writes `bytes` to `path` atomically: a temporary file beside it, synced, then renamed
/// over it. A reader (or a run killed mid-write) sees the old file or the new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |file| file.write_all(bytes))
}

/// [`write_atomic`] with the contents written by `fill`, which may stream them.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().context("results path has no file name")?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let mut file = File::create(&temp).with_context(|| format!("creating {}", temp.display()))?;
    // A failed write (a full disk) leaves no temporary behind, and the old file whole.
    let written = fill(&mut file)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", temp.display()))
        .and_then(|()| {
            fs::rename(&temp, path)
                .with_context(|| format!("renaming {} to {}", temp.display(), path.display()))
        });
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// A run's claim on its output folder: an exclusive `flock` on `.lock`, which holds the
/// run's pid for people to read. The kernel holds the claim, so it ends with the process
/// however it ends (no stale lock to take over, no pid to mistake for another process's),
/// and two runs that claim at the same instant cannot both win.
#[derive(Debug)]
pub struct Lock {
    path: std::path::PathBuf,
    file: File,
}

impl Lock {
    /// Claims `dir`, or says which run holds it.
    pub fn claim(dir: &Path) -> Result<Lock> {
        let path = dir.join(".lock");
        loop {
            let mut file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .with_context(|| format!("creating {}", path.display()))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    let holder = fs::read_to_string(&path).unwrap_or_default();
                    let holder = holder.split_whitespace().next().unwrap_or("starting");
                    return Err(Held(format!(
                        "another run (pid {holder}) is writing to {}; wait for it, or choose \
                         another --out",
                        dir.display()
                    ))
                    .into());
                }
                Err(std::fs::TryLockError::Error(err)) => {
                    return Err(err).with_context(|| format!("locking {}", path.display()));
                }
            }
            // The run before us may have removed the file between our open and our lock:
            // then we hold a lock on a file no one else will open. Claim the one there now.
            use std::os::unix::fs::MetadataExt;
            let ours = file.metadata()?.ino();
            if fs::metadata(&path).is_ok_and(|there| there.ino() == ours) {
                file.set_len(0)?;
                writeln!(file, "{}", std::process::id())
                    .with_context(|| format!("writing {}", path.display()))?;
                return Ok(Lock { path, file });
            }
        }
    }
}

/// The folder is held by another live run: the run is refused (exit 2), as bad input is.
#[derive(Debug)]
pub struct Held(String);

impl std::fmt::Display for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Held {}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, so a run that opened it meanwhile sees it is gone.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("shootout-store-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("results.json");
        write_atomic(&path, b"first, longer content").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "second");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        // A write that fails half-way (a full disk, say) after its temporary was created
        // leaves the old file whole and no temporary.
        let failed = write_atomic_with(&path, |file| {
            file.write_all(b"half of the new")?;
            Err(std::io::Error::other("no space left on device"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "second");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "a temporary was left"
        );
        // So does a rename that fails (here over a folder of the same name).
        let folder = dir.join("taken");
        fs::create_dir(&folder).unwrap();
        fs::write(folder.join("inside"), "x").unwrap();
        assert!(write_atomic(&folder, b"x").is_err());
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            2,
            "a temporary was left"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn one_run_at_a_time_holds_a_folder() {
        let dir = std::env::temp_dir().join(format!("shootout-lock-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let held = Lock::claim(&dir).unwrap();
        let refused = Lock::claim(&dir).unwrap_err().to_string();
        assert!(
            refused.contains(&format!("another run (pid {})", std::process::id())),
            "{refused}"
        );
        drop(held);
        assert!(!dir.join(".lock").exists());
        // A lock file a dead run left, or one naming a live process that holds no lock
        // (pid 1 here), claims nothing: only a held flock does.
        for left in ["4294967", "1", "", "garbage"] {
            fs::write(dir.join(".lock"), left).unwrap();
            let taken = Lock::claim(&dir).unwrap();
            assert_eq!(
                fs::read_to_string(dir.join(".lock")).unwrap().trim(),
                std::process::id().to_string()
            );
            drop(taken);
        }
        fs::remove_dir_all(&dir).unwrap();
    }
}
