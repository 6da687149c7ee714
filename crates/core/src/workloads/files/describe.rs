//! What a `files` cell says of itself to the plan, the trial and the report.

use super::tally::read;
use super::written;
use super::{Cache, FileIo, FilesSpec, Shape};
use crate::backend::BackendInfo;
use crate::call::Store;
use crate::design::Variant;
use crate::error::SpecError;
use crate::outcome::{Mismatch, Outcome, RunOutcome};
use crate::workload::{WorkloadKind, WorkloadSpec};

/// The most threads an async runtime's blocking pool gets for file reads: tokio's default
/// `max_blocking_threads`, as for blocking calls.
const BLOCKING_POOL_MAX: u64 = crate::call::BLOCKING_POOL_MAX;

impl FilesSpec {
    /// What a correct run returns: every read once, each with its bytes' checksum
    /// ([`super::tally::read`]).
    pub fn expected(&self) -> Outcome {
        let checksums = self.read_checksums();
        (0..self.ops)
            .map(|op| read(op, checksums[op as usize]))
            .sum()
    }

    /// Accepts `got` only if it is every read once, each with the file's bytes.
    pub fn verify(&self, got: &Outcome) -> Result<(), Mismatch> {
        let expected = self.expected();
        if *got == expected {
            Ok(())
        } else {
            Err(Mismatch::new(format!(
                "{}: a read was lost or repeated, or its bytes differ from the file's",
                Mismatch::counted(&expected, got)
            )))
        }
    }
}

impl WorkloadSpec for FilesSpec {
    fn kind(&self) -> WorkloadKind {
        WorkloadKind::Files
    }

    fn validate(&self) -> Result<(), SpecError> {
        FilesSpec::validate(self)
    }

    fn expected_checksum(&self) -> String {
        self.expected().checksum.to_string()
    }

    // The process pool's parts count their reads without timing them. A write shape's file
    // is read back here, after the clock, and deleted.
    fn verify_run(&self, got: &RunOutcome) -> Result<(), Mismatch> {
        match got {
            RunOutcome::Read(outcome) => {
                let counted = self.verify(&outcome.reads);
                let written = match &outcome.written {
                    Some(path) => written::check_and_remove(self, path),
                    None if self.shape.writes() => {
                        Err(Mismatch::new("no written file to read back".into()))
                    }
                    None => Ok(()),
                };
                counted.and(written)
            }
            other => self.verify(other.counted(self.kind())?),
        }
    }

    fn synthetic(&self, _slowness: u32, _took: std::time::Duration) -> RunOutcome {
        self.expected().into()
    }

    // A few reads of the same set by two workers: the code paths and the runtime's pool
    // warm. The page cache as it is: preparing a state for 16 reads would cost as much as
    // the trial's own preparing (a warm cell's whole set read), which follows anyway.
    // A write shape's warm-up writes a file of its 16 blocks.
    fn warmup(&self) -> Self {
        let ops = self.ops.min(16);
        FilesSpec {
            ops,
            concurrency: self.concurrency.min(2),
            cache: Cache::AsIs,
            file_bytes: match self.shape.writes() {
                true => ops * self.block_bytes,
                false => self.file_bytes,
            },
            ..*self
        }
    }

    fn rate(&self, wall_s: f64) -> f64 {
        self.ops as f64 / wall_s
    }

    // Reads in flight.
    fn size(&self) -> f64 {
        self.concurrency as f64
    }

    fn headline(&self) -> Option<&'static str> {
        let at = match (self.shape, self.cache) {
            (Shape::SmallFiles, Cache::Warm) => 0,
            (Shape::SmallFiles, Cache::Cold) => 1,
            (Shape::RandomRead, Cache::Warm) => 2,
            (Shape::RandomRead, Cache::Cold) => 3,
            (Shape::Write, Cache::Warm) => 4,
            (Shape::Log, Cache::Warm) => 5,
            (_, _) => return None,
        };
        Some(super::HEADLINES[at])
    }

    // A variant's cell sits beside the shared design's.
    fn comparable(&self, threads: u64) -> String {
        let shared = FilesSpec {
            io: FileIo::Buffered,
            ..*self
        };
        format!("{} threads={threads}", shared.params_label())
    }

    fn params_label(&self) -> String {
        let mut label = format!(
            "shape={} files={} file_bytes={}",
            self.shape.name(),
            self.files,
            self.file_bytes
        );
        if self.shape != Shape::SmallFiles {
            label += &format!(" block_bytes={}", self.block_bytes);
        }
        label += &format!(" ops={} concurrency={}", self.ops, self.concurrency);
        // A write shape's new file has no page-cache state to choose.
        if !self.shape.writes() || self.cache != Cache::Warm {
            label += &format!(" cache={}", self.cache.name());
        }
        match self.io {
            FileIo::Buffered => {}
            FileIo::Direct => label += " io=direct",
            FileIo::StdOnPool => label += " io=std-on-pool",
        }
        label
    }

    // The thread-pool-for-I/O pattern: a pool of a thread per read in flight.
    fn pool_workers(&self, _threads: u64) -> u64 {
        self.concurrency
    }

    // An epoll runtime's file API hands each operation to its blocking pool: a thread per
    // read in flight, up to tokio's default cap, as a service on defaults has.
    fn blocking_pool(&self, threads: u64) -> u64 {
        self.concurrency
            .clamp(threads, BLOCKING_POOL_MAX.max(threads))
    }

    fn in_flight(&self, info: &BackendInfo, threads: u64) -> u64 {
        info.fetch_slots
            .in_flight(threads, self.concurrency.min(self.ops))
    }

    // Generous: every read from the device one after another, a millisecond each, twice.
    fn timeout_s(&self, _predicted_s: Option<f64>) -> f64 {
        30.0 + self.ops as f64 * 2e-3 + self.bytes_moved() as f64 / 20e6
    }

    // A handle and a buffer per read in flight.
    fn held(&self, in_flight: u64) -> u64 {
        in_flight
    }

    // async-fs (smol's fs) reads ahead to the end of the file after each seek, by design
    // (smol-rs/blocking#10): a random read through it reads on past its block, on the
    // blocking pool, until the next seek stops it.
    fn left_out(&self, info: &BackendInfo) -> Option<String> {
        let api = self.io == FileIo::Buffered;
        (api && self.shape == Shape::RandomRead && info.crates.contains(&"smol")).then(|| {
            "async-fs reads ahead to the end of the file after every seek (by design: \
             smol-rs/blocking#10), so each random read reads on past its block on the \
             blocking pool: measured here at about 6,000 4 KiB reads/s with both cores busy, \
             6 s a trial, where tokio::fs reads 200,000/s; ask for it by name to measure it \
             (its std-fs-on-pool cell reads the same blocks with pread on the same pool)"
                .to_string()
        })
    }

    // Direct I/O where the runtime's file API offers it (glommio's DmaFile); std::fs on
    // the blocking pool where the runtime has a file API of its own on one.
    fn admits(&self, info: &BackendInfo) -> Result<(), String> {
        match self.design_variant() {
            Some(Variant::DirectIo) if !info.variants.contains(&Variant::DirectIo) => Err(format!(
                "{}'s file API here opens files through the page cache: direct I/O is \
                     glommio's DmaFile",
                info.name
            )),
            Some(Variant::StdFsOnPool) if !info.variants.contains(&Variant::StdFsOnPool) => {
                Err(format!(
                    "std::fs on a blocking pool in place of the file API is a variant of the \
                     epoll runtimes, whose file API is a blocking pool; {} has none",
                    info.name
                ))
            }
            _ => Ok(()),
        }
    }

    fn design_variant(&self) -> Option<Variant> {
        match self.io {
            FileIo::Buffered => None,
            FileIo::Direct => Some(Variant::DirectIo),
            FileIo::StdOnPool => Some(Variant::StdFsOnPool),
        }
    }

    // Direct I/O is a variant of the reads: the write design writes through the page cache
    // (glommio's DmaFile writes need its own aligned buffers: not built).
    fn with_variant(&self, variant: Variant) -> Option<Self> {
        let io = match variant {
            Variant::DirectIo if self.shape.writes() => return None,
            Variant::DirectIo => FileIo::Direct,
            Variant::StdFsOnPool => FileIo::StdOnPool,
            _ => return None,
        };
        (self.io == FileIo::Buffered).then_some(FilesSpec { io, ..*self })
    }

    fn store(&self) -> Option<Store> {
        Some(Store::Files(self.set_key()))
    }
}
