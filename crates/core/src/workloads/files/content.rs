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

/// Multiplier of the checksum's rounds (a 64-bit odd constant from splitmix64).
const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// A checksum of `bytes` that takes them eight at a time, so checking a read costs little
/// beside the read (the server's byte-wise FNV-1a takes a round per byte, and on a 4 KiB
/// read from the page cache would weigh as much as the read and flatten the differences
/// the workload measures; to be measured in the workload's bench). Not cryptographic: it
/// catches wrong, short, shifted or stale bytes, which is what a read is checked for.
pub fn checksum(bytes: &[u8]) -> u64 {
    let mut h = K ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    let mut tail = [0u8; 8];
    let rest = words.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    h = (h ^ u64::from_le_bytes(tail))
        .wrapping_mul(K)
        .rotate_left(29);
    h ^ (h >> 32)
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
}
