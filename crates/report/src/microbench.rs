//! `cargo bench` results as the page shows them: each criterion benchmark's typical time
//! with criterion's confidence interval, read by the CLI from `target/criterion`.

use serde::Deserialize;

/// One criterion benchmark.
#[derive(Clone, Debug, PartialEq)]
pub struct Microbench {
    /// The group (`spawn`, `sleep`, ...).
    pub group: String,
    /// The benchmark within it (`tokio/1000`).
    pub id: String,
    /// Criterion's typical time per iteration, ns: the slope of its linear fit where it
    /// has one, else the mean (what `cargo bench` prints as `time:`).
    pub point_ns: f64,
    /// The interval's lower bound, ns.
    pub low_ns: f64,
    /// The interval's upper bound, ns.
    pub high_ns: f64,
    /// The interval's confidence level (0.95 by default).
    pub level: f64,
    /// When criterion wrote it, Unix seconds.
    pub measured_unix_s: u64,
}

/// criterion's `benchmark.json`.
#[derive(Debug, Deserialize)]
struct Benchmark {
    group_id: String,
    function_id: Option<String>,
    value_str: Option<String>,
}

/// criterion's `estimates.json`.
#[derive(Debug, Deserialize)]
struct Estimates {
    mean: Estimate,
    slope: Option<Estimate>,
}

#[derive(Debug, Deserialize)]
struct Estimate {
    point_estimate: f64,
    confidence_interval: Interval,
}

#[derive(Debug, Deserialize)]
struct Interval {
    confidence_level: f64,
    lower_bound: f64,
    upper_bound: f64,
}

impl Microbench {
    /// One benchmark from the text of its `new/benchmark.json` and `new/estimates.json`,
    /// written at `measured_unix_s`; `None` when either does not read as criterion's, or
    /// holds a number that is not finite.
    pub fn parse(benchmark: &str, estimates: &str, measured_unix_s: u64) -> Option<Microbench> {
        let benchmark: Benchmark = serde_json::from_str(benchmark).ok()?;
        let estimates: Estimates = serde_json::from_str(estimates).ok()?;
        let typical = estimates.slope.unwrap_or(estimates.mean);
        let ci = &typical.confidence_interval;
        let values = [typical.point_estimate, ci.lower_bound, ci.upper_bound];
        if values.iter().any(|v| !v.is_finite() || *v < 0.0) {
            return None;
        }
        let id = [benchmark.function_id, benchmark.value_str]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("/");
        Some(Microbench {
            group: benchmark.group_id,
            id,
            point_ns: typical.point_estimate,
            low_ns: ci.lower_bound,
            high_ns: ci.upper_bound,
            level: ci.confidence_level,
            measured_unix_s,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `cargo bench --bench spawn -- tokio` wrote with the pinned criterion (0.8.2).
    const BENCHMARK: &str =
        include_str!("../tests/fixtures/criterion-0.8.2/spawn/tokio/100/new/benchmark.json");
    const ESTIMATES: &str =
        include_str!("../tests/fixtures/criterion-0.8.2/spawn/tokio/100/new/estimates.json");

    #[test]
    fn reads_criterions_files() {
        let bench = Microbench::parse(BENCHMARK, ESTIMATES, 7).unwrap();
        assert_eq!(bench.group, "spawn");
        assert_eq!(bench.id, "tokio/100");
        // criterion fitted a slope (linear sampling): its typical value, as `cargo bench`
        // printed it ("time: [100.99 µs 101.80 µs 102.30 µs]").
        let printed = [
            101_797.009_693_100_19,
            100_993.836_815_841_26,
            102_298.878_400_753_47,
        ];
        let read = [bench.point_ns, bench.low_ns, bench.high_ns];
        for (read, printed) in read.into_iter().zip(printed) {
            // serde_json's float parsing may land one unit in the last place away.
            assert!(
                (read - printed).abs() <= 1e-12 * printed,
                "{read} against {printed}"
            );
        }
        assert_eq!(bench.level, 0.95);
        assert_eq!(bench.measured_unix_s, 7);
        // Without a slope (flat sampling), the mean.
        let value: serde_json::Value = serde_json::from_str(ESTIMATES).unwrap();
        let mut flat = value.clone();
        flat["slope"] = serde_json::Value::Null;
        let flat = Microbench::parse(BENCHMARK, &flat.to_string(), 7).unwrap();
        assert_eq!(
            flat.point_ns,
            value["mean"]["point_estimate"].as_f64().unwrap()
        );
        assert!(Microbench::parse("{}", ESTIMATES, 7).is_none());
        assert!(Microbench::parse(BENCHMARK, "not json", 7).is_none());
    }
}
