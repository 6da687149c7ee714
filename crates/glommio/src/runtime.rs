//! glommio's pieces for the workloads written once in `shootout-percore`: local tasks, the
//! executor's blocking pool, its timers, its io_uring `TcpStream` and its `BufferedFile`:
//! reads submitted to the ring through the page cache, as every other backend's go (its
//! `DmaFile`, direct I/O bypassing the page cache, is what its docs favour for storage
//! engines; measured through the cache, the cells compare runtimes, not caching).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use futures_lite::{AsyncReadExt, AsyncWriteExt, FutureExt};
use glommio::io::{BufferedFile, DmaFile, ReadResult};
use glommio::net::TcpStream;
use shootout_percore::LocalRuntime;

/// The glommio executor of the current thread.
#[derive(Clone, Copy, Debug)]
pub struct Current;

impl LocalRuntime for Current {
    type Stream = TcpStream;

    fn spawn<T: 'static>(
        future: impl Future<Output = T> + 'static,
    ) -> impl Future<Output = T> + 'static {
        glommio::spawn_local(future)
    }

    fn spawn_blocking<T: Send + 'static>(
        job: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = T> + 'static {
        glommio::executor().spawn_blocking(job)
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> {
        glommio::timer::sleep(duration)
    }

    async fn timeout<T>(limit: Duration, future: impl Future<Output = T>) -> Option<T> {
        // glommio's own `timer::timeout` takes a future of a glommio `Result`; the same
        // race, on its timer, for any future.
        async { Some(future.await) }
            .or(async {
                glommio::timer::sleep(limit).await;
                None
            })
            .await
    }

    async fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    async fn write_all(stream: &mut TcpStream, bytes: Vec<u8>) -> io::Result<()> {
        stream.write_all(&bytes).await
    }

    async fn read(stream: &mut TcpStream, mut buffer: Vec<u8>) -> (io::Result<usize>, Vec<u8>) {
        // glommio's stream reads into a slice (it completes the io_uring recv into its own
        // buffer and copies): the buffer is zeroed to its capacity once per connection and
        // kept at that length, so no read re-initializes it.
        if buffer.len() < buffer.capacity() {
            buffer.resize(buffer.capacity(), 0);
        }
        let read = stream.read(&mut buffer).await;
        (read, buffer)
    }

    type File = GlommioFile;
    type Block = ReadResult;

    async fn read_file(path: PathBuf) -> io::Result<Vec<u8>> {
        // No read-whole in glommio: open, its size, one read of it, close.
        let file = BufferedFile::open(&path).await?;
        let size = file.file_size().await?;
        let read = file.read_at(0, size as usize).await;
        file.close().await?;
        Ok(read?.to_vec())
    }

    async fn open_file(path: PathBuf) -> io::Result<GlommioFile> {
        Ok(GlommioFile::Buffered(BufferedFile::open(&path).await?))
    }

    async fn read_file_direct(path: PathBuf) -> io::Result<Vec<u8>> {
        let file = DmaFile::open(&path).await?;
        let size = file.file_size().await?;
        let read = file.read_at(0, size as usize).await;
        file.close().await?;
        Ok(read?.to_vec())
    }

    async fn open_file_direct(path: PathBuf) -> io::Result<GlommioFile> {
        Ok(GlommioFile::Direct(DmaFile::open(&path).await?))
    }

    async fn read_file_at(
        file: &GlommioFile,
        offset: u64,
        len: usize,
        _buffer: Vec<u8>,
    ) -> io::Result<ReadResult> {
        Ok(match file {
            GlommioFile::Buffered(file) => file.read_at(offset, len).await?,
            GlommioFile::Direct(file) => file.read_at(offset, len).await?,
        })
    }

    fn recycle(_block: ReadResult) -> Vec<u8> {
        Vec::new()
    }

    async fn close_file(file: GlommioFile) -> io::Result<()> {
        match file {
            GlommioFile::Buffered(file) => file.close().await?,
            GlommioFile::Direct(file) => file.close().await?,
        }
        Ok(())
    }

    async fn open_file_write(path: PathBuf) -> io::Result<GlommioFile> {
        let file = glommio::io::OpenOptions::new()
            .write(true)
            .buffered_open(&path)
            .await?;
        Ok(GlommioFile::Buffered(file))
    }

    // BufferedFile::write_at takes the buffer: the next write brings a new one.
    async fn write_file_at(file: &GlommioFile, offset: u64, bytes: Vec<u8>) -> io::Result<Vec<u8>> {
        let GlommioFile::Buffered(file) = file else {
            return Err(no_direct_writes());
        };
        let len = bytes.len();
        let written = file.write_at(bytes, offset).await?;
        if written == len {
            Ok(Vec::new())
        } else {
            Err(io::Error::new(
                io::ErrorKind::WriteZero,
                format!("wrote {written} of {len} bytes"),
            ))
        }
    }

    async fn sync_file(file: &GlommioFile) -> io::Result<()> {
        let GlommioFile::Buffered(file) = file else {
            return Err(no_direct_writes());
        };
        Ok(file.fdatasync().await?)
    }
}

/// A file open to read: through the page cache (the shared design), or with direct I/O
/// (the `direct-io` variant: glommio's `DmaFile`, what its docs favour for storage).
pub enum GlommioFile {
    /// `BufferedFile`.
    Buffered(BufferedFile),
    /// `DmaFile`.
    Direct(DmaFile),
}

/// Why the design does not write a direct-I/O file: its writes go through the page cache.
fn no_direct_writes() -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        "the files design writes through BufferedFile, not DmaFile",
    )
}
