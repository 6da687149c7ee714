//! Timeouts that hold against hostile peers, on every backend: a server that never stops
//! sending a body, one that trickles a byte at a time, and one that never finishes its
//! headers. Each backend's fetch must give up at `--timeout-ms` (plus its own start-up),
//! not when the peer stops. Loopback only, bounded in time.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

mod common;

/// Warm-up and two requests, each at most one 300 ms timeout, plus start-up, take about a
/// second; a timeout that does not hold runs until the peer stops, which it never does.
const BOUND: Duration = Duration::from_secs(15);

/// How a hostile server answers every request.
#[derive(Clone, Copy, Debug)]
enum Peer {
    /// A head promising a terabyte, then bytes as fast as the socket takes them.
    Endless,
    /// A head promising 1000 bytes, then one byte every 20 ms.
    Trickle,
    /// A status line, then a header line every 20 ms, never the blank line.
    Headless,
}

/// Serves `peer` on a loopback port until the test process ends; returns the port.
fn serve(peer: Peer) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || answer(stream, peer));
        }
    });
    port
}

fn answer(mut stream: TcpStream, peer: Peer) {
    // The request head, then the hostile answer until the client goes away.
    let mut request = [0u8; 4096];
    if stream.read(&mut request).unwrap_or(0) == 0 {
        return;
    }
    let slow = Duration::from_millis(20);
    let _: std::io::Result<()> = match peer {
        Peer::Endless => stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n")
            .and_then(|()| {
                let block = vec![b'x'; 64 * 1024];
                loop {
                    stream.write_all(&block)?;
                }
            }),
        Peer::Trickle => stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
            .and_then(|()| {
                loop {
                    stream.write_all(b"x")?;
                    thread::sleep(slow);
                }
            }),
        Peer::Headless => stream.write_all(b"HTTP/1.1 200 OK\r\n").and_then(|()| {
            loop {
                stream.write_all(b"X-Never-Done: 1\r\n")?;
                thread::sleep(slow);
            }
        }),
    };
}

#[test]
fn every_backends_timeout_holds_against_hostile_peers() {
    let backends = common::backends();
    for peer in [Peer::Endless, Peer::Trickle, Peer::Headless] {
        let port = serve(peer);
        for backend in &backends {
            let started = Instant::now();
            let mut child = Command::new(env!("CARGO_BIN_EXE_shootout"))
                .args(["trial", "--backend", backend, "--workload", "fetch"])
                .args(["--url", &format!("http://127.0.0.1:{port}/hostile")])
                .args([
                    "--requests",
                    "2",
                    "--concurrency",
                    "1",
                    "--timeout-ms",
                    "300",
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the binary runs");
            // A timeout that does not hold would read forever: kill it at the bound.
            while child.try_wait().unwrap().is_none() && started.elapsed() < BOUND {
                thread::sleep(Duration::from_millis(20));
            }
            if child.try_wait().unwrap().is_none() {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{backend} against {peer:?} was still reading after {BOUND:?}");
            }
            let out = child.wait_with_output().unwrap();
            let took = started.elapsed();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                took < BOUND,
                "{backend} against {peer:?} took {took:?}: {stderr}"
            );
            assert!(
                !out.status.success(),
                "{backend} against {peer:?} verified?"
            );
            let record: serde_json::Value =
                serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
                    panic!("{backend} against {peer:?}: no record ({e}): {stderr}")
                });
            assert_eq!(record["verified"], false, "{backend} {peer:?}");
            // Requests ended at their timeout: counted in the record, or, when the warm-up
            // already failed, in its error ("… 2 timed out …").
            let counted = record["fetch"]["failed"]["timeout"].as_u64().unwrap_or(0);
            let error = record["error"].as_str().unwrap_or("");
            let said = error
                .split(" timed out")
                .next()
                .and_then(|before| before.rsplit(' ').next())
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
            assert!(
                counted + said >= 1,
                "{backend} against {peer:?}: {error} {}",
                record["fetch"]
            );
        }
    }
}
