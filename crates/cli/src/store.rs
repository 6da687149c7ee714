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

/// A run's claim on its output folder: `.lock` holding the run's pid, created only if no
/// live run holds it, removed when dropped.
#[derive(Debug)]
pub struct Lock {
    path: std::path::PathBuf,
}

impl Lock {
    /// Claims `dir`, or says which run holds it. A lock left by a run that no longer
    /// exists (killed by SIGKILL) is taken over.
    pub fn claim(dir: &Path) -> Result<Lock> {
        let path = dir.join(".lock");
        for _ in 0..2 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    write!(file, "{}", std::process::id())
                        .with_context(|| format!("writing {}", path.display()))?;
                    return Ok(Lock { path });
                }
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(&path)
                        .ok()
                        .and_then(|pid| pid.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if Path::new(&format!("/proc/{pid}")).exists() => {
                            anyhow::bail!(
                                "another run (pid {pid}) is writing to {}; wait for it, or \
                                 choose another --out",
                                dir.display()
                            )
                        }
                        // Stale: its run is gone.
                        _ => {
                            let _ = fs::remove_file(&path);
                        }
                    }
                }
                Err(err) => {
                    return Err(err).with_context(|| format!("creating {}", path.display()));
                }
            }
        }
        anyhow::bail!("could not claim {}", path.display())
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
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
        // A lock whose run is gone is taken over.
        fs::write(dir.join(".lock"), "4294967").unwrap();
        let _taken = Lock::claim(&dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }
}
