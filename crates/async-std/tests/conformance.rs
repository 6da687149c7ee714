//! The shared conformance suite on async-std with two workers.

use shootout_async_std::AsyncStd;
use shootout_core::{Target, conformance};
use shootout_server::Server;

#[test]
fn conformance() {
    let server = Server::start(([127, 0, 0, 1], 0).into(), 1).expect("server starts");
    let backend = AsyncStd::new(2).expect("runtime starts");
    conformance::check_all(&backend);
    conformance::check_fetch(&backend, &Target::embedded(server.addr()));
    // The global runtime cannot be resized: a second, different request is refused.
    assert!(AsyncStd::new(3).is_err());
    assert!(AsyncStd::new(2).is_ok());
}

#[test]
fn files_on_async_std_fs() {
    shootout_core::files::conformance::check(&AsyncStd::new(2).expect("runtime builds"));
}
