//! The embedded server over real loopback connections.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use shootout_core::client::BlockingClient;
use shootout_core::fetch::{Faults, Scenario};
use shootout_core::{FetchSpec, Target, body, fault, http};
use shootout_server::Server;

fn server() -> Server {
    Server::start(SocketAddr::from(([127, 0, 0, 1], 0)), 2).expect("server starts")
}

fn client(server: &Server) -> BlockingClient {
    BlockingClient::new(Target::embedded(server.addr()), Duration::from_secs(10))
}

fn get(
    client: &mut BlockingClient,
    server: &Server,
    path: &str,
) -> Result<http::Response, shootout_core::Failure> {
    let request = http::request(&server.addr().to_string(), path);
    client.exchange(&request, Instant::now() + Duration::from_secs(10))
}

/// The raw response to `request` bytes, read until the server closes or 1 s passes.
fn raw(server: &Server, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn bodies_are_the_promised_bytes_over_one_keep_alive_connection() {
    let server = server();
    let mut client = client(&server);
    for (n, seed) in [(0, 0), (1, 0), (1000, 5), (1000, 6), (300_000, 1)] {
        let response = get(&mut client, &server, &format!("/bytes/{n}?seed={seed}")).unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(response.body_len, n);
        assert_eq!(response.body_hash, body::expected_hash(n, seed));
        assert!(response.keep_alive);
    }
}

#[test]
fn delay_is_honoured() {
    let server = server();
    let mut client = client(&server);
    let start = Instant::now();
    let response = get(&mut client, &server, "/bytes/10?delay_ms=50").unwrap();
    let elapsed = start.elapsed();
    assert_eq!(response.status, 200);
    assert!(elapsed >= Duration::from_millis(50), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    // The server says what it applied: at least what was asked, at most what the client saw.
    let applied = response.delay_us.expect("the applied delay header");
    assert!(applied >= 50_000, "{applied}");
    assert!(
        applied <= elapsed.as_micros() as u64,
        "{applied} {elapsed:?}"
    );
}

#[test]
fn slow_requests_answer_after_the_extra_delay() {
    let server = server();
    let mut client = client(&server);
    let start = Instant::now();
    let response = get(&mut client, &server, "/bytes/10?slow=1&slow_ms=60").unwrap();
    assert_eq!(response.status, 200);
    assert!(
        start.elapsed() >= Duration::from_millis(60),
        "{:?}",
        start.elapsed()
    );
    let start = Instant::now();
    get(&mut client, &server, "/bytes/10?slow=0&slow_ms=60").unwrap();
    assert!(
        start.elapsed() < Duration::from_millis(60),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn fail_and_reset_fractions_are_exact_for_a_seed() {
    let server = server();
    let mut client = client(&server);
    let spec = FetchSpec {
        requests: 300,
        concurrency: 1,
        latency_ms: 0,
        body_bytes: 16,
        timeout_ms: 10_000,
        scenario: Scenario::PartialFailure(Faults {
            fail: 0.2,
            reset: 0.1,
        }),
        seed: 11,
        url: None,
        ..Default::default()
    };
    let mut seen = (0, 0, 0);
    for id in 0..spec.requests {
        let request = Target::embedded(server.addr()).request(&spec, id);
        let fate = match client.exchange(&request, Instant::now() + Duration::from_secs(10)) {
            Ok(response) if response.status == 200 => fault::Fate::Answer,
            Ok(response) if response.status == 500 => fault::Fate::Fail,
            Err(shootout_core::Failure::Reset(_)) => fault::Fate::Reset,
            other => panic!("request {id}: unexpected {other:?}"),
        };
        // Each id meets exactly the fate core predicts for it, not just the right total.
        assert_eq!(
            fate,
            fault::fate(spec.seed, id, spec.fail(), spec.reset()),
            "request {id}"
        );
        match fate {
            fault::Fate::Answer => seen.0 += 1,
            fault::Fate::Fail => seen.1 += 1,
            fault::Fate::Reset => seen.2 += 1,
            fault::Fate::Slow => unreachable!("this spec has no slow requests"),
        }
    }
    let (_, failed, reset) = seen;
    assert_eq!(seen, spec.expected_counts());
    assert!(failed > 30 && reset > 10, "{failed} {reset}");
}

#[test]
fn bad_requests_get_400_with_a_reason_and_the_server_survives_garbage() {
    let server = server();
    for (path, reason) in [
        ("/bytes/abc", "n must be a whole number"),
        ("/elsewhere", "unknown path"),
        ("/bytes/1?fail=3", "fail must be a fraction"),
        (
            "/bytes/1?delay_ms=999999",
            "delay_ms must be a whole number in 0..=60000",
        ),
        ("/bytes/1?what=1", "unknown query parameter"),
    ] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let response = raw(&server, request.as_bytes());
        assert!(response.starts_with("HTTP/1.1 400"), "{path}: {response}");
        assert!(response.contains(reason), "{path}: {response}");
    }
    let post = raw(
        &server,
        b"POST /bytes/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert!(post.starts_with("HTTP/1.1 405"), "{post}");
    let garbage = raw(&server, b"\x00\x01 not http at all\r\n\r\n");
    assert!(
        garbage.is_empty() || garbage.starts_with("HTTP/1.1 400"),
        "{garbage}"
    );
    let mut client = client(&server);
    assert_eq!(get(&mut client, &server, "/bytes/3").unwrap().status, 200);
}

#[test]
fn a_slowloris_peer_is_closed_at_the_header_timeout_and_real_requests_still_served() {
    let timeout = Duration::from_millis(300);
    let server = Server::start_with(SocketAddr::from(([127, 0, 0, 1], 0)), 2, timeout)
        .expect("server starts");
    // Many peers that start a request and never finish its headers, plus one that sends
    // nothing at all.
    let mut slow: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut stream = TcpStream::connect(server.addr()).unwrap();
            stream
                .write_all(b"GET /bytes/1 HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            stream
        })
        .collect();
    slow.push(TcpStream::connect(server.addr()).unwrap());
    let started = Instant::now();
    for stream in &mut slow {
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut rest = Vec::new();
        // The server closes (EOF, or a 408 then EOF): never a 5 s read timeout.
        let ended = stream.read_to_end(&mut rest);
        assert!(ended.is_ok(), "{ended:?} after {:?}", started.elapsed());
    }
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "closed after {:?}",
        started.elapsed()
    );
    // A real request meanwhile and after is answered.
    let mut client = client(&server);
    let response = get(&mut client, &server, "/bytes/64?seed=1").expect("answered");
    assert_eq!(response.status, 200);
    assert_eq!(response.body_len, 64);
}
