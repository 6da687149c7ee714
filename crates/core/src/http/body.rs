//! Deterministic response bodies: the server makes them, the client checks them.

/// FNV-1a 64-bit offset basis.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a 64-bit prime.
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// The `n` bytes the server sends for `GET /bytes/{n}?seed={seed}`.
pub fn fill(n: u64, seed: u64) -> Vec<u8> {
    fill_at(0, n as usize, seed)
}

/// Bytes `offset..offset + len` of every body made with `seed` (a body of `n` bytes is
/// its first `n`), so a server can stream a large body a chunk at a time instead of
/// holding it whole.
pub fn fill_at(offset: u64, len: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    let mut at = offset;
    while out.len() < len {
        let word = crate::random::token(seed ^ crate::random::token(at / 8)).to_le_bytes();
        let from = (at % 8) as usize;
        let take = (len - out.len()).min(8 - from);
        out.extend_from_slice(&word[from..from + take]);
        at += take as u64;
    }
    out
}

/// A running FNV-1a hash of a body, fed as the bytes arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyHasher(u64);

impl Default for BodyHasher {
    fn default() -> Self {
        BodyHasher(FNV_OFFSET)
    }
}

impl BodyHasher {
    /// Adds `bytes` to the hash.
    pub fn update(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
        }
    }

    /// The hash so far.
    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// The hash of the body the server sends for `n` bytes with `seed`.
pub fn expected_hash(n: u64, seed: u64) -> u64 {
    let mut hasher = BodyHasher::default();
    hasher.update(&fill(n, seed));
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_deterministic_and_depend_on_length_and_seed() {
        assert_eq!(fill(13, 1), fill(13, 1));
        assert_eq!(fill(13, 1).len(), 13);
        assert_eq!(fill(0, 1), Vec::<u8>::new());
        assert_ne!(fill(16, 1), fill(16, 2));
        assert_eq!(&fill(16, 1)[..8], &fill(8, 1)[..]);
        assert_ne!(expected_hash(100, 1), expected_hash(100, 2));
    }

    #[test]
    fn a_body_streamed_in_chunks_is_the_whole_body() {
        let whole = fill(1000, 7);
        for chunk in [1, 7, 8, 64, 999] {
            let mut streamed = Vec::new();
            while streamed.len() < whole.len() {
                let len = chunk.min(whole.len() - streamed.len());
                streamed.extend(fill_at(streamed.len() as u64, len, 7));
            }
            assert_eq!(streamed, whole, "chunks of {chunk}");
        }
    }

    #[test]
    fn hashing_in_pieces_equals_hashing_whole() {
        let body = fill(1000, 7);
        let mut pieces = BodyHasher::default();
        for chunk in body.chunks(7) {
            pieces.update(chunk);
        }
        assert_eq!(pieces.finish(), expected_hash(1000, 7));
    }
}
