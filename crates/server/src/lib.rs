//! The embedded HTTP/1.1 target of the fetch workload: a hyper server on loopback that
//! answers `GET /bytes/{n}` with n deterministic bytes, after an optional delay, and fails
//! or drops a deterministic fraction of requests. It runs in its own process during a
//! shootout run, so its CPU and memory are not charged to the backend under test.

#![forbid(unsafe_code)]

mod handler;
mod route;
mod server;
mod stream;

pub use route::{BytesRequest, parse};
pub use server::Server;
