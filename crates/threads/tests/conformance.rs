//! The shared conformance suite on one thread per task.

use shootout_core::{Target, conformance};
use shootout_server::Server;
use shootout_threads::Threads;

#[test]
fn sleep_and_cpu() {
    conformance::check_all(&Threads::new(2));
}

#[test]
fn fetch() {
    let server = Server::start(([127, 0, 0, 1], 0).into(), 1).expect("server starts");
    conformance::check_fetch(&Threads::new(2), &Target::embedded(server.addr()));
}

#[test]
fn files_on_std_fs() {
    shootout_core::files::conformance::check(&Threads::new(2));
}
