//! The `files` workload (issue 28, in progress): file reads and writes, the I/O where the
//! io_uring runtimes (monoio, compio, glommio submit file operations to the kernel's ring)
//! and the epoll runtimes (tokio::fs, async-fs and async-std's fs hand each call to a
//! blocking pool) really differ.
//!
//! - [`spec`]: the shapes (many small files read whole; random block reads from one large
//!   file), their sizes, the page cache's state, and the bounds of each;
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
//!   thread backends' positioned read (`std::fs`);
//! - the designs, a worker per read in flight, each with its own handle and buffer:
//!   [`on_threads`] (`std::fs`), [`on_executor`] (the runtime's fs: its blocking pool) and
//!   [`on_cores`] (the runtime's ring).
//!
//! Not yet a workload of the registry: the runtimes' own file I/O, the designs on each
//! family, the write shapes and the report come next.

pub mod conformance;
pub mod content;
mod cores;
mod executor;
pub mod kernel;
pub mod set;
pub mod spec;
mod tally;
mod threaded;
mod workers;

pub use cores::on_cores;
pub use executor::on_executor;
pub use set::FileSet;
pub use spec::{Cache, FilesSpec, Shape};
pub use tally::FilesOutcome;
pub use threaded::on_threads;
