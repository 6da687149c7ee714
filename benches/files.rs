//! Files benches: what checking a read costs beside the read. Every read of the `files`
//! workload is checked inside the clock, the same on every backend, so the check must weigh
//! little against the fastest read it checks (a 4 KiB block from the page cache):
//! `check-xxh3` (the workload's checksum) against `check-fnv` (the server's byte-wise
//! FNV-1a) and `pread-warm` (that read itself, through `std::fs`), each at 4 and 64 KiB.

use std::fs::File;
use std::hint::black_box;
use std::os::unix::fs::FileExt;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use shootout_core::body::BodyHasher;
use shootout_core::files::{Cache, FileSet, FilesSpec, Shape, content};

const BLOCKS: [usize; 2] = [4096, 65536];

fn check_vs_read(c: &mut Criterion) {
    let parent = std::env::temp_dir().join(format!("shootout-bench-files-{}", std::process::id()));
    std::fs::create_dir_all(&parent).expect("a folder for the bench");
    let spec = FilesSpec {
        shape: Shape::RandomRead,
        files: 1,
        file_bytes: 16 << 20,
        block_bytes: 4096,
        ops: 1,
        concurrency: 1,
        cache: Cache::Warm,
        seed: 1,
        io: shootout_core::files::FileIo::Buffered,
    };
    let set = FileSet::make(&parent, spec.set_key()).expect("the file set");
    set.prepare(Cache::Warm).expect("the pages warm");
    let file = File::open(set.path(0)).expect("the file");
    let mut group = c.benchmark_group("files");
    for len in BLOCKS {
        let block = content::bytes(content::file_seed(1, 0), 0, len);
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_with_input(BenchmarkId::new("check-xxh3", len), &block, |b, block| {
            b.iter(|| content::checksum(black_box(block)))
        });
        group.bench_with_input(BenchmarkId::new("check-fnv", len), &block, |b, block| {
            b.iter(|| {
                let mut hasher = BodyHasher::default();
                hasher.update(black_box(block));
                hasher.finish()
            })
        });
        let mut buffer = vec![0u8; len];
        let mut offset = 0u64;
        group.bench_function(BenchmarkId::new("pread-warm", len), |b| {
            b.iter(|| {
                offset = (offset + len as u64) % (spec.file_bytes - len as u64);
                file.read_exact_at(&mut buffer, black_box(offset))
                    .expect("a warm read");
            })
        });
    }
    group.finish();
    drop(file);
    let _ = std::fs::remove_dir_all(&parent);
}

criterion_group!(benches, check_vs_read);
criterion_main!(benches);
