//! One read as a backend of OS threads makes it (`std::fs`), checked against the checksum
//! the run prepared before the clock. A read that fails, comes back short or holds other
//! bytes is an error naming the read.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::Path;

use super::content;

/// Why a read did not count.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The operating system refused it.
    #[error("read {op}: {source}")]
    Io {
        /// The read.
        op: u64,
        /// Its error.
        source: io::Error,
    },
    /// It came back with other bytes than the file holds.
    #[error("read {op}: {got} bytes with checksum {checksum:#x}, not the file's {expected:#x}")]
    Wrong {
        /// The read.
        op: u64,
        /// Bytes read.
        got: usize,
        /// Their checksum.
        checksum: u64,
        /// The checksum the file's bytes have.
        expected: u64,
    },
}

/// Checks `bytes`, read by `op`, against `expected`.
pub fn check(op: u64, bytes: &[u8], expected: u64) -> Result<(), ReadError> {
    let checksum = content::checksum(bytes);
    if checksum == expected {
        Ok(())
    } else {
        Err(ReadError::Wrong {
            op,
            got: bytes.len(),
            checksum,
            expected,
        })
    }
}

/// Reads the file at `path` whole into `buffer` (cleared; its capacity kept from one read to
/// the next) and checks it: open, read to the end, close.
pub fn read_whole(
    op: u64,
    path: &Path,
    buffer: &mut Vec<u8>,
    expected: u64,
) -> Result<(), ReadError> {
    let io = |source| ReadError::Io { op, source };
    buffer.clear();
    File::open(path)
        .and_then(|mut file| file.read_to_end(buffer))
        .map_err(io)?;
    check(op, buffer, expected)
}

/// Reads `buffer.len()` bytes of `file` at `offset` (a positioned read: workers share one
/// open file) and checks them.
pub fn read_block(
    op: u64,
    file: &File,
    offset: u64,
    buffer: &mut [u8],
    expected: u64,
) -> Result<(), ReadError> {
    file.read_exact_at(buffer, offset)
        .map_err(|source| ReadError::Io { op, source })?;
    check(op, buffer, expected)
}

#[cfg(test)]
mod tests {
    use super::super::{Cache, FileSet, FilesSpec, Shape};
    use super::*;

    #[test]
    fn reads_check_their_bytes_and_a_changed_file_fails_naming_the_read() {
        let parent = std::env::temp_dir().join(format!("shootout-kernel-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&parent);
        std::fs::create_dir_all(&parent).unwrap();
        let spec = FilesSpec {
            shape: Shape::RandomRead,
            files: 1,
            file_bytes: 1 << 20,
            block_bytes: 4096,
            ops: 64,
            concurrency: 1,
            cache: Cache::Warm,
            seed: 5,
        };
        let set = FileSet::make(&parent, &spec).unwrap();
        let expected = spec.expected_checksums();
        let file = File::open(set.path(0)).unwrap();
        let mut buffer = vec![0u8; 4096];
        for op in 0..spec.ops {
            read_block(
                op,
                &file,
                spec.offset(op),
                &mut buffer,
                expected[op as usize],
            )
            .unwrap();
        }
        // Changed behind the run's back: the read that meets the change fails.
        let changed = File::options().write(true).open(set.path(0)).unwrap();
        changed.write_all_at(&[0xff; 16], spec.offset(3)).unwrap();
        let err = read_block(3, &file, spec.offset(3), &mut buffer, expected[3]).unwrap_err();
        assert!(err.to_string().starts_with("read 3: 4096 bytes"), "{err}");
        // Past the end: the OS's error, named.
        let err = read_block(9, &file, 1 << 20, &mut buffer, 0).unwrap_err();
        assert!(matches!(err, ReadError::Io { op: 9, .. }), "{err}");
        std::fs::remove_dir_all(&parent).unwrap();
    }

    #[test]
    fn a_whole_file_reads_and_checks() {
        let parent = std::env::temp_dir().join(format!("shootout-whole-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&parent);
        std::fs::create_dir_all(&parent).unwrap();
        let spec = FilesSpec {
            shape: Shape::SmallFiles,
            files: 3,
            file_bytes: 5000,
            block_bytes: 4096,
            ops: 3,
            concurrency: 1,
            cache: Cache::Warm,
            seed: 2,
        };
        let set = FileSet::make(&parent, &spec).unwrap();
        let mut buffer = Vec::new();
        for op in 0..3 {
            read_whole(op, &set.path(op), &mut buffer, spec.expected_checksum(op)).unwrap();
        }
        let err = read_whole(0, &set.path(1), &mut buffer, spec.expected_checksum(0));
        assert!(matches!(err, Err(ReadError::Wrong { op: 0, .. })));
        std::fs::remove_dir_all(&parent).unwrap();
    }
}
