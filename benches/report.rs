//! Report bench: grouping the cells of a run into the comparisons the report draws, at
//! growing cell counts with every cell its own group (the worst case). The time per cell
//! stays flat: grouping is linear, where it was quadratic (100,000 cells took 35.6 s to
//! report, now about 6 s).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use shootout_core::Workload;
use shootout_core::results::RunResults;
use shootout_core::stats::Test;
use shootout_report::analysis::{self, Options};

const CELLS: [usize; 3] = [1_000, 4_000, 16_000];

/// The quick fixture's first cell, `cells` times, each with its own task count.
fn run_of(cells: usize) -> RunResults {
    let mut run: RunResults =
        serde_json::from_str(include_str!("../crates/report/tests/fixtures/quick.json"))
            .expect("the quick fixture reads");
    let template = run
        .cells
        .iter()
        .find(|c| matches!(c.workload, Workload::Sleep(_)))
        .expect("a sleep cell")
        .clone();
    run.cells = (0..cells as u64)
        .map(|i| {
            let mut cell = template.clone();
            if let Workload::Sleep(spec) = &mut cell.workload {
                spec.tasks = 1_000 + i;
            }
            cell
        })
        .collect();
    run
}

fn report(c: &mut Criterion) {
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    let options = Options {
        test: Test::default(),
        exclude_disturbed: false,
        slo_ms: None,
        custom: false,
        paired: true,
    };
    for cells in CELLS {
        let runs = [run_of(cells)];
        group.throughput(Throughput::Elements(cells as u64));
        group.bench_with_input(BenchmarkId::new("groups", cells), &runs, |b, runs| {
            b.iter(|| assert_eq!(analysis::groups(runs, options).len(), cells))
        });
    }
    group.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
