//! Cells too big for the machine's memory are skipped before they run, with the estimate
//! and what is available, as cells over the time limit are: the OS killing a trial (or the
//! machine swapping) says nothing about the backend.

use shootout_core::{Memory, Workload};

use crate::backends::BackendName;

/// The share of the memory available when the run is planned that one trial may take:
/// the embedded server, the run itself and whatever else the machine runs keep the rest.
pub const BUDGET_SHARE: f64 = 0.8;

/// What one trial may take here: [`BUDGET_SHARE`] of the memory available, the smaller of
/// the kernel's `MemAvailable` and the room left under this process's cgroup limit (v2 or
/// v1; a container's limit is the one that kills), or `None` where neither is known.
pub fn budget() -> Option<u64> {
    let available = [mem_available(), cgroup_room()]
        .into_iter()
        .flatten()
        .min()?;
    Some((available as f64 * BUDGET_SHARE) as u64)
}

/// `MemAvailable` from /proc/meminfo, bytes.
fn mem_available() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib: u64 = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemAvailable:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib << 10)
}

/// The memory this process's cgroup may still take (its limit less its usage), when it
/// has a limit.
fn cgroup_room() -> Option<u64> {
    let groups = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let read =
        |path: String| -> Option<u64> { std::fs::read_to_string(path).ok()?.trim().parse().ok() };
    groups.lines().find_map(|line| {
        let mut fields = line.splitn(3, ':');
        let (id, controllers, path) = (fields.next()?, fields.next()?, fields.next()?);
        let (limit, usage) = if id == "0" && controllers.is_empty() {
            let dir = format!("/sys/fs/cgroup{path}");
            (
                read(format!("{dir}/memory.max")),
                read(format!("{dir}/memory.current")),
            )
        } else if controllers.split(',').any(|c| c == "memory") {
            let dir = format!("/sys/fs/cgroup/memory{path}");
            (
                read(format!("{dir}/memory.limit_in_bytes")),
                read(format!("{dir}/memory.usage_in_bytes")),
            )
        } else {
            return None;
        };
        // No limit reads as "max" (v2, not a number) or as a page-rounded i64::MAX (v1).
        let limit = limit.filter(|&l| l < 1 << 60)?;
        Some(limit.saturating_sub(usage.unwrap_or(0)))
    })
}

/// Tasks (or requests, jobs, messages) a cell holds in memory at once. Sleeping tasks and
/// requests are those in flight at once, as the plan counts them.
fn held(backend: BackendName, workload: &Workload, threads: u64) -> u64 {
    workload.held(crate::plan::in_flight(backend, workload, threads))
}

/// The estimate of a trial's peak memory: what `backend` says it takes per worker and per
/// task, or `measured_per_task` (bytes per task this run already measured on it) when
/// that is larger.
pub fn estimate(
    backend: BackendName,
    workload: &Workload,
    threads: u64,
    measured_per_task: Option<f64>,
) -> u64 {
    let declared = backend.info().memory;
    let per_task = measured_per_task.map_or(declared.per_task, |m| {
        declared.per_task.max(m.ceil() as u64)
    });
    Memory {
        per_task,
        ..declared
    }
    .estimate(threads, held(backend, workload, threads))
}

/// Why the cell will not run, when its estimate is over `budget`.
pub fn skip(estimate: u64, budget: Option<u64>) -> Option<String> {
    let budget = budget?;
    (estimate > budget).then(|| {
        format!(
            "needs about {} of memory, over the {} a trial may take here ({:.0}% of the memory \
             available when the run was planned)",
            gib(estimate),
            gib(budget),
            BUDGET_SHARE * 100.0
        )
    })
}

fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / (1u64 << 30) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shootout_core::{CpuSpec, SleepSpec};

    fn backend(name: &str) -> BackendName {
        *BackendName::all()
            .iter()
            .find(|b| b.name() == name)
            .unwrap_or_else(|| panic!("{name}"))
    }

    #[test]
    fn the_machine_says_how_much_is_available() {
        assert!(budget().is_some_and(|b| b > 64 << 20));
    }

    #[test]
    fn many_executors_or_tasks_are_estimated_from_what_the_backend_says() {
        // glommio reserves 10 MiB per executor: 1024 of them are over 10 GiB.
        let cpu = Workload::Cpu(CpuSpec::new(1_000_000, 64));
        let glommio = estimate(backend("glommio"), &cpu, 1024, None);
        assert!(glommio > 10 << 30, "{glommio}");
        let said = skip(glommio, Some(8 << 30)).unwrap();
        assert!(
            said.starts_with("needs about 11.0 GiB of memory, over the 8.0 GiB"),
            "{said}"
        );
        // Ten million sleeping tasks on monoio: about 13 GB, as it measured.
        let sleep = Workload::Sleep(SleepSpec {
            tasks: 10_000_000,
            sleep_ms: 100,
        });
        let monoio = estimate(backend("monoio"), &sleep, 2, None);
        assert!(monoio > 12_000_000_000, "{monoio}");
        // A run that measured more per task than declared goes by the measurement.
        let measured = estimate(backend("tokio"), &sleep, 2, Some(2_000.0));
        assert!(measured > 20_000_000_000, "{measured}");
        // A small cell fits anywhere; with no budget known nothing is skipped.
        let small = estimate(backend("glommio"), &cpu, 2, None);
        assert_eq!(skip(small, Some(1 << 30)), None);
        assert_eq!(skip(glommio, None), None);
    }
}
