//! monoio's pieces for the workloads written once in `shootout-percore`: local tasks, the
//! blocking pool, its timers, its io_uring `TcpStream` (owned buffers) and `monoio::fs`
//! (open, read and close submitted to the ring).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use monoio::buf::IoBufMut;
use monoio::io::{AsyncReadRent, AsyncWriteRentExt};
use monoio::net::TcpStream;
use shootout_percore::LocalRuntime;

/// The monoio runtime of the current thread.
#[derive(Clone, Copy, Debug)]
pub struct Current;

impl LocalRuntime for Current {
    type Stream = TcpStream;

    fn spawn<T: 'static>(
        future: impl Future<Output = T> + 'static,
    ) -> impl Future<Output = T> + 'static {
        monoio::spawn(future)
    }

    fn spawn_blocking<T: Send + 'static>(
        job: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = T> + 'static {
        let handle = monoio::spawn_blocking(job);
        async move { handle.await.expect("a blocking job always answers") }
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> {
        monoio::time::sleep(duration)
    }

    async fn timeout<T>(limit: Duration, future: impl Future<Output = T>) -> Option<T> {
        monoio::time::timeout(limit, future).await.ok()
    }

    async fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
        let stream = TcpStream::connect_addr(addr).await?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    async fn write_all(stream: &mut TcpStream, bytes: Vec<u8>) -> io::Result<()> {
        stream.write_all(bytes).await.0.map(drop)
    }

    async fn read(stream: &mut TcpStream, mut buffer: Vec<u8>) -> (io::Result<usize>, Vec<u8>) {
        buffer.clear();
        stream.read(buffer).await
    }

    type File = monoio::fs::File;
    type Block = Vec<u8>;

    async fn read_file(path: PathBuf) -> io::Result<Vec<u8>> {
        monoio::fs::read(path).await
    }

    async fn open_file(path: PathBuf) -> io::Result<monoio::fs::File> {
        monoio::fs::File::open(path).await
    }

    async fn read_file_at(
        file: &monoio::fs::File,
        offset: u64,
        len: usize,
        mut buffer: Vec<u8>,
    ) -> io::Result<Vec<u8>> {
        buffer.clear();
        buffer.reserve(len);
        let (read, filled) = file.read_exact_at(buffer.slice_mut(0..len), offset).await;
        read.map(|()| filled.into_inner())
    }

    fn recycle(block: Vec<u8>) -> Vec<u8> {
        block
    }

    async fn close_file(file: monoio::fs::File) -> io::Result<()> {
        file.close().await
    }

    async fn open_file_write(path: PathBuf) -> io::Result<monoio::fs::File> {
        monoio::fs::OpenOptions::new().write(true).open(path).await
    }

    async fn write_file_at(
        file: &monoio::fs::File,
        offset: u64,
        bytes: Vec<u8>,
    ) -> io::Result<Vec<u8>> {
        let (written, bytes) = file.write_all_at(bytes, offset).await;
        written.map(|()| bytes)
    }

    async fn sync_file(file: &monoio::fs::File) -> io::Result<()> {
        file.sync_data().await
    }
}
