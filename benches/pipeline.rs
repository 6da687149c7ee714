//! Pipeline benches: messages per second through each backend's bounded channel, with
//! 2 producers, 2 consumers and a few capacities.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use shootout_core::{PipelineSpec, Workload, WorkloadKind};

const CAPACITY: [u64; 3] = [1, 64, 4096];

fn pipeline(c: &mut Criterion) {
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    // Crossbeam needs a worker per producer and consumer: build every backend with four.
    for backend in shootout_benches::backends(4) {
        if backend
            .info()
            .not_applicable(WorkloadKind::Pipeline)
            .is_some()
        {
            continue;
        }
        for capacity in CAPACITY {
            let spec = PipelineSpec::new(2, 2, capacity, 20_000);
            group.throughput(Throughput::Elements(spec.messages));
            group.bench_with_input(
                BenchmarkId::new(backend.info().name, capacity),
                &spec,
                |b, spec| {
                    let workload = Workload::from(*spec);
                    b.iter(|| {
                        let outcome = backend.run(&workload, None).expect("pipeline runs");
                        assert!(workload.verify(&outcome).is_ok(), "wrong answer");
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
