//! The files a run reads: made before its trials in a folder of their own under the run's
//! scratch folder (whose space the run checks first), from the seed, and put in the page
//! cache's state the cell asks for before each trial.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use nix::fcntl::{PosixFadviseAdvice, posix_fadvise};

use super::content;
use super::spec::{Cache, Shape};

/// The most bytes written or read at once while making or warming a set.
const CHUNK: usize = 1 << 20;
/// Files per subfolder of a small-files set: directories stay small, as a real tree's do.
const PER_FOLDER: u64 = 1000;

/// What names a file set: its shape, its files and their size, and the seed of their bytes.
/// Cells that differ only in what they do with a set (reads, blocks, C, the cache) share it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SetKey {
    /// The shape (a small-files tree, or one large file).
    pub shape: Shape,
    /// Files in it.
    pub files: u64,
    /// Each file's size, bytes.
    pub file_bytes: u64,
    /// The seed of their bytes.
    pub seed: u64,
}

impl SetKey {
    /// The bytes it takes on disk (its files' sizes; a folder's own blocks left out).
    pub fn bytes(self) -> u64 {
        self.files.saturating_mul(self.file_bytes)
    }

    /// Its folder's name, under the run's folder of file sets: a write shape's folder is
    /// every write cell's (one file written at a time, whatever its size).
    pub fn name(self) -> String {
        if self.shape.writes() {
            return "files-written".to_string();
        }
        format!(
            "files-{}-{}x{}-s{}",
            self.shape.name(),
            self.files,
            self.file_bytes,
            self.seed
        )
    }
}

/// A made file set: its folder and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSet {
    dir: PathBuf,
    key: SetKey,
}

impl FileSet {
    /// The set `spec` reads, under `parent`: made there unless a set of the same shape,
    /// sizes and seed already is (made by this run for another cell). Made under a `.part`
    /// name, synced to the device and renamed: a set left half-made never passes for one,
    /// and its pages can be evicted.
    pub fn make(parent: &Path, key: SetKey) -> io::Result<FileSet> {
        let set = FileSet::under(parent, key);
        if set.dir.exists() {
            return Ok(set);
        }
        if key.shape.writes() {
            // Its file is written by each trial.
            fs::create_dir_all(&set.dir)?;
            return Ok(set);
        }
        let part = set.dir.with_extension("part");
        let _ = fs::remove_dir_all(&part);
        fs::create_dir_all(&part)?;
        for file in 0..key.files {
            let path = set.path_in(&part, file);
            if let Some(folder) = path.parent() {
                fs::create_dir_all(folder)?;
            }
            write_file(&path, content::file_seed(key.seed, file), key.file_bytes)?;
        }
        // One syncfs for the whole set (a sync per small file would take seconds): pages
        // must be clean before DONTNEED can drop them.
        nix::unistd::syncfs(File::open(&part)?).map_err(io::Error::from)?;
        fs::rename(&part, &set.dir)?;
        Ok(set)
    }

    /// The set `key` names under `parent`, whether made or not.
    pub fn under(parent: &Path, key: SetKey) -> FileSet {
        FileSet {
            dir: parent.join(key.name()),
            key,
        }
    }

    /// The set `key` names under `parent`, made: an error naming it where it is not (a run
    /// makes its sets before its trials; a trial never makes one).
    pub fn made(parent: &Path, key: SetKey) -> io::Result<FileSet> {
        let set = FileSet::under(parent, key);
        if set.dir.is_dir() {
            Ok(set)
        } else {
            Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "no file set {} (the run makes it before its trials)",
                    set.dir.display()
                ),
            ))
        }
    }

    /// The set's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// File `file`'s path (a random-read set's one file is file 0).
    pub fn path(&self, file: u64) -> PathBuf {
        self.path_in(&self.dir, file)
    }

    fn path_in(&self, dir: &Path, file: u64) -> PathBuf {
        match self.key.shape {
            Shape::SmallFiles => dir
                .join(format!("d{}", file / PER_FOLDER))
                .join(format!("f{file}")),
            Shape::RandomRead => dir.join("large"),
            Shape::Write | Shape::Log => dir.join("written"),
        }
    }

    /// A write shape's file, new and empty (one a trial left behind replaced), made before
    /// the clock so that every design opens the same kind of file.
    pub fn new_file(&self) -> io::Result<PathBuf> {
        let path = self.path(0);
        File::create(&path)?;
        Ok(path)
    }

    /// Puts every file's pages in `cache`'s state: warm reads each whole once, cold drops
    /// each file's pages from the page cache, as-is does nothing; a write shape's file is
    /// made new and empty. Run before each trial, outside the clock.
    pub fn prepare(&self, cache: Cache) -> io::Result<()> {
        if self.key.shape.writes() {
            return self.new_file().map(drop);
        }
        if cache == Cache::AsIs {
            return Ok(());
        }
        let mut buffer = vec![0u8; CHUNK];
        for file in 0..self.key.files {
            let mut handle = File::open(self.path(file))?;
            match cache {
                Cache::Warm => while handle.read(&mut buffer)? > 0 {},
                Cache::Cold => {
                    posix_fadvise(&handle, 0, 0, PosixFadviseAdvice::POSIX_FADV_DONTNEED)
                        .map_err(io::Error::from)?
                }
                Cache::AsIs => {}
            }
        }
        Ok(())
    }

    /// Deletes the set.
    pub fn remove(self) -> io::Result<()> {
        fs::remove_dir_all(&self.dir)
    }
}

/// Writes `len` bytes of the file whose seed is `seed` to `path`, a chunk at a time.
fn write_file(path: &Path, seed: u64, len: u64) -> io::Result<()> {
    let mut file = File::create(path)?;
    let mut at = 0;
    while at < len {
        let take = (len - at).min(CHUNK as u64) as usize;
        file.write_all(&content::bytes(seed, at, take))?;
        at += take as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workloads::files::FilesSpec;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("shootout-files-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_set_holds_the_seeds_bytes_and_is_made_once() {
        let parent = scratch("made");
        let spec = FilesSpec {
            shape: Shape::SmallFiles,
            files: 1201,
            file_bytes: 1000,
            block_bytes: 4096,
            ops: 1201,
            concurrency: 4,
            cache: Cache::Cold,
            seed: 7,
            io: crate::files::FileIo::Buffered,
        };
        let set = FileSet::make(&parent, spec.set_key()).unwrap();
        for file in [0, 999, 1000, 1200] {
            let bytes = fs::read(set.path(file)).unwrap();
            assert_eq!(
                content::checksum(&bytes),
                spec.read_checksum(file),
                "{file}"
            );
        }
        // Made again: the same set, untouched.
        let stamp = fs::metadata(set.path(5)).unwrap().modified().unwrap();
        assert_eq!(FileSet::make(&parent, spec.set_key()).unwrap(), set);
        assert_eq!(
            fs::metadata(set.path(5)).unwrap().modified().unwrap(),
            stamp
        );
        set.prepare(Cache::Cold).unwrap();
        set.prepare(Cache::Warm).unwrap();
        set.clone().remove().unwrap();
        assert!(!set.dir().exists());
        fs::remove_dir_all(&parent).unwrap();
    }

    /// The bytes of `path` in the page cache, by util-linux's `fincore`; `None` where it is
    /// not installed.
    fn resident(path: &Path) -> Option<u64> {
        let out = std::process::Command::new("fincore")
            .args(["--bytes", "--noheadings", "--output", "RES"])
            .arg(path)
            .output()
            .ok()?;
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    }

    #[test]
    fn cold_evicts_every_page_and_warm_brings_them_back() {
        let parent = scratch("cache");
        let spec = FilesSpec {
            shape: Shape::RandomRead,
            files: 1,
            file_bytes: 4 << 20,
            block_bytes: 4096,
            ops: 10,
            concurrency: 2,
            cache: Cache::Cold,
            seed: 4,
            io: crate::files::FileIo::Buffered,
        };
        let set = FileSet::make(&parent, spec.set_key()).unwrap();
        let path = set.path(0);
        if resident(&path).is_none() {
            eprintln!("skipped: no fincore here to see the page cache");
            return;
        }
        set.prepare(Cache::Warm).unwrap();
        assert_eq!(resident(&path), Some(4 << 20));
        set.prepare(Cache::Cold).unwrap();
        assert_eq!(resident(&path), Some(0));
        fs::remove_dir_all(&parent).unwrap();
    }

    #[test]
    fn a_half_made_set_is_made_again_not_read() {
        let parent = scratch("half");
        let spec = FilesSpec {
            shape: Shape::RandomRead,
            files: 1,
            file_bytes: 1 << 16,
            block_bytes: 4096,
            ops: 10,
            concurrency: 2,
            cache: Cache::Warm,
            seed: 3,
            io: crate::files::FileIo::Buffered,
        };
        let set = FileSet::under(&parent, spec.set_key());
        let part = set.dir().with_extension("part");
        fs::create_dir_all(&part).unwrap();
        fs::write(part.join("large"), b"cut short").unwrap();
        let set = FileSet::make(&parent, spec.set_key()).unwrap();
        assert_eq!(fs::metadata(set.path(0)).unwrap().len(), 1 << 16);
        assert!(!part.exists());
        fs::remove_dir_all(&parent).unwrap();
    }
}
