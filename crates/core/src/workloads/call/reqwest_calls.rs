//! `call` over HTTP through `reqwest`, the client most tokio users pick (plain HTTP/1.1):
//! the labelled `reqwest` variant, on tokio only. One `Client` per worker, as ureq's agent
//! is one per worker: each keeps its own keep-alive connection, made at the first call (a
//! `Client` shared by the workers pools the same C connections). Proxies from the
//! environment are ignored, as the embedded server is on loopback.

use super::CallError;
use super::http::{Ask, checked, path};
use super::tally::Tally;
use super::workers::Shared;
use crate::http::body::BodyHasher;
use crate::outcome::Outcome;

/// A worker's calls: each a `GET` of the seeded body, read in chunks, hashed and checked.
pub(super) async fn http(worker: Shared) -> Tally {
    let spec = worker.spec;
    let ask = Ask {
        bytes: spec.body_bytes,
        delay_ms: spec.wait_ms,
        seed: spec.seed,
    };
    let built = reqwest::Client::builder()
        .no_proxy()
        .timeout(worker.timeout)
        .pool_max_idle_per_host(1)
        .build();
    worker.gate.arrive_async().await;
    let client = match built {
        Ok(client) => client,
        Err(err) => {
            return Tally::failed(Outcome::ZERO, CallError::new(0, format!("reqwest: {err}")));
        }
    };
    let base = format!("http://{}", worker.target.addr);
    worker
        .calls(|id| {
            let request = client.get(format!("{base}{}", path(&ask, id)));
            async move {
                let reqwest = |err: reqwest::Error| CallError::new(id, format!("reqwest: {err}"));
                let mut response = request.send().await.map_err(reqwest)?;
                let status = response.status().as_u16();
                let (mut hasher, mut got) = (BodyHasher::default(), 0u64);
                while let Some(chunk) = response.chunk().await.map_err(reqwest)? {
                    hasher.update(&chunk);
                    got += chunk.len() as u64;
                }
                checked(id, &ask, status, got, hasher.finish())
            }
        })
        .await
}
