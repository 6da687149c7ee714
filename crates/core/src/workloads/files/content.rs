//! Every file's bytes, deterministic from the run's seed, and the checksum reads are checked
//! by.

use crate::body;
use crate::random::token;

/// The seed of file `file`'s bytes in a set made with `seed` (the large file is file 0).
pub fn file_seed(seed: u64, file: u64) -> u64 {
    token(seed ^ token(file.wrapping_add(1)))
}

/// Bytes `offset..offset + len` of the file whose seed is `file_seed`.
pub fn bytes(file_seed: u64, offset: u64, len: usize) -> Vec<u8> {
    body::fill_at(offset, len, file_seed)
}

/// The checksum of `bytes` every read is checked by: XXH3 (64-bit), the common fast
/// non-cryptographic hash. It catches wrong, short, shifted or stale bytes, which is what a
/// read is checked for, and it must weigh little beside the read it checks, since it runs
/// inside the clock on every backend alike: measured by `cargo bench --bench files`.
pub fn checksum(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// The bytes every block a write shape writes starts from: `block_bytes` of the seed's
/// file, made once per worker before the clock.
pub fn template(seed: u64, block_bytes: u64) -> Vec<u8> {
    bytes(file_seed(seed, 0), 0, block_bytes as usize)
}

/// The stamp of write `op` in a run of `seed`: the block's first 8 bytes.
fn stamp(seed: u64, op: u64) -> [u8; 8] {
    token(seed ^ token(op.wrapping_add(1))).to_le_bytes()
}

/// Fills `buffer` with the bytes write `op` writes: the template, its first 8 bytes the
/// op's stamp, so a block lost, written twice, at another offset or torn is seen when the
/// file is read back. The one piece of our work inside a write's clock, the same copy on
/// every backend.
pub fn fill_block(buffer: &mut Vec<u8>, template: &[u8], seed: u64, op: u64) {
    buffer.clear();
    buffer.extend_from_slice(template);
    buffer[..8].copy_from_slice(&stamp(seed, op));
}

/// Whether `block`, read back from a written file, is write `op`'s.
pub fn is_block(block: &[u8], template: &[u8], seed: u64, op: u64) -> bool {
    block.len() == template.len() && block[..8] == stamp(seed, op) && block[8..] == template[8..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_differ_by_seed_and_index_and_read_the_same_at_any_offset() {
        assert_ne!(file_seed(1, 0), file_seed(1, 1));
        assert_ne!(file_seed(1, 0), file_seed(2, 0));
        let whole = bytes(file_seed(1, 3), 0, 10_000);
        assert_eq!(bytes(file_seed(1, 3), 4096, 100), whole[4096..4196]);
    }

    #[test]
    fn the_checksum_sees_a_changed_short_or_shifted_read() {
        let block = bytes(file_seed(1, 0), 0, 4096);
        let sum = checksum(&block);
        assert_eq!(sum, checksum(&block.clone()));
        let mut changed = block.clone();
        changed[4000] ^= 1;
        assert_ne!(checksum(&changed), sum);
        assert_ne!(checksum(&block[..4095]), sum);
        let shifted = bytes(file_seed(1, 0), 8, 4096);
        assert_ne!(checksum(&shifted), sum);
        // A block of zeros (a hole, an unwritten page) is not any block's checksum.
        assert_ne!(checksum(&[0u8; 4096]), sum);
    }

    #[test]
    fn a_written_block_is_its_own_ops_and_no_others() {
        let template = template(3, 512);
        let mut block = Vec::new();
        fill_block(&mut block, &template, 3, 7);
        assert!(is_block(&block, &template, 3, 7));
        assert!(!is_block(&block, &template, 3, 8));
        assert!(!is_block(&block, &template, 4, 7));
        assert!(!is_block(&block[..511], &template, 3, 7));
        block[300] ^= 1;
        assert!(!is_block(&block, &template, 3, 7));
    }
}
