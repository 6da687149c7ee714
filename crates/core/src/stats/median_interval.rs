//! A distribution-free confidence interval for a median, from order statistics: the
//! interval between the k-th smallest and k-th largest of n values covers the median with
//! probability 1 − 2·P(B ≤ k − 1), B ~ Binomial(n, ½), whatever the distribution.

/// The narrowest order-statistic interval `[x(k), x(n+1−k)]` whose coverage of the median
/// is at least `level`, with that coverage; `None` when even min..max covers less (fewer
/// than 6 values at 95%) or a value is NaN.
pub fn median_interval(values: &[f64], level: f64) -> Option<(f64, f64, f64)> {
    if values.iter().any(|v| v.is_nan()) {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let coverage = |k: usize| 1.0 - 2.0 * binomial_half_cdf(n, k - 1);
    let k = (1..=n.div_ceil(2))
        .take_while(|&k| coverage(k) >= level)
        .last()?;
    Some((sorted[k - 1], sorted[n - k], coverage(k)))
}

/// P(B ≤ j) for B ~ Binomial(n, ½).
fn binomial_half_cdf(n: usize, j: usize) -> f64 {
    let mut term = 0.5f64.powi(n as i32);
    let mut sum = term;
    for i in 1..=j.min(n) {
        term *= (n + 1 - i) as f64 / i as f64;
        sum += term;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_values_give_the_second_to_ninth_at_98_percent() {
        let values: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        let (low, high, coverage) = median_interval(&values, 0.95).unwrap();
        assert_eq!((low, high), (2.0, 9.0));
        // 1 − 2 × 11/1024.
        assert!((coverage - 0.978_515_625).abs() < 1e-9, "{coverage}");
    }

    #[test]
    fn six_values_need_their_whole_range_and_five_are_too_few() {
        let six = [3.0, 1.0, 4.0, 1.5, 5.0, 9.0];
        let (low, high, coverage) = median_interval(&six, 0.95).unwrap();
        assert_eq!((low, high), (1.0, 9.0));
        assert!((coverage - 0.968_75).abs() < 1e-9);
        assert!(median_interval(&six[..5], 0.95).is_none());
    }
}
