//! A run's scratch folder for the files it makes (the seeded SQLite databases): made fresh,
//! checked for space before anything is written, deleted when dropped, and swept by the
//! next run when a killed run could not delete it.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// The prefix of a scratch folder, followed by the run's pid.
pub const SCRATCH_PREFIX: &str = "shootout-scratch-";

/// A scratch folder; dropping it deletes it with everything in it.
#[derive(Debug)]
pub struct Scratch {
    dir: PathBuf,
}

/// Why a scratch folder could not be had.
#[derive(Debug, thiserror::Error)]
pub enum ScratchError {
    /// The folder could not be made.
    #[error("making the scratch folder {path}: {message}")]
    Make {
        /// The folder.
        path: PathBuf,
        /// The error.
        message: String,
    },
    /// Too little space for what the run would write.
    #[error(
        "{path} has {free} MiB free, and the run's files need {needed} MiB: free space or \
         leave those cells out"
    )]
    Space {
        /// The folder.
        path: PathBuf,
        /// Free space, MiB.
        free: u64,
        /// What is needed, MiB.
        needed: u64,
    },
}

impl Scratch {
    /// A fresh folder under `parent` with room for `needed` bytes (twice over: a file is
    /// written beside its final name first), after sweeping the folders of runs now gone.
    pub fn make(parent: &Path, needed: u64) -> Result<Scratch, ScratchError> {
        sweep_scratch(parent);
        static MADE: AtomicU32 = AtomicU32::new(0);
        let dir = parent.join(format!(
            "{SCRATCH_PREFIX}{}-{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        ));
        let make = |err: std::io::Error| ScratchError::Make {
            path: dir.clone(),
            message: err.to_string(),
        };
        fs::create_dir_all(&dir).map_err(make)?;
        let scratch = Scratch { dir };
        if let Some(free) = free_bytes(&scratch.dir)
            && free < needed.saturating_mul(2)
        {
            return Err(ScratchError::Space {
                path: scratch.dir.clone(),
                free: free >> 20,
                needed: needed.saturating_mul(2).div_ceil(1 << 20),
            });
        }
        Ok(scratch)
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// The bytes free to this user in the file system holding `dir`, where it can be read.
pub fn free_bytes(dir: &Path) -> Option<u64> {
    let stat = nix::sys::statvfs::statvfs(dir).ok()?;
    Some((stat.blocks_available() as u64).saturating_mul(stat.fragment_size() as u64))
}

/// Deletes the scratch folders under `parent` whose run is gone (killed before it could).
pub fn sweep_scratch(parent: &Path) {
    crate::cluster::sweep_prefix(parent, SCRATCH_PREFIX);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scratch_folder_goes_with_its_files_and_refuses_what_cannot_fit() {
        let parent = std::env::temp_dir();
        let scratch = Scratch::make(&parent, 1 << 20).unwrap();
        let dir = scratch.dir().to_path_buf();
        fs::write(dir.join("a"), b"x").unwrap();
        drop(scratch);
        assert!(!dir.exists());
        let err = Scratch::make(&parent, u64::MAX / 4).unwrap_err();
        assert!(matches!(err, ScratchError::Space { .. }), "{err}");
        assert!(err.to_string().contains("MiB free"), "{err}");
    }

    #[test]
    fn a_folder_of_a_run_gone_is_swept_and_ours_is_kept() {
        let parent = std::env::temp_dir();
        // No process has pid 0x7fff_fff0 (above the kernel's limit).
        let gone = parent.join(format!("{SCRATCH_PREFIX}{}-0", 0x7fff_fff0u32));
        fs::create_dir_all(&gone).unwrap();
        let ours = Scratch::make(&parent, 0).unwrap();
        assert!(!gone.exists(), "swept");
        sweep_scratch(&parent);
        assert!(ours.dir().exists(), "a live run's folder is kept");
    }
}
