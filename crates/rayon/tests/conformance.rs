//! The shared conformance suite on a two-thread rayon pool.

use shootout_core::{Target, conformance};
use shootout_rayon::Rayon;
use shootout_server::Server;

#[test]
fn sleep_and_cpu() {
    conformance::check_all(&Rayon::new(2).expect("pool builds"));
}

#[test]
fn fetch() {
    let server = Server::start(([127, 0, 0, 1], 0).into(), 1).expect("server starts");
    let backend = Rayon::new(2).expect("pool builds");
    conformance::check_fetch(&backend, &Target::embedded(server.addr()));
}

#[test]
fn files_on_std_fs() {
    shootout_core::files::conformance::check(&Rayon::new(2).expect("pool builds"));
}
