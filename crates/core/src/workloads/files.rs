//! The `files` workload: file reads and writes, the I/O where the
//! io_uring runtimes (monoio, compio, glommio submit file operations to the kernel's ring)
//! and the epoll runtimes (tokio::fs, async-fs and async-std's fs hand each call to a
//! blocking pool) really differ.
//!
//! - [`spec`]: the shapes (many small files read whole; random block reads from one large
//!   file; a new file written block after block and synced once; a log synced write by
//!   write), their sizes, the page cache's state, and the bounds of each;
//! - [`content`]: every file's bytes, deterministic from the seed (the embedded server's
//!   body generator), and the checksum every read is checked by (XXH3: a 4 KiB block in
//!   0.14 µs here, a quarter of a warm 4 KiB `pread`, the same on every backend; a
//!   word-wise hash took 0.68 µs and the server's byte-wise FNV-1a 4.5 µs: `cargo bench
//!   --bench files`);
//! - [`set`]: the file set a run makes before its trials in a folder of its own (disk space
//!   checked first, made under a `.part` name and renamed, so a half-made set never passes
//!   for one), the page cache warmed or evicted (`posix_fadvise(DONTNEED)`, after the files
//!   are on disk) before each trial, and removed after;
//! - [`kernel`]: a read's check against the checksum prepared before the clock, and the
//!   thread backends' positioned read and write (`std::fs`);
//! - [`written`]: a write shape's file, read back block by block after the clock, then
//!   deleted (also where the run failed: a full disk);
//! - the designs, a worker per operation in flight, each with its own handle and buffer:
//!   [`on_threads`] (`std::fs`), [`on_executor`] (the runtime's fs: its blocking pool) and
//!   [`on_cores`] (the runtime's ring).
//!
//! Judged by the rule "io_uring for files" ([`Rule::IoUringForFiles`]): the best io_uring
//! runtime against the best of the others (the epoll runtimes' blocking pools, plain
//! threads), per shape and page-cache state. tokio's io_uring file operations are a build
//! (`--features tokio-io-uring` with `--cfg tokio_unstable`), not a variant: tokio 1.54 has
//! no switch per runtime.

use crate::backend::BackendInfo;
use crate::kind::{About, Rule};
use crate::params::{Param, Table};

pub mod conformance;
pub mod content;
mod cores;
mod describe;
mod executor;
pub mod kernel;
mod processes;
mod runs;
pub mod set;
pub mod spec;
mod tally;
mod threaded;
mod workers;
pub mod written;

pub use cores::on_cores;
pub use executor::on_executor;
pub use set::{FileSet, SetKey};
pub use spec::{Cache, FileIo, FilesSpec, Shape};
pub use tally::FilesOutcome;
pub use threaded::on_threads;

/// The headline rows of the decision table: each shape, warm and cold.
pub const HEADLINES: [&str; 6] = [
    "files: small files, warm",
    "files: small files, cold",
    "files: random reads, warm",
    "files: random reads, cold",
    "files: sequential write, fdatasync at the end",
    "files: log writes, fdatasync each",
];

/// What the files workload says of itself: its name, words, unit and how it is judged.
pub const ABOUT: About = About::new(
    "files",
    &PARAMS,
    "ops/s",
    "File I/O: many small files read whole, random blocks of one large file, a file written \
     and synced, a log synced write by write",
    "OPS operations (SHAPE: FILES small files of FILE_BYTES read whole; blocks of BLOCK_BYTES \
     read at seeded offsets in one large file; or blocks of BLOCK_BYTES written one after \
     another into a new file, fdatasync'd once at the end or after each), CONCURRENCY in \
     flight, through the backend's own file I/O, the page cache warm or evicted before the \
     clock; every read checked by hash and length against the seed's bytes, every written \
     file read back after the clock",
)
.rule(Rule::IoUringForFiles)
.headlines(&HEADLINES)
.not_for(not_for);

/// Why files does not apply to a backend: none does not (every backend can read a file).
fn not_for(_: &BackendInfo) -> Option<&'static str> {
    None
}

/// The files workload's parameters.
pub const PARAMS: Table = Table {
    name: "files",
    workload: "files",
    params: &[
        Param::choice(
            "shape",
            "shape",
            "what the reads do",
            &[
                (
                    "small-files",
                    "read each of FILES files of FILE_BYTES whole, once",
                ),
                (
                    "random-read",
                    "read OPS blocks of BLOCK_BYTES at seeded offsets in one file of FILE_BYTES",
                ),
                (
                    "write",
                    "write one new file of FILE_BYTES = OPS × BLOCK_BYTES, block after block, \
                     then fdatasync it once",
                ),
                (
                    "log",
                    "write OPS blocks of BLOCK_BYTES one after another into one new file, each \
                     followed by its own fdatasync (a write-ahead log)",
                ),
            ],
        )
        .more(
            "No one default: the profiles run a cell of each shape; a trial given no --shape \
             takes the quick profile's first, small-files; given one, the first built-in cell \
             of that shape gives the sizes not given.",
        )
        .picks_defaults(),
        Param::count(
            "files",
            "files",
            "files in the set (random-read, write, log: 1)",
            1,
            spec::FILES_MAX,
        ),
        Param::count(
            "file_bytes",
            "file-bytes",
            "each small file's size, or the large file's (write, log: OPS × BLOCK_BYTES), bytes",
            1,
            spec::FILE_BYTES_MAX,
        ),
        Param::count(
            "block_bytes",
            "block-bytes",
            "random-read, write, log: each block, bytes (a multiple of 512)",
            spec::BLOCK_BYTES_MIN,
            spec::BLOCK_BYTES_MAX,
        ),
        Param::count(
            "ops",
            "ops",
            "reads (or writes) in the run (small-files: at most FILES, the first OPS files)",
            1,
            spec::OPS_MAX,
        ),
        Param::count(
            "concurrency",
            "concurrency",
            "reads (or writes) in flight at once (a thread each on the threads backend)",
            1,
            spec::CONCURRENCY_MAX,
        ),
        Param::choice(
            "cache",
            "cache",
            "the page cache when the clock starts",
            &[
                (
                    "warm",
                    "every file read once before each trial (write, log: a new file each trial)",
                ),
                (
                    "cold",
                    "every file's pages evicted before each trial (posix_fadvise DONTNEED)",
                ),
                (
                    "as-is",
                    "nothing done before the clock (fio's invalidate=0; the warm-ups' state)",
                ),
            ],
        )
        .left_out_is("warm")
        .show_default(),
        Param::choice(
            "io",
            "file-io",
            "how the files are opened",
            &[
                (
                    "buffered",
                    "through the page cache, each backend's file API as it opens a file (shared \
                     design)",
                ),
                (
                    "direct",
                    "direct I/O (O_DIRECT), the page cache bypassed: glommio's DmaFile \
                     (labelled variant)",
                ),
                (
                    "std-on-pool",
                    "std::fs (read, pread) on the runtime's blocking pool, one hand-off per \
                     read, in place of its file API: tokio, smol, async-std (labelled variant)",
                ),
            ],
        )
        .left_out_is("buffered")
        .show_default(),
        Param::count(
            "seed",
            "files-seed",
            "seed of the files' bytes and the blocks' offsets",
            0,
            u64::MAX,
        ),
    ],
};
