//! The times the mock takes: a synthetic time from each cell's spec (its answer is the
//! workload's own, [`Workload::synthetic`]).

use std::time::Duration;

use shootout_core::Workload;

/// The base synthetic time of `workload` with `in_flight` at once: the kernel's elements at
/// 0.1 Gelem/s (slower than any machine computes them, so a run stays plausible), else
/// what it would take if it only waited (its predicted time), else a millisecond per ten
/// thousand tasks or messages; at least 2 ms and at most 100 ms unless it computes.
pub fn base_time(workload: &Workload, in_flight: u64) -> Duration {
    if let Some(elements) = workload.kernel_elements() {
        return Duration::from_secs_f64((elements as f64 / 1e8).max(0.002));
    }
    let secs = workload
        .predict_s(in_flight)
        .unwrap_or_else(|| workload.rate(1.0) / 1e7)
        .clamp(0.002, 0.1);
    Duration::from_secs_f64(secs)
}
