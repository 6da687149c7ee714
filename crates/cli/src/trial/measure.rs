//! The one place that measures: wall clock, CPU time and memory around a closure.

use std::fs;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use nix::sys::resource::{UsageWho, getrusage};
use shootout_core::clock;
use shootout_core::results::Disturbance;

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
    /// What other processes and the hypervisor took meanwhile, where /proc tells.
    pub disturbance: Option<Disturbance>,
    /// CPU time the partners used meanwhile, seconds (nanosecond run times where
    /// /proc/PID/task/*/schedstat has them, clock ticks otherwise); `None` without partners.
    pub partners_cpu_s: Option<f64>,
    /// How long `work` started its workers before the clock started, seconds; `None` when
    /// the clock started as `work` was called.
    pub before_clock_s: Option<f64>,
    /// Bytes this process and its helpers had the storage device read while the clock ran
    /// (`read_bytes` of /proc/PID/io); `None` where the kernel does not account I/O.
    pub device_read_bytes: Option<u64>,
    /// Bytes this process and its helpers had the storage device write while the clock ran
    /// (`write_bytes` of /proc/PID/io: written back, by an fsync or the kernel's flusher).
    pub device_write_bytes: Option<u64>,
}

/// A kernel stack per thread on x86_64 Linux (`THREAD_SIZE`, 16 KiB without KASAN):
/// memory a thread costs that RSS does not count.
pub const KERNEL_STACK_BYTES: u64 = 16 << 10;

/// Samples this process's thread count and page-table size (`Threads:`, `VmPTE:` in
/// /proc/self/status) every millisecond while a workload runs, for the kernel memory
/// its tasks cost: a kernel stack per thread and the page tables of what they map.
pub struct KernelSampler {
    stop: Arc<AtomicBool>,
    handle: JoinHandle<(u64, u64)>,
    baseline: (u64, u64),
}

impl KernelSampler {
    /// Starts sampling; the baseline is taken once the sampler thread itself runs.
    pub fn start() -> Option<KernelSampler> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = thread::Builder::new()
            .name("kernel-sampler".into())
            .spawn(move || {
                let mut peak = (0, 0);
                loop {
                    let (threads, pte) = kernel_now();
                    peak = (peak.0.max(threads), peak.1.max(pte));
                    if flag.load(Ordering::Relaxed) {
                        return peak;
                    }
                    thread::sleep(Duration::from_millis(1));
                }
            })
            .ok()?;
        Some(KernelSampler {
            stop,
            handle,
            baseline: kernel_now(),
        })
    }

    /// Stops sampling; returns the kernel memory above the baseline at the peak, bytes.
    pub fn finish(self) -> Option<u64> {
        self.stop.store(true, Ordering::Relaxed);
        let (threads, pte_kib) = self.handle.join().ok()?;
        let (base_threads, base_pte_kib) = self.baseline;
        Some(
            threads.saturating_sub(base_threads) * KERNEL_STACK_BYTES
                + pte_kib.saturating_sub(base_pte_kib) * 1024,
        )
    }
}

/// This process's threads and page-table kibibytes now.
fn kernel_now() -> (u64, u64) {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    (field("Threads:"), field("VmPTE:"))
}

/// Runs `work` and measures it. The peak is reset first where Linux allows it, so it
/// covers `work` alone rather than the runtime's construction and warm-up. `partners` are
/// processes whose CPU time is part of the work (the fetch server), not a disturbance.
/// `helpers` are processes doing the backend's own work (a process pool's workers): their
/// CPU time and peak memory are added to this process's, as one program's.
///
/// The clock starts as `work` is called, or, when `work` first starts workers that wait at
/// a [`shootout_core::clock::Gate`], as the gate opens: their start-up is not timed (its
/// length is [`Measured::before_clock_s`]), their memory is.
pub fn measure<T>(work: impl FnOnce() -> T, partners: &[u32], helpers: &[u32]) -> Measured<T> {
    let baseline_rss_bytes = status_field("VmRSS:").unwrap_or(0) + helpers_field(helpers, "VmRSS:");
    let reset = fs::write("/proc/self/clear_refs", "5").is_ok()
        & helpers
            .iter()
            .all(|pid| fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok());
    let at_gate: Arc<Mutex<Option<Mark>>> = Arc::default();
    {
        let (at_gate, partners, helpers) = (at_gate.clone(), partners.to_vec(), helpers.to_vec());
        clock::on_start(move || {
            *at_gate.lock().unwrap_or_else(PoisonError::into_inner) =
                Some(Mark::now(&partners, &helpers));
        });
    }
    let called = Mark::now(partners, helpers);
    let value = work();
    let end = Instant::now();
    clock::clear();
    let gated = at_gate
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    let before_clock_s = gated
        .as_ref()
        .map(|mark| mark.at.saturating_duration_since(called.at).as_secs_f64());
    let Mark {
        at: start,
        cpu: before,
        helpers: helpers_before,
        machine: machine_before,
        partners: partners_before,
        partners_ns: partners_ns_before,
        read_bytes: read_bytes_before,
        write_bytes: write_bytes_before,
    } = gated.unwrap_or(called);
    let wall_s = end.saturating_duration_since(start).as_secs_f64();
    let device_read_bytes = read_bytes_before
        .zip(io_bytes(helpers, "read_bytes:"))
        .map(|(before, after)| after.saturating_sub(before));
    let device_write_bytes = write_bytes_before
        .zip(io_bytes(helpers, "write_bytes:"))
        .map(|(before, after)| after.saturating_sub(before));
    let after = cpu_times();
    let helpers_after = helper_times(helpers);
    let partners_ns_after = partner_run_ns(partners);
    let partners_after = partner_ticks(partners);
    let machine_after = machine_ticks();
    let partners_cpu_s =
        (!partners.is_empty()).then(|| match (partners_ns_before, partners_ns_after) {
            (Some(b), Some(a)) => a.saturating_sub(b) as f64 / 1e9,
            _ => partners_after.saturating_sub(partners_before) as f64 * TICK_S,
        });
    let (peak_rss_bytes, mut peak_rss_source) = match (reset, status_field("VmHWM:")) {
        (true, Some(peak)) => (peak, "VmHWM after clear_refs reset"),
        (_, Some(peak)) => (peak, "VmHWM over the process lifetime"),
        (_, None) => (max_rss_bytes(), "ru_maxrss over the process lifetime"),
    };
    let peak_rss_bytes = peak_rss_bytes + helpers_field(helpers, "VmHWM:");
    if !helpers.is_empty() {
        peak_rss_source = if reset {
            "VmHWM after clear_refs reset, summed over this process and its worker processes"
        } else {
            "VmHWM over the process lifetimes, summed over this process and its worker processes"
        };
    }
    // The helpers' CPU time is the trial's own, as if they were its threads.
    let (helper_user_s, helper_sys_s) = helpers_after.since(&helpers_before);
    let after = (after.0 + helper_user_s, after.1 + helper_sys_s);
    let own_s = (after.0 - before.0) + (after.1 - before.1);
    let disturbance = match (machine_before, machine_after) {
        (Some(b), Some(a)) => Some(Disturbance {
            steal_s: a.steal.saturating_sub(b.steal) as f64 * TICK_S,
            // Clock ticks are coarse (10 ms per CPU): never below zero.
            others_s: (a.busy.saturating_sub(b.busy) as f64 * TICK_S
                - own_s
                - partners_after.saturating_sub(partners_before) as f64 * TICK_S)
                .max(0.0),
            cpus: a.cpus,
        }),
        _ => None,
    };
    Measured {
        value,
        wall_s,
        user_s: after.0 - before.0,
        sys_s: after.1 - before.1,
        baseline_rss_bytes,
        peak_rss_bytes,
        peak_rss_source,
        disturbance,
        partners_cpu_s,
        before_clock_s,
        device_read_bytes,
        device_write_bytes,
    }
}

/// Everything the clock compares, read at one moment.
struct Mark {
    at: Instant,
    read_bytes: Option<u64>,
    write_bytes: Option<u64>,
    cpu: (f64, f64),
    helpers: HelperTimes,
    machine: Option<MachineTicks>,
    partners: u64,
    partners_ns: Option<u64>,
}

impl Mark {
    /// Reads them now; the instant last, so reading costs the clock nothing.
    fn now(partners: &[u32], helpers: &[u32]) -> Mark {
        let helpers_pids = helpers;
        let helpers = helper_times(helpers);
        let machine = machine_ticks();
        let partners_ticks = partner_ticks(partners);
        let partners_ns = partner_run_ns(partners);
        let read_bytes = io_bytes(helpers_pids, "read_bytes:");
        let write_bytes = io_bytes(helpers_pids, "write_bytes:");
        let cpu = cpu_times();
        Mark {
            at: Instant::now(),
            read_bytes,
            write_bytes,
            cpu,
            helpers,
            machine,
            partners: partners_ticks,
            partners_ns,
        }
    }
}

/// Bytes this process and `helpers` had the storage device read (`field` `read_bytes:`) or
/// write (`write_bytes:`) so far, from /proc/PID/io; `None` where the kernel does not
/// account I/O.
fn io_bytes(helpers: &[u32], field: &str) -> Option<u64> {
    let of = |pid: &str| -> Option<u64> {
        let text = fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
        text.lines()
            .find_map(|line| line.strip_prefix(field))?
            .trim()
            .parse()
            .ok()
    };
    let mut total = of("self")?;
    for pid in helpers {
        total += of(&pid.to_string()).unwrap_or(0);
    }
    Some(total)
}

/// Nanoseconds `pids` ran on a CPU, summed over every thread (the first field of
/// /proc/PID/task/TID/schedstat); `None` where the kernel does not keep schedstats.
fn partner_run_ns(pids: &[u32]) -> Option<u64> {
    let mut total = 0;
    for pid in pids {
        for task in fs::read_dir(format!("/proc/{pid}/task")).ok()? {
            let path = task.ok()?.path().join("schedstat");
            let text = fs::read_to_string(path).ok()?;
            total += text.split_whitespace().next()?.parse::<u64>().ok()?;
        }
    }
    Some(total)
}

/// Seconds per clock tick in /proc: USER_HZ, which Linux fixes at 100 for user space.
const TICK_S: f64 = 0.01;

/// The whole machine's CPU ticks.
struct MachineTicks {
    /// user + nice + system over all CPUs (guest time is inside user).
    busy: u64,
    /// Time the hypervisor gave our CPUs to other guests.
    steal: u64,
    /// CPUs listed.
    cpus: u64,
}

fn machine_ticks() -> Option<MachineTicks> {
    parse_proc_stat(&fs::read_to_string("/proc/stat").ok()?)
}

/// The `cpu` total line of /proc/stat and the count of `cpuN` lines.
fn parse_proc_stat(text: &str) -> Option<MachineTicks> {
    let total = text.lines().find(|line| line.starts_with("cpu "))?;
    let fields: Vec<u64> = total
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    // user nice system idle iowait irq softirq steal ...
    let field = |i: usize| fields.get(i).copied().unwrap_or(0);
    let cpus = text
        .lines()
        .filter(|line| {
            line.starts_with("cpu") && line.as_bytes().get(3).is_some_and(u8::is_ascii_digit)
        })
        .count() as u64;
    Some(MachineTicks {
        busy: field(0) + field(1) + field(2),
        steal: field(7),
        cpus,
    })
}

/// The sum of a `kB` field of /proc/PID/status over `pids`, bytes (a process that is gone
/// counts as 0). Each process counts its own copy of shared pages (the binary's text), as
/// `ps` does.
fn helpers_field(pids: &[u32], name: &str) -> u64 {
    pids.iter()
        .filter_map(|pid| fs::read_to_string(format!("/proc/{pid}/status")).ok())
        .filter_map(|status| kib_field(&status, name))
        .sum()
}

/// The CPU time of a set of processes at one moment.
struct HelperTimes {
    /// utime and stime clock ticks, summed.
    ticks: (u64, u64),
    /// Nanoseconds on a CPU, summed over their threads, where schedstats exist.
    run_ns: Option<u64>,
}

impl HelperTimes {
    /// (user, system) seconds from `before` to `self`: the precise run time where the
    /// kernel keeps schedstats, split between user and system as the ticks split.
    fn since(&self, before: &HelperTimes) -> (f64, f64) {
        let user = self.ticks.0.saturating_sub(before.ticks.0) as f64;
        let sys = self.ticks.1.saturating_sub(before.ticks.1) as f64;
        match (self.run_ns, before.run_ns) {
            (Some(a), Some(b)) => {
                let total = a.saturating_sub(b) as f64 / 1e9;
                let user_share = if user + sys > 0.0 {
                    user / (user + sys)
                } else {
                    1.0
                };
                (total * user_share, total * (1.0 - user_share))
            }
            _ => (user * TICK_S, sys * TICK_S),
        }
    }
}

fn helper_times(pids: &[u32]) -> HelperTimes {
    let ticks = pids
        .iter()
        .filter_map(|pid| fs::read_to_string(format!("/proc/{pid}/stat")).ok())
        .filter_map(|stat| process_split(&stat))
        .fold((0, 0), |(u, s), (du, ds)| (u + du, s + ds));
    HelperTimes {
        ticks,
        run_ns: if pids.is_empty() {
            Some(0)
        } else {
            partner_run_ns(pids)
        },
    }
}

/// User plus system ticks of `pids`, summed (a process that is gone counts as 0).
fn partner_ticks(pids: &[u32]) -> u64 {
    pids.iter()
        .filter_map(|pid| fs::read_to_string(format!("/proc/{pid}/stat")).ok())
        .filter_map(|stat| process_ticks(&stat))
        .sum()
}

/// utime + stime of a /proc/PID/stat line (fields 14 and 15; the name in parentheses may
/// hold spaces, so count from the last `)`).
fn process_ticks(stat: &str) -> Option<u64> {
    process_split(stat).map(|(utime, stime)| utime + stime)
}

/// (utime, stime) of a /proc/PID/stat line.
fn process_split(stat: &str) -> Option<(u64, u64)> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime, stime))
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

/// One measuring test at a time: memory peaks are per process, and the clock's start is
/// one hook per process ([`clock::on_start`]), which another test's gate would take.
#[cfg(test)]
pub(crate) static ALONE: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_memory_touched_inside_the_closure() {
        let _alone = ALONE.lock();
        let measured = measure(
            || {
                let block = vec![1u8; 64 << 20];
                block.iter().map(|&b| u64::from(b)).sum::<u64>()
            },
            &[],
            &[],
        );
        assert_eq!(measured.value, 64 << 20);
        assert!(
            measured.peak_rss_bytes >= measured.baseline_rss_bytes + (60 << 20),
            "peak {} baseline {}",
            measured.peak_rss_bytes,
            measured.baseline_rss_bytes
        );
        assert!(measured.wall_s > 0.0 && measured.user_s + measured.sys_s > 0.0);
        let disturbance = measured.disturbance.expect("/proc/stat on Linux");
        assert!(disturbance.cpus >= 1);
    }

    #[test]
    fn workers_started_before_a_gate_are_not_timed() {
        let _alone = ALONE.lock();
        let measured = measure(
            || {
                // Start-up: slow, and not the workload's.
                thread::sleep(Duration::from_millis(300));
                let gate = clock::Gate::new(1);
                gate.arrive();
                thread::sleep(Duration::from_millis(10));
            },
            &[],
            &[],
        );
        let before = measured.before_clock_s.expect("a gate opened");
        assert!(before >= 0.3, "{before} s before the clock");
        assert!(measured.wall_s < 0.25, "{} s timed", measured.wall_s);
        assert!(!clock::clear(), "the gate took the clock's start");
        let ungated = measure(|| thread::sleep(Duration::from_millis(10)), &[], &[]);
        assert_eq!(ungated.before_clock_s, None);
        assert!(!clock::clear(), "measure leaves no start behind");
    }

    #[test]
    fn proc_stat_and_process_stat_parse() {
        let stat = "cpu  100 5 50 1000 10 1 2 30 0 0\ncpu0 50 2 25 500 5 0 1 15 0 0\ncpu1 50 3 25 500 5 1 1 15 0 0\nintr 1\n";
        let ticks = parse_proc_stat(stat).unwrap();
        assert_eq!((ticks.busy, ticks.steal, ticks.cpus), (155, 30, 2));
        let process = "4242 (shoot out) S 1 4242 4242 0 -1 4194304 100 0 0 0 17 3 0 0 20 0 3 0";
        assert_eq!(process_ticks(process), Some(20));
    }

    #[test]
    fn a_helper_process_cpu_time_and_memory_count_as_the_trials() {
        // The other test's 64 MiB would be this one's peak too.
        let _alone = ALONE.lock();
        let alone = measure(|| thread::sleep(Duration::from_millis(400)), &[], &[]);
        // A helper that holds 32 MiB (a string doubled 25 times) and spins while this process
        // only waits: its memory stands clear of what other tests of this binary allocate
        // beside this one.
        let mut spinner = std::process::Command::new("awk")
            .arg("BEGIN { s = \"x\"; for (i = 0; i < 25; i++) s = s s; while (1) {} }")
            .spawn()
            .expect("awk starts");
        let pid = spinner.id();
        thread::sleep(Duration::from_millis(200));
        let measured = measure(|| thread::sleep(Duration::from_millis(400)), &[], &[pid]);
        let _ = spinner.kill();
        let _ = spinner.wait();
        // It ran for most of 400 ms (on a shared machine, at least a quarter of it).
        assert!(
            measured.user_s + measured.sys_s >= 0.1,
            "{} + {}",
            measured.user_s,
            measured.sys_s
        );
        // Without the helper that time is gone. Other tests of this binary run beside this
        // one and count in this process's own time, so the two windows are compared rather
        // than the second held under a bound.
        let (with, without) = (measured.user_s + measured.sys_s, alone.user_s + alone.sys_s);
        assert!(
            with >= without + 0.05,
            "{with} s with the helper, {without} s without"
        );
        assert!(measured.peak_rss_source.contains("worker processes"));
        assert!(
            measured.peak_rss_bytes > alone.peak_rss_bytes + (24 << 20),
            "{} with the helper, {} without",
            measured.peak_rss_bytes,
            alone.peak_rss_bytes
        );
    }
}
