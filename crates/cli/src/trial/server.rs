//! The embedded server as a child process: started by `run` and `trial`, stopped with them.

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// The line `shootout serve` prints first, before the address.
pub const LISTENING: &str = "listening on http://";

/// A running `shootout serve` child; dropping it stops the server.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    addr: SocketAddr,
    banner: String,
}

impl ServerProcess {
    /// Starts `exe serve` on a free loopback port and waits until it accepts connections.
    /// With `cpus`, it runs on those CPUs only.
    pub fn spawn(exe: &Path, cpus: Option<&[usize]>) -> Result<ServerProcess> {
        let mut command = Command::new(exe);
        command.args(["serve", "--port", "0", "--exit-with-parent"]);
        if let Some(cpus) = cpus {
            command.args(["--cpus", &crate::pin::list(cpus)]);
        }
        let mut child = command
            // Its stdin is ours to hold: when this process dies, the pipe closes and the
            // server exits, so no server outlives its run.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting the embedded server (shootout serve)")?;
        let stdout = child.stdout.take().context("server stdout")?;
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = tx.send(reader.read_line(&mut line).map(|_| line));
            // Keep draining so the server never blocks on a full pipe.
            let _ = std::io::copy(&mut reader.take(u64::MAX), &mut std::io::sink());
        });
        let banner = match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(Ok(line)) => line.trim().to_string(),
            _ => {
                let _ = child.kill();
                bail!("the embedded server did not report its address within 10 s");
            }
        };
        let addr: SocketAddr = banner
            .strip_prefix(LISTENING)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|addr| addr.parse().ok())
            .with_context(|| format!("unexpected first line from the server: '{banner}'"))?;
        TcpStream::connect_timeout(&addr, Duration::from_secs(5)).with_context(|| {
            format!("the embedded server at {addr} does not accept connections")
        })?;
        Ok(ServerProcess {
            child,
            addr,
            banner,
        })
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How it ended, if it has (killed by the OOM killer, crashed): `None` while it runs.
    pub fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(status.to_string()),
            Ok(None) => None,
            Err(err) => Some(format!("its state is unknown: {err}")),
        }
    }

    /// What it said about itself (address and worker threads).
    pub fn banner(&self) -> &str {
        &self.banner
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `shootout serve`: runs the server in this process until interrupted (or, with
/// `exit_with_parent`, until standard input closes).
pub fn serve(port: u16, threads: usize, exit_with_parent: bool) -> Result<()> {
    let server = shootout_server::Server::start(SocketAddr::from(([127, 0, 0, 1], port)), threads)
        .with_context(|| format!("binding 127.0.0.1:{port}"))?;
    println!(
        "{LISTENING}{} (hyper HTTP/1.1 keep-alive on tokio, {} worker threads; GET /bytes/{{n}}?delay_ms=&fail=&reset=&seed=&id=)",
        server.addr(),
        server.workers()
    );
    use std::io::Write;
    std::io::stdout().flush()?;
    if exit_with_parent {
        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
        return Ok(());
    }
    loop {
        thread::park();
    }
}
