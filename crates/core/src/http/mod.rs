//! HTTP/1.1 framing shared by every backend: request bytes out, an incremental response
//! reader in. Backends only move bytes; what the bytes mean is decided here.
//!
//! The HTTP client stack every backend shares lives under it: bodies, faults, the async
//! keep-alive exchange and worker client, the blocking client, the schedule of a paced run,
//! the tally of outcomes and the sample of a fitted cell.

pub mod body;
pub mod client;
pub mod exchange;
pub mod fault;
pub mod latencies;
pub mod request;
pub mod sample;
pub mod schedule;
pub mod tally;
pub mod workers;

use crate::body::BodyHasher;

/// The most header bytes accepted before a response is declared malformed.
const MAX_HEAD: usize = 64 * 1024;

/// A keep-alive `GET` for `path` on `host`.
pub fn request(host: &str, path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: shootout\r\nAccept: */*\r\n\r\n")
        .into_bytes()
}

/// A complete response, with its body hashed and counted rather than stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Body length in bytes (after de-chunking).
    pub body_len: u64,
    /// FNV-1a hash of the body.
    pub body_hash: u64,
    /// Whether the connection may carry another request.
    pub keep_alive: bool,
    /// The delay the embedded server really applied before answering, microseconds
    /// (its [`DELAY_HEADER`]), when it says.
    pub delay_us: Option<u64>,
}

/// The header in which the embedded server reports the delay it really applied, in
/// microseconds: its timer's own lateness is then not charged to the client.
pub const DELAY_HEADER: &str = "x-shootout-delay-us";

/// A response that cannot be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// Bytes that are not HTTP/1.x.
    #[error("malformed response: {0}")]
    Malformed(String),
    /// The connection ended before the response did.
    #[error("connection closed after {0} bytes of an incomplete response")]
    Truncated(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Body {
    /// Exactly this many bytes remain.
    Length(u64),
    /// Chunked: reading a size line.
    ChunkSize,
    /// Chunked: this many bytes of chunk data remain.
    ChunkData(u64),
    /// Chunked: the CRLF after chunk data.
    ChunkEnd,
    /// Chunked: trailer lines until an empty one.
    Trailer,
    /// No length: the body runs until the connection closes.
    UntilClose,
}

/// Reads one response at a time from bytes as they arrive.
#[derive(Debug, Default)]
pub struct ResponseReader {
    pending: Vec<u8>,
    head: Option<(u16, bool)>,
    delay_us: Option<u64>,
    body: Option<Body>,
    body_len: u64,
    hasher: BodyHasher,
    seen: usize,
    /// Bytes of chunked trailer so far: bounded like a head, so a peer that never ends
    /// its trailer is an error, not an endless read.
    trailer: usize,
}

impl ResponseReader {
    /// A reader waiting for a status line.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether no byte of a response has arrived yet.
    pub fn is_idle(&self) -> bool {
        self.seen == 0
    }

    /// Feeds bytes read from the connection; returns the response once it is complete.
    /// Bytes past the end of a response are discarded: requests are never pipelined.
    pub fn feed(&mut self, data: &[u8]) -> Result<Option<Response>, HttpError> {
        self.seen += data.len();
        self.pending.extend_from_slice(data);
        self.advance()
    }

    /// The connection closed: completes a body that runs until close, otherwise errs.
    pub fn finish(&mut self) -> Result<Response, HttpError> {
        match (self.head, self.body) {
            (Some((status, _)), Some(Body::UntilClose)) => {
                let response = self.complete(status, false);
                Ok(response)
            }
            _ => Err(HttpError::Truncated(self.seen)),
        }
    }

    fn advance(&mut self) -> Result<Option<Response>, HttpError> {
        if self.head.is_none() && !self.parse_head()? {
            return Ok(None);
        }
        let (status, keep_alive) = self.head.expect("head parsed");
        loop {
            match self.body.expect("body framing known after the head") {
                Body::Length(0) => return Ok(Some(self.complete(status, keep_alive))),
                Body::Length(remaining) => {
                    let take = remaining.min(self.pending.len() as u64);
                    self.consume_body(take as usize);
                    self.body = Some(Body::Length(remaining - take));
                    if remaining - take > 0 {
                        return Ok(None);
                    }
                }
                Body::UntilClose => {
                    let all = self.pending.len();
                    self.consume_body(all);
                    return Ok(None);
                }
                Body::ChunkSize => {
                    let Some(line) = self.take_line()? else {
                        return Ok(None);
                    };
                    let size = line.split(';').next().unwrap_or("").trim();
                    let size = u64::from_str_radix(size, 16)
                        .map_err(|_| HttpError::Malformed(format!("bad chunk size '{size}'")))?;
                    self.body = Some(if size == 0 {
                        Body::Trailer
                    } else {
                        Body::ChunkData(size)
                    });
                }
                Body::ChunkData(remaining) => {
                    let take = remaining.min(self.pending.len() as u64);
                    self.consume_body(take as usize);
                    if remaining - take > 0 {
                        self.body = Some(Body::ChunkData(remaining - take));
                        return Ok(None);
                    }
                    self.body = Some(Body::ChunkEnd);
                }
                Body::ChunkEnd => {
                    let Some(line) = self.take_line()? else {
                        return Ok(None);
                    };
                    if !line.is_empty() {
                        return Err(HttpError::Malformed(
                            "chunk data longer than its size".into(),
                        ));
                    }
                    self.body = Some(Body::ChunkSize);
                }
                Body::Trailer => {
                    let Some(line) = self.take_line()? else {
                        return Ok(None);
                    };
                    if line.is_empty() {
                        return Ok(Some(self.complete(status, keep_alive)));
                    }
                    self.trailer += line.len() + 2;
                    if self.trailer > MAX_HEAD {
                        return Err(HttpError::Malformed("chunked trailer over 64 KiB".into()));
                    }
                }
            }
        }
    }

    /// Parses the status line and headers once they are all in; false if not yet. An
    /// interim 1xx response (100 Continue, 103 Early Hints) is skipped: the final response
    /// follows it on the same connection.
    fn parse_head(&mut self) -> Result<bool, HttpError> {
        loop {
            match self.parse_one_head()? {
                Some(status) if (100..200).contains(&status) && status != 101 => {
                    self.head = None;
                    self.body = None;
                    self.delay_us = None;
                }
                Some(_) => return Ok(true),
                None => return Ok(false),
            }
        }
    }

    /// Parses one status line and its headers; the status once they are all in.
    fn parse_one_head(&mut self) -> Result<Option<u16>, HttpError> {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Response::new(&mut headers);
        let used = match parsed.parse(&self.pending) {
            Ok(httparse::Status::Complete(used)) => used,
            Ok(httparse::Status::Partial) if self.pending.len() > MAX_HEAD => {
                return Err(HttpError::Malformed("response head over 64 KiB".into()));
            }
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(err) => return Err(HttpError::Malformed(err.to_string())),
        };
        let status = parsed.code.unwrap_or(0);
        let mut keep_alive = parsed.version == Some(1);
        let mut length = None;
        let mut chunked = false;
        for header in parsed.headers.iter() {
            let value = String::from_utf8_lossy(header.value).to_ascii_lowercase();
            if header.name.eq_ignore_ascii_case("content-length") {
                let this = value
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| HttpError::Malformed(format!("bad Content-Length '{value}'")))?;
                // Two different lengths: which body is this? (RFC 9112 6.3: an error.)
                if length.is_some_and(|earlier| earlier != this) {
                    return Err(HttpError::Malformed(format!(
                        "conflicting Content-Length headers ({} and {this})",
                        length.unwrap_or_default()
                    )));
                }
                length = Some(this);
            } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.split(',').any(|coding| coding.trim() == "chunked");
            } else if header.name.eq_ignore_ascii_case(DELAY_HEADER) {
                self.delay_us = value.trim().parse().ok();
            } else if header.name.eq_ignore_ascii_case("connection") {
                if value.contains("close") {
                    keep_alive = false;
                } else if value.contains("keep-alive") {
                    keep_alive = true;
                }
            }
        }
        let no_body = status == 204 || status == 304 || (100..200).contains(&status);
        self.body = Some(match (no_body, chunked, length) {
            (true, _, _) => Body::Length(0),
            (false, true, _) => Body::ChunkSize,
            (false, false, Some(length)) => Body::Length(length),
            (false, false, None) => {
                keep_alive = false;
                Body::UntilClose
            }
        });
        self.head = Some((status, keep_alive));
        self.pending.drain(..used);
        Ok(Some(status))
    }

    fn consume_body(&mut self, count: usize) {
        self.hasher.update(&self.pending[..count]);
        self.body_len += count as u64;
        self.pending.drain(..count);
    }

    /// Takes one CRLF-terminated line, without its CRLF, if it has fully arrived.
    fn take_line(&mut self) -> Result<Option<String>, HttpError> {
        let Some(end) = self.pending.windows(2).position(|pair| pair == b"\r\n") else {
            if self.pending.len() > MAX_HEAD {
                return Err(HttpError::Malformed(
                    "line over 64 KiB in chunked body".into(),
                ));
            }
            return Ok(None);
        };
        let line = String::from_utf8_lossy(&self.pending[..end]).into_owned();
        self.pending.drain(..end + 2);
        Ok(Some(line))
    }

    fn complete(&mut self, status: u16, keep_alive: bool) -> Response {
        let response = Response {
            status,
            body_len: self.body_len,
            body_hash: self.hasher.finish(),
            keep_alive,
            delay_us: self.delay_us,
        };
        *self = ResponseReader::new();
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body;

    fn read_in_pieces(bytes: &[u8], piece: usize) -> Result<Option<Response>, HttpError> {
        let mut reader = ResponseReader::new();
        for chunk in bytes.chunks(piece) {
            if let Some(response) = reader.feed(chunk)? {
                return Ok(Some(response));
            }
        }
        Ok(None)
    }

    #[test]
    fn content_length_body_in_any_split() {
        let payload = body::fill(300, 1);
        let mut bytes = b"HTTP/1.1 200 OK\r\nContent-Length: 300\r\n\r\n".to_vec();
        bytes.extend_from_slice(&payload);
        for piece in [1, 7, 64, 4096] {
            let response = read_in_pieces(&bytes, piece).unwrap().expect("complete");
            assert_eq!(response.status, 200);
            assert_eq!(response.body_len, 300);
            assert_eq!(response.body_hash, body::expected_hash(300, 1));
            assert!(response.keep_alive);
        }
    }

    #[test]
    fn chunked_body_with_extensions_and_trailers() {
        let bytes = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                      5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: y\r\n\r\n";
        for piece in [1, 3, 100] {
            let response = read_in_pieces(bytes, piece).unwrap().expect("complete");
            let mut hasher = BodyHasher::default();
            hasher.update(b"hello world");
            assert_eq!(
                (response.body_len, response.body_hash),
                (11, hasher.finish())
            );
        }
    }

    #[test]
    fn body_until_close_and_truncation() {
        let mut reader = ResponseReader::new();
        assert_eq!(reader.feed(b"HTTP/1.0 200 OK\r\n\r\nabc").unwrap(), None);
        let response = reader.finish().unwrap();
        assert_eq!((response.body_len, response.keep_alive), (3, false));

        let mut reader = ResponseReader::new();
        assert!(reader.is_idle());
        assert_eq!(reader.finish(), Err(HttpError::Truncated(0)));
        reader
            .feed(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
            .unwrap();
        assert!(matches!(reader.finish(), Err(HttpError::Truncated(_))));
    }

    #[test]
    fn status_and_connection_close() {
        let bytes =
            b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        let response = read_in_pieces(bytes, 5).unwrap().unwrap();
        assert_eq!((response.status, response.keep_alive), (500, false));
    }

    #[test]
    fn interim_responses_are_skipped_and_conflicting_lengths_refused() {
        let continued = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        for piece in [1, 7, continued.len()] {
            let response = read_in_pieces(continued, piece).unwrap().unwrap();
            assert_eq!(
                (response.status, response.body_len),
                (200, 2),
                "piece {piece}"
            );
        }
        let conflicting = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\nok";
        let err = read_in_pieces(conflicting, 64).unwrap_err();
        assert!(
            err.to_string().contains("conflicting Content-Length"),
            "{err}"
        );
        // The same length twice is one length.
        let repeated = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok";
        assert_eq!(read_in_pieces(repeated, 64).unwrap().unwrap().body_len, 2);
    }

    #[test]
    fn an_endless_trailer_is_an_error_not_an_endless_read() {
        let mut reader = ResponseReader::new();
        let head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
        assert_eq!(reader.feed(head).unwrap(), None);
        let line = b"X-Trailer: yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n";
        let mut fed = 0;
        let err = loop {
            match reader.feed(line) {
                Ok(None) => fed += line.len(),
                Ok(Some(_)) => panic!("an endless trailer completed"),
                Err(err) => break err,
            }
            assert!(fed < 1 << 20, "read a MiB of trailer without stopping");
        };
        assert!(err.to_string().contains("trailer over 64 KiB"), "{err}");
    }

    mod fuzz {
        use super::super::*;
        use proptest::prelude::*;

        /// A well-formed response to mutate: chunked with a trailer, or with a length.
        fn valid(chunked: bool) -> Vec<u8> {
            if chunked {
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n0\r\nT: 1\r\n\r\n"
                    .to_vec()
            } else {
                b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Shootout-Delay-Us: 7\r\n\r\nhello"
                    .to_vec()
            }
        }

        /// Feeds `bytes` in pieces of `sizes`; checks the reader never panics and never
        /// holds more than a head's worth plus the piece just fed.
        fn feed_all(bytes: &[u8], sizes: &[usize]) {
            let mut reader = ResponseReader::new();
            let mut at = 0;
            let mut sizes = sizes.iter().cycle();
            while at < bytes.len() {
                let size = (*sizes.next().unwrap()).clamp(1, bytes.len() - at);
                let piece = &bytes[at..at + size];
                at += size;
                match reader.feed(piece) {
                    Ok(Some(_)) => reader = ResponseReader::new(),
                    Ok(None) => {}
                    Err(_) => return,
                }
                assert!(reader.pending.len() <= MAX_HEAD + piece.len());
            }
            let _ = reader.finish();
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn random_bytes_never_panic(
                bytes in proptest::collection::vec(any::<u8>(), 0..4096),
                sizes in proptest::collection::vec(1usize..600, 1..8),
            ) {
                feed_all(&bytes, &sizes);
            }

            #[test]
            fn mutated_responses_never_panic(
                chunked in any::<bool>(),
                edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
                cut in any::<usize>(),
                sizes in proptest::collection::vec(1usize..40, 1..6),
            ) {
                let mut bytes = valid(chunked);
                for (at, byte) in edits {
                    let at = at % bytes.len();
                    bytes[at] = byte;
                }
                bytes.truncate(cut % (bytes.len() + 1));
                feed_all(&bytes, &sizes);
            }

            #[test]
            fn a_long_stream_of_header_or_trailer_lines_is_bounded(
                lines in 1usize..5000,
                chunked in any::<bool>(),
            ) {
                let mut bytes = if chunked {
                    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n".to_vec()
                } else {
                    b"HTTP/1.1 200 OK\r\n".to_vec()
                };
                for _ in 0..lines {
                    bytes.extend_from_slice(b"X-Filler: 0123456789abcdef\r\n");
                }
                feed_all(&bytes, &[512]);
            }
        }
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        assert!(matches!(
            read_in_pieces(b"SSH-2.0-OpenSSH\r\n\r\n", 4),
            Err(HttpError::Malformed(_))
        ));
        let bad_length = b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n";
        assert!(read_in_pieces(bad_length, 100).is_err());
    }

    #[test]
    fn request_is_http_1_1_with_host() {
        let request = String::from_utf8(request("127.0.0.1:80", "/bytes/3")).unwrap();
        assert!(request.starts_with("GET /bytes/3 HTTP/1.1\r\nHost: 127.0.0.1:80\r\n"));
        assert!(request.ends_with("\r\n\r\n"));
    }
}
