//! Blocking bench: what a CPU job on the event loop costs the tasks next to it.
//!
//! The figure that matters here is not how long a run takes (the tick window and the CPU
//! work fix that) but how late the tickers wake. So each iteration runs the `blocking`
//! workload once and reports **its p99 tick lateness** to criterion through `iter_custom`:
//! the "time" criterion prints for `blocking/<backend>/inline` is the p99 lateness of one run,
//! with criterion's usual statistics over many runs. Ids are `blocking/backend/mode`.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use shootout_core::{BlockingSpec, Workload, WorkloadKind};

fn blocking(c: &mut Criterion) {
    let mut group = c.benchmark_group("blocking");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for backend in shootout_benches::backends(shootout_benches::threads()) {
        let info = backend.info();
        if info.not_applicable(WorkloadKind::Blocking).is_some() {
            continue;
        }
        for &mode in info.blocking_modes {
            // 4 tickers over a 40 ms window next to 8 jobs of 25M elements (about 9 ms each).
            let spec = BlockingSpec {
                tickers: 4,
                ticks: 40,
                tick_us: 1_000,
                n: 200_000_000,
                jobs: 8,
                mode,
            };
            let workload = Workload::Blocking(spec);
            group.bench_with_input(
                BenchmarkId::new(info.name, mode.name()),
                &workload,
                |b, workload| {
                    b.iter_custom(|iters| {
                        let mut total = Duration::ZERO;
                        for _ in 0..iters {
                            let outcome = backend.run(workload, None).expect("blocking runs");
                            assert!(workload.verify(&outcome).is_ok(), "wrong answer");
                            let shootout_core::RunOutcome::Ticked(ticked) = outcome else {
                                unreachable!("blocking returns ticks");
                            };
                            total +=
                                Duration::from_micros(ticked.lateness_us.value_at_quantile(0.99));
                        }
                        total
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, blocking);
criterion_main!(benches);
