//! A generated body sent a chunk at a time: its memory is one chunk per connection,
//! whatever the length asked for.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use shootout_core::body;

/// Bytes per frame: with 10,000 connections in flight, at most 160 MiB of chunks.
const CHUNK: u64 = 16 * 1024;

/// The body of `GET /bytes/{n}?seed=`, made as it is sent.
#[derive(Debug)]
pub struct Filled {
    n: u64,
    seed: u64,
    sent: u64,
}

impl Filled {
    /// `n` bytes of the body for `seed`.
    pub fn new(n: u64, seed: u64) -> Self {
        Filled { n, seed, sent: 0 }
    }
}

impl Body for Filled {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.sent >= self.n {
            return Poll::Ready(None);
        }
        let len = (self.n - self.sent).min(CHUNK);
        let chunk = body::fill_at(self.sent, len as usize, self.seed);
        self.sent += len;
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(chunk)))))
    }

    fn is_end_stream(&self) -> bool {
        self.sent >= self.n
    }

    /// Exact, so hyper sends a Content-Length, as for a body held whole.
    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.n - self.sent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    fn collect(body: Filled) -> (Vec<u8>, usize) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let mut body = body;
            let (mut bytes, mut frames) = (Vec::new(), 0);
            while let Some(frame) = body.frame().await {
                let data = frame.expect("infallible").into_data().expect("data frames");
                assert!(data.len() as u64 <= CHUNK);
                bytes.extend_from_slice(&data);
                frames += 1;
            }
            (bytes, frames)
        })
    }

    #[test]
    fn the_streamed_body_is_the_whole_body_a_chunk_at_a_time() {
        for n in [0, 1, 13, CHUNK - 1, CHUNK, 3 * CHUNK + 5] {
            let body = Filled::new(n, 7);
            assert_eq!(body.size_hint().exact(), Some(n));
            let (bytes, frames) = collect(body);
            assert_eq!(bytes, body::fill(n, 7), "n = {n}");
            assert_eq!(frames as u64, n.div_ceil(CHUNK), "n = {n}");
        }
    }
}
