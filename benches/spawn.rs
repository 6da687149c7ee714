//! Spawn benches: the cost of spawning and joining one tiny task through each backend's
//! task-group idiom, at a few group sizes.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use shootout_core::{SpawnSpec, Workload};

const TASKS: [u64; 3] = [100, 1_000, 10_000];

fn spawn(c: &mut Criterion) {
    let mut group = c.benchmark_group("spawn");
    group.sample_size(10);
    for backend in shootout_benches::backends(shootout_benches::threads()) {
        for tasks in TASKS {
            let spec = SpawnSpec::new(tasks);
            group.throughput(Throughput::Elements(tasks));
            group.bench_with_input(
                BenchmarkId::new(backend.info().name, tasks),
                &spec,
                |b, spec| {
                    let workload = Workload::from(*spec);
                    b.iter(|| {
                        let outcome = backend.run(&workload, None).expect("spawn runs");
                        assert!(workload.verify(&outcome).is_ok(), "wrong answer");
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, spawn);
criterion_main!(benches);
