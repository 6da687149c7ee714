//! Sleep benches: every backend waiting on many 20 ms timers at once, at the task counts
//! it can finish in well under a second.
//!
//! Why 20 ms and not 1 ms: a runtime whose timer wheel ticks every millisecond rounds each
//! deadline up to the next tick (a heap of deadlines or `thread::sleep` does not), so a 1 ms
//! sleep takes up to 2 ms there and the bench would read that timer granularity as
//! scheduler cost. At 20 ms the tick is at most 5% of a sleep; the report measures each
//! backend's idle timer lateness on its own.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use shootout_core::{SleepSpec, Workload};

const TASKS: [u64; 3] = [10, 100, 1_000];

/// Each timer's length, milliseconds.
const SLEEP_MS: u64 = 20;

fn sleep(c: &mut Criterion) {
    let threads = shootout_benches::threads() as u64;
    let mut group = c.benchmark_group("sleep");
    group.sample_size(10);
    for backend in shootout_benches::backends(threads as usize) {
        let info = backend.info();
        for tasks in TASKS {
            let spec = SleepSpec {
                tasks,
                sleep_ms: SLEEP_MS,
            };
            // Backends that block a worker per sleep take tasks / in_flight sleeps in a row.
            if tasks / info.sleep_model.in_flight(threads, tasks) * SLEEP_MS > 200 {
                continue;
            }
            group.throughput(Throughput::Elements(tasks));
            group.bench_with_input(BenchmarkId::new(info.name, tasks), &spec, |b, spec| {
                let workload = Workload::from(*spec);
                b.iter(|| {
                    let outcome = backend.run(&workload, None).expect("sleep runs");
                    assert!(workload.verify(&outcome).is_ok(), "wrong answer");
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, sleep);
criterion_main!(benches);
