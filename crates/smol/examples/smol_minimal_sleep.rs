//! The minimal smol program the harness's sleep cell is held against (issue 25): an
//! `Executor` run by W threads, `spawn(async { Timer::after(d).await })` per task, the
//! `Vec<Task>` awaited in order. It measures itself the way `shootout trial` measures a run:
//! wall time of spawn-and-join, and peak RSS above the RSS before it (VmHWM after a
//! `clear_refs` reset).
//!
//! `cargo run --release -p shootout-smol --example smol_minimal_sleep -- 100000 1000 2`
//! (tasks, sleep in ms, workers).

use std::sync::Arc;
use std::time::{Duration, Instant};
use std::{env, fs, thread};

use smol::{Executor, Timer};

fn main() {
    let [tasks, sleep_ms, workers] = args();
    let executor = Arc::new(Executor::new());
    let (stop, stopped) = smol::channel::unbounded::<()>();
    let threads: Vec<_> = (0..workers)
        .map(|_| {
            let (executor, stopped) = (executor.clone(), stopped.clone());
            thread::spawn(move || {
                let _ = smol::block_on(executor.run(stopped.recv()));
            })
        })
        .collect();
    let duration = Duration::from_millis(sleep_ms);
    let baseline = status_kib("VmRSS:");
    let _ = fs::write("/proc/self/clear_refs", "5");
    let start = Instant::now();
    let joined = smol::block_on(executor.run(async {
        let handles: Vec<_> = (0..tasks)
            .map(|_| executor.spawn(async move { Timer::after(duration).await }))
            .collect();
        let mut joined = 0u64;
        for handle in handles {
            handle.await;
            joined += 1;
        }
        joined
    }));
    let wall_s = start.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:");
    drop(stop);
    for thread in threads {
        let _ = thread.join();
    }
    report("smol", joined, wall_s, baseline, peak);
}

fn args() -> [u64; 3] {
    let mut given = env::args()
        .skip(1)
        .map(|a| a.parse().expect("a whole number"));
    [
        given.next().unwrap_or(100_000),
        given.next().unwrap_or(1000),
        given.next().unwrap_or(2),
    ]
}

fn status_kib(field: &str) -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

fn report(name: &str, joined: u64, wall_s: f64, baseline_kib: u64, peak_kib: u64) {
    let above = peak_kib.saturating_sub(baseline_kib) * 1024;
    println!(
        "{name}: joined {joined}, wall {wall_s:.4} s, peak above baseline {above} B, {:.0} B per task",
        above as f64 / joined.max(1) as f64
    );
}
