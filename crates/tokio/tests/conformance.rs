//! The shared conformance suite on both tokio flavors.

use shootout_core::{Target, conformance};
use shootout_server::Server;
use shootout_tokio::Tokio;

#[test]
fn multi_thread() {
    let server = Server::start(([127, 0, 0, 1], 0).into(), 1).expect("server starts");
    let backend = Tokio::multi_thread(2).expect("runtime builds");
    conformance::check_all(&backend);
    conformance::check_fetch(&backend, &Target::embedded(server.addr()));
}

#[test]
fn current_thread() {
    let server = Server::start(([127, 0, 0, 1], 0).into(), 1).expect("server starts");
    let backend = Tokio::current_thread(2).expect("runtime builds");
    conformance::check_all(&backend);
    conformance::check_fetch(&backend, &Target::embedded(server.addr()));
}

#[test]
fn files_on_multi_thread_fs() {
    shootout_core::files::conformance::check(&Tokio::multi_thread(2).expect("runtime builds"));
}

#[test]
fn files_on_current_thread_fs() {
    shootout_core::files::conformance::check(&Tokio::current_thread(2).expect("runtime builds"));
}
