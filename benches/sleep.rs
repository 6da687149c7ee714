//! Sleep benches: every backend waiting on many 1 ms timers at once, at the task counts
//! it can finish in well under a second.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use shootout_core::SleepSpec;

const TASKS: [u64; 3] = [10, 100, 1_000];

fn sleep(c: &mut Criterion) {
    let threads = shootout_benches::threads() as u64;
    let mut group = c.benchmark_group("sleep");
    group.sample_size(10);
    for backend in shootout_benches::backends(threads as usize) {
        let info = backend.info();
        for tasks in TASKS {
            let spec = SleepSpec { tasks, sleep_ms: 1 };
            // Backends that block a worker per sleep take tasks / in_flight milliseconds.
            if tasks / info.sleep_model.in_flight(threads, tasks) > 50 {
                continue;
            }
            group.throughput(Throughput::Elements(tasks));
            group.bench_with_input(BenchmarkId::new(info.name, tasks), &spec, |b, spec| {
                b.iter(|| {
                    let outcome = backend.sleep(spec).expect("sleep runs");
                    assert_eq!(outcome, spec.expected(), "wrong answer");
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, sleep);
criterion_main!(benches);
