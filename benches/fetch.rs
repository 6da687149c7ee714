//! Fetch benches: every backend fetching from the embedded server (started once, outside
//! the timed closure) at a few concurrency limits, with no server latency: what each
//! backend's HTTP client path costs per request.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use shootout_core::{FetchSpec, Target, Workload};
use shootout_server::Server;

const CONCURRENCY: [u64; 3] = [1, 16, 64];

fn fetch(c: &mut Criterion) {
    let server = Server::start(([127, 0, 0, 1], 0).into(), 1).expect("server starts");
    let target = Target::embedded(server.addr());
    let threads = shootout_benches::threads();
    let mut group = c.benchmark_group("fetch");
    group.sample_size(10);
    for backend in shootout_benches::backends(threads) {
        for concurrency in CONCURRENCY {
            let spec = FetchSpec {
                requests: 256,
                concurrency,
                latency_ms: 0,
                body_bytes: 64,
                timeout_ms: 10_000,
                seed: 1,
                url: None,
                ..Default::default()
            };
            group.throughput(Throughput::Elements(spec.requests));
            let id = BenchmarkId::new(backend.info().name, concurrency);
            group.bench_with_input(id, &spec, |b, spec| {
                let workload = Workload::from(spec.clone());
                b.iter(|| {
                    let outcome = backend.run(&workload, Some(&target)).expect("fetch runs");
                    assert!(workload.verify(&outcome).is_ok(), "wrong answer");
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, fetch);
criterion_main!(benches);
