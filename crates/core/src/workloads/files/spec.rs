//! The `files` workload's spec: a shape of file I/O, its sizes, C operations in flight and
//! the page cache's state before the clock.

use serde::{Deserialize, Serialize};

use super::content;
use super::set::SetKey;
use crate::error::SpecError;
use crate::random::token;

/// The most files in a small-files set.
pub const FILES_MAX: u64 = 1_000_000;
/// The largest file, bytes (64 GiB): the large file of random reads, or one small file.
pub const FILE_BYTES_MAX: u64 = 64 << 30;
/// The smallest block, bytes: a sector, so a block can be read with `O_DIRECT`.
pub const BLOCK_BYTES_MIN: u64 = 512;
/// The largest block, bytes.
pub const BLOCK_BYTES_MAX: u64 = 16 << 20;
/// The most reads in one run.
pub const OPS_MAX: u64 = 100_000_000;
/// The most operations in flight.
pub const CONCURRENCY_MAX: u64 = 4096;

/// What the run does to its files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// Reads each of `files` files of `file_bytes` whole, once, C at a time: open, read to
    /// the end, close (a static file server's or a build tool's pattern).
    SmallFiles,
    /// Reads `ops` blocks of `block_bytes` at block-aligned offsets drawn from the seed,
    /// from one file of `file_bytes`, C at a time (a database's or a key-value store's).
    RandomRead,
    /// Writes one new file of `file_bytes` as `ops` blocks of `block_bytes` at consecutive
    /// offsets, C at a time, and `fdatasync`s it once, after the last (a download's, a
    /// build's output or a checkpoint's pattern).
    Write,
    /// Writes `ops` records of `block_bytes` one after another into one new file, each
    /// followed by its own `fdatasync`, C writers at once (a write-ahead log's commits).
    Log,
}

impl Shape {
    /// Its name on the command line and in results.
    pub fn name(self) -> &'static str {
        match self {
            Shape::SmallFiles => "small-files",
            Shape::RandomRead => "random-read",
            Shape::Write => "write",
            Shape::Log => "log",
        }
    }

    /// Whether it writes (a new file per trial, read back after the clock) rather than
    /// reads a set made before the trials.
    pub fn writes(self) -> bool {
        matches!(self, Shape::Write | Shape::Log)
    }
}

/// The page cache's state when the clock starts, as fio states it for every job.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cache {
    /// Every file read once before the clock: reads come from memory, the kernel's work
    /// and the runtime's hand-offs are what is measured.
    #[default]
    Warm,
    /// Every file's pages evicted before each trial (`posix_fadvise(DONTNEED)` after the
    /// files are on disk): reads go to the device.
    Cold,
    /// Nothing done to the page cache before the clock (fio's `invalidate=0`): whatever
    /// the last run left. A cell's warm-up runs so, its trial preparing the cell's state
    /// after it; a cell of it has no headline row, its state being nobody's choice.
    AsIs,
}

impl Cache {
    /// Its name on the command line and in results.
    pub fn name(self) -> &'static str {
        match self {
            Cache::Warm => "warm",
            Cache::Cold => "cold",
            Cache::AsIs => "as-is",
        }
    }
}

/// How the files are opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileIo {
    /// Through the page cache, as every backend's file API opens a file by default (the
    /// shared design).
    #[default]
    Buffered,
    /// Direct I/O (`O_DIRECT`): every read goes to the device, the page cache bypassed, as
    /// storage engines do (glommio's `DmaFile`, the file its docs favour): a labelled
    /// variant, where the runtime offers it.
    Direct,
    /// Through the page cache with `std::fs` (`read`, a positioned read) handed to the
    /// runtime's blocking pool one read at a time, instead of the runtime's file API: what
    /// tokio's docs advise for many file operations: a labelled variant of the epoll
    /// runtimes.
    #[serde(rename = "std-on-pool")]
    StdOnPool,
}

impl FileIo {
    /// Whether it is the shared design's (left out of a spec's JSON).
    pub fn is_buffered(&self) -> bool {
        *self == FileIo::Buffered
    }
}

/// A run of file I/O: its shape and sizes, C operations in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilesSpec {
    /// The shape.
    pub shape: Shape,
    /// Small files: how many (each read once). Random reads: 1, the large file.
    pub files: u64,
    /// Each small file's size, or the large file's, bytes.
    pub file_bytes: u64,
    /// Random reads: each block, bytes (a multiple of 512, at most the file).
    #[serde(default = "default_block_bytes")]
    pub block_bytes: u64,
    /// Random reads: how many blocks. Small files: how many files are read, the first `ops`
    /// of the set (`files` in a cell; fewer in its warm-up).
    pub ops: u64,
    /// Operations in flight at once.
    pub concurrency: u64,
    /// The page cache before the clock.
    #[serde(default)]
    pub cache: Cache,
    /// The seed of every file's bytes and of the blocks' offsets.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// How the files are opened: through the page cache, or direct.
    #[serde(default, skip_serializing_if = "FileIo::is_buffered")]
    pub io: FileIo,
}

/// A block when the cell does not say: 4 KiB, a page.
fn default_block_bytes() -> u64 {
    4096
}

/// The seed when the cell does not say.
fn default_seed() -> u64 {
    1
}

impl FilesSpec {
    /// Checks every bound, each named.
    pub fn validate(&self) -> Result<(), SpecError> {
        let within = SpecError::within;
        within("concurrency", self.concurrency, 1, CONCURRENCY_MAX)?;
        within("file_bytes", self.file_bytes, 1, FILE_BYTES_MAX)?;
        match self.shape {
            Shape::SmallFiles => {
                within("files", self.files, 1, FILES_MAX)?;
                within("ops", self.ops, 1, self.files)
            }
            Shape::RandomRead => {
                within("files", self.files, 1, 1)?;
                within("ops", self.ops, 1, OPS_MAX)?;
                self.validate_block(BLOCK_BYTES_MAX.min(self.file_bytes.max(BLOCK_BYTES_MIN)))
            }
            Shape::Write | Shape::Log => {
                within("files", self.files, 1, 1)?;
                within("ops", self.ops, 1, OPS_MAX)?;
                self.validate_block(BLOCK_BYTES_MAX)?;
                let written = self.ops.saturating_mul(self.block_bytes);
                if self.file_bytes != written {
                    return Err(SpecError::new(
                        "file_bytes",
                        format!(
                            "file_bytes = {}: a {} run writes one file of ops × block_bytes \
                             = {} × {} = {written} bytes",
                            self.file_bytes,
                            self.shape.name(),
                            self.ops,
                            self.block_bytes
                        ),
                    ));
                }
                if self.cache == Cache::Cold {
                    return Err(SpecError::new(
                        "cache",
                        format!(
                            "cache = cold: a {} run writes a new file, which has no pages to \
                             evict; its fdatasync is what reaches the device (leave --cache out)",
                            self.shape.name()
                        ),
                    ));
                }
                Ok(())
            }
        }
    }

    /// Checks `block_bytes`: at least a sector and at most `max`, a multiple of a sector.
    fn validate_block(&self, max: u64) -> Result<(), SpecError> {
        SpecError::within("block_bytes", self.block_bytes, BLOCK_BYTES_MIN, max)?;
        if !self.block_bytes.is_multiple_of(BLOCK_BYTES_MIN) {
            return Err(SpecError::new(
                "block_bytes",
                format!(
                    "block_bytes = {} is not a multiple of {BLOCK_BYTES_MIN} (a sector, as \
                     direct I/O needs)",
                    self.block_bytes
                ),
            ));
        }
        Ok(())
    }

    /// The file set it reads, or (a write shape) the folder it writes its file in, sized
    /// to that file.
    pub fn set_key(&self) -> SetKey {
        SetKey {
            shape: self.shape,
            files: self.files,
            file_bytes: self.file_bytes,
            seed: self.seed,
        }
    }

    /// The bytes the run's file set takes on disk.
    pub fn set_bytes(&self) -> u64 {
        self.set_key().bytes()
    }

    /// The bytes the run reads, or writes.
    pub fn bytes_moved(&self) -> u64 {
        match self.shape {
            Shape::SmallFiles => self.ops.saturating_mul(self.file_bytes),
            Shape::RandomRead | Shape::Write | Shape::Log => {
                self.ops.saturating_mul(self.block_bytes)
            }
        }
    }

    /// Where operation `op` starts: a random read's block-aligned offset drawn from the
    /// seed, uniform over the file's whole blocks; a write's block, one after another.
    pub fn offset(&self, op: u64) -> u64 {
        if self.shape.writes() {
            return op * self.block_bytes;
        }
        let blocks = (self.file_bytes / self.block_bytes).max(1);
        (token(self.seed ^ token(op).rotate_left(17)) % blocks) * self.block_bytes
    }

    /// The checksum read `op` must return: small files, file `op` whole; random reads, the
    /// block at [`FilesSpec::offset`]. Computed before the clock, one per read.
    pub fn read_checksum(&self, op: u64) -> u64 {
        match self.shape {
            // A write is checked when its file is read back, after the clock.
            Shape::Write | Shape::Log => 0,
            Shape::SmallFiles => {
                let seed = content::file_seed(self.seed, op);
                content::checksum(&content::bytes(seed, 0, self.file_bytes as usize))
            }
            Shape::RandomRead => {
                let seed = content::file_seed(self.seed, 0);
                let len = self.block_bytes as usize;
                content::checksum(&content::bytes(seed, self.offset(op), len))
            }
        }
    }

    /// Every read's expected checksum, in op order (made before the clock). Random reads
    /// compute each block's once: many reads fall on the same block.
    pub fn read_checksums(&self) -> Vec<u64> {
        match self.shape {
            Shape::SmallFiles | Shape::Write | Shape::Log => {
                (0..self.ops).map(|op| self.read_checksum(op)).collect()
            }
            Shape::RandomRead => {
                let mut by_offset = std::collections::HashMap::new();
                (0..self.ops)
                    .map(|op| {
                        *by_offset
                            .entry(self.offset(op))
                            .or_insert_with(|| self.read_checksum(op))
                    })
                    .collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: FilesSpec = FilesSpec {
        shape: Shape::SmallFiles,
        files: 100,
        file_bytes: 4096,
        block_bytes: 4096,
        ops: 100,
        concurrency: 8,
        cache: Cache::Warm,
        seed: 1,
        io: FileIo::Buffered,
    };

    const RANDOM: FilesSpec = FilesSpec {
        shape: Shape::RandomRead,
        files: 1,
        file_bytes: 1 << 20,
        block_bytes: 4096,
        ops: 1000,
        concurrency: 8,
        cache: Cache::Cold,
        seed: 1,
        io: FileIo::Buffered,
    };

    #[test]
    fn bounds_name_their_field() {
        let field = |spec: FilesSpec| spec.validate().unwrap_err().field;
        assert_eq!(SMALL.validate(), Ok(()));
        assert_eq!(RANDOM.validate(), Ok(()));
        assert_eq!(
            field(FilesSpec {
                files: 0,
                ops: 0,
                ..SMALL
            }),
            "files"
        );
        assert_eq!(field(FilesSpec { ops: 101, ..SMALL }), "ops");
        assert_eq!(field(FilesSpec { ops: 0, ..SMALL }), "ops");
        assert_eq!(
            field(FilesSpec {
                concurrency: 0,
                ..SMALL
            }),
            "concurrency"
        );
        assert_eq!(
            field(FilesSpec {
                file_bytes: 0,
                ..SMALL
            }),
            "file_bytes"
        );
        assert_eq!(field(FilesSpec { files: 2, ..RANDOM }), "files");
        assert_eq!(
            field(FilesSpec {
                block_bytes: 1000,
                ..RANDOM
            }),
            "block_bytes"
        );
        assert_eq!(
            field(FilesSpec {
                block_bytes: 2 << 20,
                ..RANDOM
            }),
            "block_bytes"
        );
        assert_eq!(field(FilesSpec { ops: 0, ..RANDOM }), "ops");
    }

    #[test]
    fn a_write_shape_writes_ops_blocks_into_a_file_of_their_size() {
        let log = FilesSpec {
            shape: Shape::Log,
            files: 1,
            file_bytes: 1000 * 4096,
            ops: 1000,
            cache: Cache::Warm,
            ..RANDOM
        };
        assert_eq!(log.validate(), Ok(()));
        assert_eq!(log.offset(3), 3 * 4096);
        let err = FilesSpec {
            file_bytes: 4096,
            ..log
        }
        .validate()
        .unwrap_err();
        assert_eq!(err.field, "file_bytes");
        assert!(err.to_string().contains("1000 × 4096 = 4096000"), "{err}");
        let cold = FilesSpec {
            cache: Cache::Cold,
            ..log
        };
        assert_eq!(cold.validate().unwrap_err().field, "cache");
        let write = FilesSpec {
            shape: Shape::Write,
            files: 2,
            ..log
        };
        assert_eq!(write.validate().unwrap_err().field, "files");
        // Its blocks may be larger than a read's file would allow, never unaligned.
        let odd = FilesSpec {
            shape: Shape::Write,
            block_bytes: 1000,
            file_bytes: 1000 * 1000,
            ..log
        };
        assert_eq!(odd.validate().unwrap_err().field, "block_bytes");
    }

    #[test]
    fn random_offsets_are_aligned_inside_the_file_and_spread() {
        let offsets: Vec<u64> = (0..RANDOM.ops).map(|op| RANDOM.offset(op)).collect();
        assert!(
            offsets
                .iter()
                .all(|o| o % 4096 == 0 && o + 4096 <= RANDOM.file_bytes)
        );
        let distinct: std::collections::HashSet<_> = offsets.iter().collect();
        // 1000 draws over 256 blocks: nearly every block.
        assert!(distinct.len() > 200, "{}", distinct.len());
    }

    #[test]
    fn each_read_has_its_own_expected_checksum() {
        let small = SMALL.read_checksums();
        assert_eq!(small.len(), 100);
        assert_ne!(small[0], small[1]);
        let random = RANDOM.read_checksums();
        for op in [0, 1, 500, 999] {
            assert_eq!(random[op as usize], RANDOM.read_checksum(op), "{op}");
        }
    }
}
