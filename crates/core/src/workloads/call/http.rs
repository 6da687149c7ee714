//! HTTP through `ureq`, the blocking client most Rust code that is not async uses: one
//! agent per worker (its own keep-alive connection), a `GET` of a seeded body that the
//! embedded server sends after `delay_ms`, the body checked by length and hash.

use std::io::Read;
use std::time::Duration;

use super::{Call, CallError};
use crate::fetch::Target;
use crate::http::body::{self, BodyHasher};

/// What every call asks of the server: a body of `bytes` bytes from `seed`, after
/// `delay_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ask {
    /// The body's length.
    pub bytes: u64,
    /// The server's wait before it answers, milliseconds.
    pub delay_ms: u64,
    /// The body's seed.
    pub seed: u64,
}

/// One worker's blocking HTTP client.
pub struct HttpCaller {
    agent: ureq::Agent,
    base: String,
    ask: Ask,
}

impl HttpCaller {
    /// A client for `target` whose calls each give up after `timeout`.
    pub fn new(target: &Target, ask: Ask, timeout: Duration) -> HttpCaller {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_idle_connections_per_host(1)
            .build();
        HttpCaller {
            agent: config.into(),
            base: format!("http://{}", target.addr),
            ask,
        }
    }

    /// Makes call `id`: its answer must be 200 with the seeded body, whole.
    pub fn call(&self, id: u64) -> Result<Call, CallError> {
        let url = format!("{}{}", self.base, path(&self.ask, id));
        let fail = |message: String| CallError::new(id, message);
        let mut response = self
            .agent
            .get(&url)
            .call()
            .map_err(|err| fail(format!("ureq: {err}")))?;
        let status = response.status().as_u16();
        let mut reader = response.body_mut().as_reader();
        let (mut hasher, mut got, mut buffer) = (BodyHasher::default(), 0u64, [0u8; 8192]);
        loop {
            let n = reader
                .read(&mut buffer)
                .map_err(|err| fail(format!("reading the body: {err}")))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            got += n as u64;
        }
        checked(id, &self.ask, status, got, hasher.finish())
    }
}

/// The path of call `id`: the seeded body of `ask.bytes` bytes after `ask.delay_ms`.
pub fn path(ask: &Ask, id: u64) -> String {
    let Ask {
        bytes,
        delay_ms,
        seed,
    } = *ask;
    format!("/bytes/{bytes}?delay_ms={delay_ms}&seed={seed}&id={id}")
}

/// Call `id` answered `status` with a body of `got` bytes hashing to `hash`: verified
/// only when that is 200 and the seeded body whole.
pub fn checked(id: u64, ask: &Ask, status: u16, got: u64, hash: u64) -> Result<Call, CallError> {
    let fail = |message: String| CallError::new(id, message);
    if status != 200 {
        return Err(fail(format!("status {status}")));
    }
    let expected = body::expected_hash(ask.bytes, ask.seed);
    if got != ask.bytes || hash != expected {
        return Err(fail(format!(
            "a body of {got} bytes (hash {hash:x}) where {} bytes (hash {expected:x}) were sent",
            ask.bytes
        )));
    }
    Ok(Call::of(id))
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    use super::*;

    /// A server of `answers` requests on one connection, each answered with `body(n, seed)`
    /// as the embedded server would, or with `wrong` bytes changed.
    fn serve(answers: usize, wrong: bool) -> Target {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut stream = stream;
            for _ in 0..answers {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                // "GET /bytes/{n}?delay_ms=..&seed={s}&id=.. HTTP/1.1"
                let path = line.split(' ').nth(1).unwrap().to_string();
                let n: u64 = path["/bytes/".len()..path.find('?').unwrap()]
                    .parse()
                    .unwrap();
                let seed: u64 = path
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("seed="))
                    .unwrap()
                    .parse()
                    .unwrap();
                loop {
                    let mut header = String::new();
                    reader.read_line(&mut header).unwrap();
                    if header == "\r\n" {
                        break;
                    }
                }
                let mut body = body::fill(n, seed);
                if wrong {
                    body[0] ^= 1;
                }
                write!(stream, "HTTP/1.1 200 OK\r\ncontent-length: {n}\r\n\r\n").unwrap();
                stream.write_all(&body).unwrap();
            }
        });
        Target::embedded(addr)
    }

    const ASK: Ask = Ask {
        bytes: 1_000,
        delay_ms: 0,
        seed: 9,
    };

    #[test]
    fn calls_verify_on_one_kept_alive_connection() {
        // The server accepts one connection: three calls that verify reused it.
        let caller = HttpCaller::new(&serve(3, false), ASK, Duration::from_secs(5));
        for id in 0..3 {
            assert_eq!(caller.call(id), Ok(Call::of(id)));
        }
    }

    #[test]
    fn a_changed_body_fails_and_names_the_call() {
        let caller = HttpCaller::new(&serve(1, true), ASK, Duration::from_secs(5));
        let err = caller.call(5).unwrap_err();
        assert_eq!(err.id, 5);
        assert!(
            err.message.starts_with("a body of 1000 bytes (hash "),
            "{err}"
        );
    }

    #[test]
    fn a_server_that_is_gone_fails_the_call() {
        let addr = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let caller = HttpCaller::new(&Target::embedded(addr), ASK, Duration::from_secs(5));
        assert!(caller.call(0).unwrap_err().message.starts_with("ureq: "));
    }
}
