//! SplitMix64, the project's one pseudo-random generator: task tokens, fault fates, body
//! bytes and the trial order all draw from it, so a recorded seed reproduces the same
//! stream on every platform and every version of this tool.

/// SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit state advanced by the golden-ratio
/// increment, each output a mix of the state.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub const fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform index below `bound` (Lemire's multiply-shift; the bias is below 2^-50 for
    /// the few dozen items it is used on).
    pub fn below(&mut self, bound: usize) -> usize {
        ((u128::from(self.next_u64()) * bound as u128) >> 64) as usize
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// The first output of a generator seeded with `x`: a well-mixed hash of one number.
pub fn mix(x: u64) -> u64 {
    SplitMix64::new(x).next_u64()
}

/// A well-mixed token per id (SplitMix64's first output for it): task ids, fault fates and
/// bodies hash through it, so a lost task and a duplicated one cannot cancel out in a sum
/// the way plain ids could.
pub fn token(id: u64) -> u64 {
    mix(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_its_reference_stream() {
        // The first outputs for seed 1234567 from the reference implementation.
        let mut rng = SplitMix64::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
        assert_eq!(mix(1_234_567), 6_457_827_717_110_365_317);
    }

    #[test]
    fn a_shuffle_is_a_permutation() {
        let mut items: Vec<u32> = (0..50).collect();
        SplitMix64::new(7).shuffle(&mut items);
        assert_ne!(items, (0..50).collect::<Vec<_>>());
        items.sort_unstable();
        assert_eq!(items, (0..50).collect::<Vec<_>>());
    }
}
