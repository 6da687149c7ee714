//! The minimal tokio program the harness's sleep cell is held against (issue 25): a
//! multi-thread runtime with W workers, `spawn(async { sleep(d).await })` per task, the
//! handles awaited in order from a task on the runtime. It measures itself the way
//! `shootout trial` measures a run: wall time of spawn-and-join, and peak RSS above the RSS
//! before it (VmHWM after a `clear_refs` reset).
//!
//! `cargo run --release -p shootout-tokio --example tokio_minimal_sleep -- 100000 1000 2`
//! (tasks, sleep in ms, workers).

use std::time::{Duration, Instant};
use std::{env, fs};

fn main() {
    let [tasks, sleep_ms, workers] = args();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers as usize)
        .enable_all()
        .build()
        .expect("a runtime");
    let duration = Duration::from_millis(sleep_ms);
    let baseline = status_kib("VmRSS:");
    let _ = fs::write("/proc/self/clear_refs", "5");
    let start = Instant::now();
    let joined = runtime.block_on(async move {
        tokio::spawn(async move {
            let handles: Vec<_> = (0..tasks)
                .map(|_| tokio::spawn(async move { tokio::time::sleep(duration).await }))
                .collect();
            let mut joined = 0u64;
            for handle in handles {
                handle.await.expect("a task ends");
                joined += 1;
            }
            joined
        })
        .await
        .expect("the driver ends")
    });
    let wall_s = start.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:");
    report("tokio", joined, wall_s, baseline, peak);
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
