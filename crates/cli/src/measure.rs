//! The one place that measures: wall clock, CPU time and memory around a closure.

use std::fs;
use std::time::Instant;

use nix::sys::resource::{UsageWho, getrusage};

/// What [`measure`] saw while the closure ran.
#[derive(Clone, Debug)]
pub struct Measured<T> {
    /// The closure's return value.
    pub value: T,
    /// Wall time, seconds.
    pub wall_s: f64,
    /// Process user CPU time, seconds.
    pub user_s: f64,
    /// Process system CPU time, seconds.
    pub sys_s: f64,
    /// Resident memory just before, bytes.
    pub baseline_rss_bytes: u64,
    /// Peak resident memory during, bytes.
    pub peak_rss_bytes: u64,
    /// How the peak was measured.
    pub peak_rss_source: &'static str,
}

/// Runs `work` and measures it. The peak is reset first where Linux allows it, so it
/// covers `work` alone rather than the runtime's construction and warm-up.
pub fn measure<T>(work: impl FnOnce() -> T) -> Measured<T> {
    let baseline_rss_bytes = status_field("VmRSS:").unwrap_or(0);
    let reset = fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = cpu_times();
    let start = Instant::now();
    let value = work();
    let wall_s = start.elapsed().as_secs_f64();
    let after = cpu_times();
    let (peak_rss_bytes, peak_rss_source) = match (reset, status_field("VmHWM:")) {
        (true, Some(peak)) => (peak, "VmHWM after clear_refs reset"),
        (_, Some(peak)) => (peak, "VmHWM over the process lifetime"),
        (_, None) => (max_rss_bytes(), "ru_maxrss over the process lifetime"),
    };
    Measured {
        value,
        wall_s,
        user_s: after.0 - before.0,
        sys_s: after.1 - before.1,
        baseline_rss_bytes,
        peak_rss_bytes,
        peak_rss_source,
    }
}

/// (user, system) CPU seconds of the whole process so far.
fn cpu_times() -> (f64, f64) {
    match getrusage(UsageWho::RUSAGE_SELF) {
        Ok(usage) => {
            let seconds = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
            (seconds(usage.user_time()), seconds(usage.system_time()))
        }
        Err(_) => (f64::NAN, f64::NAN),
    }
}

fn max_rss_bytes() -> u64 {
    getrusage(UsageWho::RUSAGE_SELF)
        .map(|usage| usage.max_rss() as u64 * 1024)
        .unwrap_or(0)
}

/// A `kB` field of /proc/self/status, in bytes.
fn status_field(name: &str) -> Option<u64> {
    kib_field(&fs::read_to_string("/proc/self/status").ok()?, name)
}

/// The `name  123 kB` line of a /proc file (status, meminfo), in bytes.
pub fn kib_field(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|line| line.starts_with(name))?;
    let kib: u64 = line[name.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_memory_touched_inside_the_closure() {
        let measured = measure(|| {
            let block = vec![1u8; 64 << 20];
            block.iter().map(|&b| u64::from(b)).sum::<u64>()
        });
        assert_eq!(measured.value, 64 << 20);
        assert!(
            measured.peak_rss_bytes >= measured.baseline_rss_bytes + (60 << 20),
            "peak {} baseline {}",
            measured.peak_rss_bytes,
            measured.baseline_rss_bytes
        );
        assert!(measured.wall_s > 0.0 && measured.user_s + measured.sys_s > 0.0);
    }
}
