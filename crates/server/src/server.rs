//! Running the server: a tokio runtime of its own on background threads.

use std::io;
use std::net::SocketAddr;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::oneshot;

use crate::handler;

/// Pending connections the listener queues before refusing more.
const BACKLOG: u32 = 4096;

/// How long a connection may take to send a request's headers, and (hyper starts the same
/// timer when a keep-alive connection goes idle) how long it may sit idle between
/// requests: a slowloris peer holds a connection this long, not forever. Far above any
/// gap a workload leaves on a connection.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(60);

/// A running server; dropping it stops the server and joins its threads.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    workers: usize,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `addr` (port 0 picks a free port) and serves on a tokio runtime of
    /// `workers` threads until dropped.
    pub fn start(addr: SocketAddr, workers: usize) -> io::Result<Server> {
        Self::start_with(addr, workers, HEADER_READ_TIMEOUT)
    }

    /// [`Server::start`] with another header-read (and idle) timeout.
    pub fn start_with(
        addr: SocketAddr,
        workers: usize,
        header_timeout: Duration,
    ) -> io::Result<Server> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers.max(1))
            .thread_name("shootout-server")
            .enable_all()
            .build()?;
        // std's listener has a backlog of 128: a burst of 256 connects then overflows
        // the accept queue, dropped SYNs are retried after 1 s, and the client's p99
        // shows the server's backlog instead of the client. Listen with a deep backlog
        // (the kernel caps it at net.core.somaxconn).
        let listener = runtime.block_on(async {
            let socket = if addr.is_ipv4() {
                TcpSocket::new_v4()?
            } else {
                TcpSocket::new_v6()?
            };
            socket.set_reuseaddr(true)?;
            socket.bind(addr)?;
            socket.listen(BACKLOG)
        })?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let thread = thread::Builder::new()
            .name("shootout-server-main".into())
            .spawn(move || {
                runtime.block_on(async move {
                    tokio::select! {
                        () = accept_loop(listener, header_timeout) => {}
                        _ = stopped => {}
                    }
                });
            })?;
        Ok(Server {
            addr,
            workers,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its worker threads.
    pub fn workers(&self) -> usize {
        self.workers
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept_loop(listener: TcpListener, header_timeout: Duration) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors or similar: keep serving the connections we have.
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            // Errors here are injected resets or clients that went away: both expected.
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service_fn(handler::handle))
                .await;
        });
    }
}
