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

    const BENCHMARK: &str = r#"{"group_id":"spawn","function_id":"tokio","value_str":"1000","throughput":{"Elements":1000},"full_id":"spawn/tokio/1000","directory_name":"spawn/tokio/1000","title":"spawn/tokio/1000"}"#;
    const ESTIMATES: &str = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":100.0,"upper_bound":120.0},"point_estimate":110.0,"standard_error":5.0},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":99.0,"upper_bound":119.0},"point_estimate":108.0,"standard_error":5.0},"median_abs_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":1.5,"standard_error":0.1},"slope":null,"std_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":1.5,"standard_error":0.1}}"#;

    #[test]
    fn reads_criterions_files() {
        let bench = Microbench::parse(BENCHMARK, ESTIMATES, 7).unwrap();
        assert_eq!(bench.group, "spawn");
        assert_eq!(bench.id, "tokio/1000");
        assert_eq!(
            (bench.point_ns, bench.low_ns, bench.high_ns),
            (110.0, 100.0, 120.0)
        );
        assert_eq!(bench.level, 0.95);
        // The slope, where criterion fitted one, is its typical value.
        let sloped = ESTIMATES.replace(
            r#""slope":null"#,
            r#""slope":{"confidence_interval":{"confidence_level":0.95,"lower_bound":90.0,"upper_bound":95.0},"point_estimate":92.0,"standard_error":1.0}"#,
        );
        assert_eq!(
            Microbench::parse(BENCHMARK, &sloped, 7).unwrap().point_ns,
            92.0
        );
        assert!(Microbench::parse("{}", ESTIMATES, 7).is_none());
        assert!(Microbench::parse(BENCHMARK, "not json", 7).is_none());
    }
}
