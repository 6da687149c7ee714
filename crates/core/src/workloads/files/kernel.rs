//! A read's check against the checksum the run prepared before the clock, and a positioned
//! read as a backend of OS threads makes it (`std::fs`). A read that fails, comes back
//! short or holds other bytes is an error naming the read.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

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
    /// A write failed (a full disk says "No space left on device").
    #[error("write {op}: {source}")]
    Write {
        /// The write.
        op: u64,
        /// Its error.
        source: io::Error,
    },
    /// An `fdatasync` failed: after write `op` (a log's), or the file's last (a write's).
    #[error("fdatasync after write {op}: {source}")]
    Sync {
        /// The write it followed.
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

/// Reads `buffer.len()` bytes of `file` at `offset` (a positioned read), as a thread
/// backend's worker does; its check is the caller's.
pub fn read_at(op: u64, file: &File, offset: u64, buffer: &mut [u8]) -> Result<(), ReadError> {
    file.read_exact_at(buffer, offset)
        .map_err(|source| ReadError::Io { op, source })
}

/// Writes `bytes` as write `op` at `offset` (a positioned write), and `fdatasync`s the file
/// after it where `sync`: a thread backend's write.
pub fn write_at(
    op: u64,
    file: &File,
    offset: u64,
    bytes: &[u8],
    sync: bool,
) -> Result<(), ReadError> {
    file.write_all_at(bytes, offset)
        .map_err(|source| ReadError::Write { op, source })?;
    if sync {
        sync_after(op, file)?;
    }
    Ok(())
}

/// `fdatasync`s `file` after write `op`.
pub fn sync_after(op: u64, file: &File) -> Result<(), ReadError> {
    file.sync_data()
        .map_err(|source| ReadError::Sync { op, source })
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
            io: crate::files::FileIo::Buffered,
        };
        let set = FileSet::make(&parent, spec.set_key()).unwrap();
        let expected = spec.read_checksums();
        let file = File::open(set.path(0)).unwrap();
        let mut buffer = vec![0u8; 4096];
        let read_block = |op: u64, buffer: &mut [u8], expected: u64| {
            read_at(op, &file, spec.offset(op), buffer)?;
            check(op, buffer, expected)
        };
        for op in 0..spec.ops {
            read_block(op, &mut buffer, expected[op as usize]).unwrap();
        }
        // Changed behind the run's back: the read that meets the change fails.
        let changed = File::options().write(true).open(set.path(0)).unwrap();
        changed.write_all_at(&[0xff; 16], spec.offset(3)).unwrap();
        let err = read_block(3, &mut buffer, expected[3]).unwrap_err();
        assert!(err.to_string().starts_with("read 3: 4096 bytes"), "{err}");
        // Past the end: the OS's error, named.
        let err = read_at(9, &file, 1 << 20, &mut buffer).unwrap_err();
        assert!(matches!(err, ReadError::Io { op: 9, .. }), "{err}");
        std::fs::remove_dir_all(&parent).unwrap();
    }
}
