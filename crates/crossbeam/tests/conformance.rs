//! The shared conformance suite on a crossbeam pool.

use shootout_core::{Target, conformance};
use shootout_crossbeam::Crossbeam;
use shootout_server::Server;

#[test]
fn sleep_and_cpu() {
    // Eight workers: the pipeline cases need producers + consumers (up to 7) at once.
    conformance::check_all(&Crossbeam::new(8).expect("pool starts"));
}

#[test]
fn fetch() {
    let server = Server::start(([127, 0, 0, 1], 0).into(), 1).expect("server starts");
    let backend = Crossbeam::new(8).expect("pool starts");
    conformance::check_fetch(&backend, &Target::embedded(server.addr()));
}

#[test]
fn files_on_std_fs() {
    shootout_core::files::conformance::check(&Crossbeam::new(2).expect("pool builds"));
}
