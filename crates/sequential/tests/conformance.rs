//! The shared conformance suite on the sequential baseline.

use shootout_core::{Target, conformance};
use shootout_sequential::Sequential;
use shootout_server::Server;

#[test]
fn sleep_and_cpu() {
    conformance::check_all(&Sequential);
}

#[test]
fn fetch() {
    let server = Server::start(([127, 0, 0, 1], 0).into(), 1).expect("server starts");
    conformance::check_fetch(&Sequential, &Target::embedded(server.addr()));
}

#[test]
fn files_on_std_fs() {
    shootout_core::files::conformance::check(&Sequential);
}
