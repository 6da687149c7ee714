//! What a write shape leaves behind: its file, read back block by block after the clock
//! and checked against what each write wrote, then deleted (also when a run fails).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::content;
use super::spec::FilesSpec;
use crate::outcome::Mismatch;

/// Reads the file at `path` back and checks it holds every write of `spec` in its place,
/// then deletes it (whatever it held); a mismatch names the first block that differs.
pub fn check_and_remove(spec: &FilesSpec, path: &Path) -> Result<(), Mismatch> {
    let checked = check(spec, path);
    let removed = std::fs::remove_file(path);
    checked?;
    removed.map_err(|err| {
        Mismatch::new(format!(
            "removing the written file {}: {err}",
            path.display()
        ))
    })
}

/// Checks the file at `path` against `spec`'s writes.
fn check(spec: &FilesSpec, path: &Path) -> Result<(), Mismatch> {
    let read_back = |err: io::Error| {
        Mismatch::new(format!(
            "reading the written file {} back: {err}",
            path.display()
        ))
    };
    let mut file = File::open(path).map_err(read_back)?;
    let len = file.metadata().map_err(read_back)?.len();
    if len != spec.file_bytes {
        return Err(Mismatch::new(format!(
            "the written file is {len} bytes, not the {} its {} writes make",
            spec.file_bytes, spec.ops
        )));
    }
    let template = content::template(spec.seed, spec.block_bytes);
    let mut block = vec![0u8; template.len()];
    for op in 0..spec.ops {
        file.read_exact(&mut block).map_err(read_back)?;
        if !content::is_block(&block, &template, spec.seed, op) {
            return Err(Mismatch::new(format!(
                "block {op} of the written file (at byte {}) is not what write {op} wrote",
                spec.offset(op)
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Cache, FileIo, Shape};
    use super::*;
    use std::os::unix::fs::FileExt;

    const LOG: FilesSpec = FilesSpec {
        shape: Shape::Log,
        files: 1,
        file_bytes: 8 * 512,
        block_bytes: 512,
        ops: 8,
        concurrency: 2,
        cache: Cache::Warm,
        seed: 9,
        io: FileIo::Buffered,
    };

    /// Writes `spec`'s file at `path` as a correct run would.
    fn write_all(spec: &FilesSpec, path: &Path) {
        let file = File::create(path).unwrap();
        let template = content::template(spec.seed, spec.block_bytes);
        let mut block = Vec::new();
        for op in 0..spec.ops {
            content::fill_block(&mut block, &template, spec.seed, op);
            file.write_all_at(&block, spec.offset(op)).unwrap();
        }
    }

    #[test]
    fn a_file_is_read_back_block_by_block_and_deleted_right_or_wrong() {
        let path = std::env::temp_dir().join(format!("shootout-written-{}", std::process::id()));
        write_all(&LOG, &path);
        assert_eq!(check_and_remove(&LOG, &path), Ok(()));
        assert!(!path.exists());
        // Two writes swapped: the first of them is named.
        write_all(&LOG, &path);
        let file = File::options().read(true).write(true).open(&path).unwrap();
        let (mut three, mut five) = (vec![0u8; 512], vec![0u8; 512]);
        file.read_exact_at(&mut three, 3 * 512).unwrap();
        file.read_exact_at(&mut five, 5 * 512).unwrap();
        file.write_all_at(&five, 3 * 512).unwrap();
        file.write_all_at(&three, 5 * 512).unwrap();
        let err = check_and_remove(&LOG, &path).unwrap_err().to_string();
        assert!(
            err.contains("block 3 of the written file (at byte 1536)"),
            "{err}"
        );
        assert!(!path.exists());
        // A write lost off the end: the size says so.
        write_all(&LOG, &path);
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(7 * 512)
            .unwrap();
        let err = check_and_remove(&LOG, &path).unwrap_err().to_string();
        assert!(err.contains("3584 bytes, not the 4096"), "{err}");
    }
}
