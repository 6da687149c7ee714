//! Answering one request: 200 with the body, 500, a dropped connection, or 400.

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{Either, Full};
use hyper::body::Incoming;
use hyper::header::HeaderValue;
use hyper::{Method, Request, Response, StatusCode};
use shootout_core::{fault, http};

use crate::route;

/// Returned to hyper to make it drop the connection without answering: that is how a
/// reset is injected.
#[derive(Debug)]
pub struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("injected reset: connection dropped without an answer")
    }
}

impl std::error::Error for DropConnection {}

/// Ids for requests that do not carry one, so faults still follow a fixed sequence.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// Until when the whole server holds its answers, after a request asked it to pause.
static PAUSED_UNTIL: Mutex<Option<Instant>> = Mutex::new(None);

/// Starts a server-wide pause of `pause_ms` from now.
fn pause(pause_ms: u64) {
    let until = Instant::now() + Duration::from_millis(pause_ms);
    let mut paused = PAUSED_UNTIL.lock().unwrap_or_else(|e| e.into_inner());
    *paused = Some(paused.map_or(until, |at| at.max(until)));
}

/// Waits out a server-wide pause, if one is on: a stalled server answers nothing.
async fn paused() {
    let until = *PAUSED_UNTIL.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(until) = until.filter(|at| *at > Instant::now()) {
        tokio::time::sleep_until(until.into()).await;
    }
}

/// A response body: a short text, or a generated body streamed a chunk at a time.
pub type Body = Either<Full<Bytes>, crate::stream::Filled>;

/// Handles one request.
pub async fn handle(request: Request<Incoming>) -> Result<Response<Body>, DropConnection> {
    if request.method() != Method::GET {
        return Ok(text(StatusCode::METHOD_NOT_ALLOWED, "only GET is served\n"));
    }
    let uri = request.uri();
    let parsed = match route::parse(uri.path(), uri.query()) {
        Ok(parsed) => parsed,
        Err(reason) => return Ok(text(StatusCode::BAD_REQUEST, &format!("{reason}\n"))),
    };
    if parsed.pause_ms > 0 {
        pause(parsed.pause_ms);
    }
    let delayed = Instant::now();
    if parsed.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(parsed.delay_ms)).await;
    }
    // What the client should count as the server's latency: the delay asked for plus this
    // timer's own lateness (tokio rounds deadlines up to its 1 ms tick).
    let applied_us = delayed.elapsed().as_micros().to_string();
    let id = parsed
        .id
        .unwrap_or_else(|| NEXT_ID.fetch_add(1, Ordering::Relaxed));
    let fate = fault::fate_with_slow(parsed.seed, id, parsed.fail, parsed.reset, parsed.slow);
    if fate == fault::Fate::Slow {
        tokio::time::sleep(Duration::from_millis(parsed.slow_ms)).await;
    }
    paused().await;
    match fate {
        fault::Fate::Answer | fault::Fate::Slow => {
            // Streamed: a request for 64 MiB holds one chunk in memory, not 64 MiB.
            let mut response = Response::new(Either::Right(crate::stream::Filled::new(
                parsed.n,
                parsed.seed,
            )));
            if let Ok(value) = HeaderValue::from_str(&applied_us) {
                response.headers_mut().insert(http::DELAY_HEADER, value);
            }
            Ok(response)
        }
        fault::Fate::Fail => Ok(text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "injected failure\n",
        )),
        fault::Fate::Reset => Err(DropConnection),
    }
}

fn text(status: StatusCode, message: &str) -> Response<Body> {
    let mut response = Response::new(Either::Left(Full::new(Bytes::from(message.to_string()))));
    *response.status_mut() = status;
    response
}
