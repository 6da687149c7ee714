//! The CPU kernel: the exact sum of squares over a range, written so that it really runs.
//!
//! A plain `for i in range { sum += i * i }` is turned by LLVM's scalar evolution into
//! the closed form n(n-1)(2n-1)/6, even when the bounds pass through `black_box`: the
//! "benchmark" then takes nanoseconds whatever n is. Here the sum is kept as a 64-bit
//! low word plus a count of its carries. The carry of each addition depends on the
//! running low word, which is not a polynomial recurrence, so LLVM cannot replace the
//! loop with a formula; the result is still the exact `u128` sum. The `cpu` bench
//! (`cargo bench --bench cpu`) times both versions side by side, and time per element
//! stays flat as n grows by 100x.

use std::ops::Range;

/// Where squares stop fitting in 64 bits: (2^32)^2 = 2^64.
const NARROW_END: u64 = 1 << 32;

/// The exact sum of `i * i` for every `i` in `range`, as `u128`.
///
/// The caller keeps the total below `u128::MAX` (see [`crate::cpu::N_MAX`]).
pub fn sum_of_squares(range: Range<u64>) -> u128 {
    let split = range.end.clamp(range.start, NARROW_END.max(range.start));
    narrow(range.start..split) + wide(split..range.end)
}

/// Squares that fit in a `u64`: one multiply and one add with carry per element.
#[inline(never)]
fn narrow(range: Range<u64>) -> u128 {
    let mut low = 0u64;
    let mut carries = 0u64;
    for i in range {
        let (sum, carried) = low.overflowing_add(i * i);
        low = sum;
        carries += u64::from(carried);
    }
    (u128::from(carries) << 64) | u128::from(low)
}

/// Squares of 2^32 and above need 128 bits; same carry-counting scheme.
#[inline(never)]
fn wide(range: Range<u64>) -> u128 {
    let mut low = 0u64;
    let mut high = 0u64;
    for i in range {
        let square = u128::from(i) * u128::from(i);
        let (sum, carried) = low.overflowing_add(square as u64);
        low = sum;
        high += (square >> 64) as u64 + u64::from(carried);
    }
    (u128::from(high) << 64) | u128::from(low)
}

/// The closed form of `sum_of_squares(0..n)`: n(n-1)(2n-1)/6, or `None` if it overflows.
pub fn closed_form(n: u64) -> Option<u128> {
    if n == 0 {
        return Some(0);
    }
    let n = u128::from(n);
    // Divide before multiplying so the intermediate stays in range where the result does.
    let (mut a, mut b, mut c) = (n, n - 1, 2 * n - 1);
    for divisor in [2u128, 3] {
        if a % divisor == 0 {
            a /= divisor;
        } else if b % divisor == 0 {
            b /= divisor;
        } else {
            c /= divisor;
        }
    }
    a.checked_mul(b)?.checked_mul(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(range: Range<u64>) -> u128 {
        range.map(|i| u128::from(i) * u128::from(i)).sum()
    }

    #[test]
    fn matches_naive_sum_on_small_ranges() {
        for (start, end) in [
            (0, 0),
            (0, 1),
            (0, 2),
            (5, 5),
            (3, 17),
            (0, 10_000),
            (999, 12_345),
        ] {
            assert_eq!(
                sum_of_squares(start..end),
                naive(start..end),
                "{start}..{end}"
            );
        }
    }

    #[test]
    fn carries_out_of_the_low_word() {
        // Squares near 2^32 are near 2^64, so a few thousand of them carry many times.
        let range = NARROW_END - 5_000..NARROW_END;
        let expected = naive(range.clone());
        assert!(expected > u128::from(u64::MAX) * 1_000);
        assert_eq!(sum_of_squares(range), expected);
    }

    #[test]
    fn crosses_into_wide_squares() {
        let range = NARROW_END - 3_000..NARROW_END + 3_000;
        assert_eq!(sum_of_squares(range.clone()), naive(range));
        let above = 10 * NARROW_END..10 * NARROW_END + 4_000;
        assert_eq!(sum_of_squares(above.clone()), naive(above));
    }

    #[test]
    fn closed_form_agrees_with_the_loop() {
        for n in [0, 1, 2, 3, 10, 1_000, 123_457] {
            assert_eq!(closed_form(n), Some(sum_of_squares(0..n)), "n = {n}");
        }
        assert_eq!(closed_form(u64::MAX), None);
    }
}
