//! CPU benches: the kernel against the naive loop LLVM folds away, then every backend.
//!
//! `kernel/carry_counting` must report a flat Gelem/s as n grows 100x (the loop runs);
//! `kernel/plain_loop` reports absurd, n-proportional rates (it was replaced by a formula).

use std::hint::black_box;
use std::ops::Range;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use shootout_core::{CpuSpec, Workload, kernel};

/// The textbook loop. LLVM turns it into n(n-1)(2n-1)/6 even through `black_box` bounds.
fn plain_loop(range: Range<u64>) -> u128 {
    let mut sum = 0u128;
    for i in range {
        sum += u128::from(i) * u128::from(i);
    }
    sum
}

const KERNEL_SIZES: [u64; 3] = [1_000_000, 10_000_000, 100_000_000];

fn kernel_vs_folded(c: &mut Criterion) {
    let mut group = c.benchmark_group("kernel");
    group.sample_size(10);
    for n in KERNEL_SIZES {
        group.throughput(Throughput::Elements(n));
        group.bench_with_input(BenchmarkId::new("carry_counting", n), &n, |b, &n| {
            b.iter(|| kernel::sum_of_squares(black_box(0)..black_box(n)))
        });
        group.bench_with_input(BenchmarkId::new("plain_loop", n), &n, |b, &n| {
            b.iter(|| plain_loop(black_box(0)..black_box(n)))
        });
    }
    group.finish();
}

fn backends(c: &mut Criterion) {
    let spec = CpuSpec::new(200_000_000, 64);
    let mut group = c.benchmark_group("cpu");
    group
        .sample_size(10)
        .throughput(Throughput::Elements(spec.n));
    for backend in shootout_benches::backends(shootout_benches::threads()) {
        let id = BenchmarkId::new(backend.info().name, spec.n);
        group.bench_with_input(id, &spec, |b, spec| {
            let workload = Workload::from(*spec);
            b.iter(|| {
                let outcome = backend.run(&workload, None).expect("cpu runs");
                assert!(workload.verify(&outcome).is_ok(), "wrong answer");
            })
        });
    }
    group.finish();
}

criterion_group!(benches, kernel_vs_folded, backends);
criterion_main!(benches);
