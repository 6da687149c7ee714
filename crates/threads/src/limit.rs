//! How many threads this process can still start, read before starting any: past the
//! kernel's limits a thread may be refused (an error `spawn_all` reports), but it may also
//! start and then fail to map its signal stack, and std aborts the whole process with no
//! record. Asking for more than these limits allow is refused up front instead.

use std::fs;

/// Memory maps a thread takes: its stack and guard page, its signal stack and guard.
const MAPS_PER_THREAD: u64 = 4;

/// A std thread's default stack plus its signal stack and guards, bytes of address space.
const SPACE_PER_THREAD: u64 = (2 << 20) + (64 << 10);

/// Of what the limits leave, the share planned on: the estimate is not exact.
const MARGIN: f64 = 0.9;

/// The most threads this process may start now, and the limit that sets it.
pub fn headroom() -> Option<(u64, String)> {
    let mut limits: Vec<(u64, String)> = Vec::new();
    if let (Some(max), Some(used)) = (read_number("/proc/sys/vm/max_map_count"), maps_in_use()) {
        limits.push((
            max.saturating_sub(used) / MAPS_PER_THREAD,
            format!("vm.max_map_count = {max}, {used} maps in use, {MAPS_PER_THREAD} per thread"),
        ));
    }
    if let Some(max) = read_number("/proc/sys/kernel/threads-max") {
        limits.push((max, format!("kernel.threads-max = {max}")));
    }
    if let Some(max) = read_number("/proc/sys/kernel/pid_max") {
        limits.push((max, format!("kernel.pid_max = {max}")));
    }
    if let Some((limit, used)) = address_space() {
        limits.push((
            limit.saturating_sub(used) / SPACE_PER_THREAD,
            format!(
                "an address-space limit (ulimit -v) of {} MiB, {} MiB in use, about {} MiB per thread",
                limit >> 20,
                used >> 20,
                SPACE_PER_THREAD >> 20
            ),
        ));
    }
    limits
        .into_iter()
        .min_by_key(|(n, _)| *n)
        .map(|(n, why)| ((n as f64 * MARGIN) as u64, why))
}

fn read_number(path: &str) -> Option<u64> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

fn maps_in_use() -> Option<u64> {
    Some(fs::read_to_string("/proc/self/maps").ok()?.lines().count() as u64)
}

/// The soft RLIMIT_AS when one is set, and this process's virtual size.
fn address_space() -> Option<(u64, u64)> {
    let limits = fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max address space"))?;
    let soft = line.split_whitespace().nth(3)?;
    let limit: u64 = soft.parse().ok()?; // "unlimited" does not parse: no limit
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let kib: u64 = status
        .lines()
        .find(|l| l.starts_with("VmSize:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some((limit, kib << 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headroom_is_positive_and_names_its_limit() {
        let (threads, why) = headroom().expect("Linux exposes its limits");
        assert!(threads > 100, "{threads}: {why}");
        assert!(threads < 10_000_000, "{threads}: {why}");
        assert!(!why.is_empty());
    }
}
