//! The shared conformance suite on a two-thread smol executor.

use shootout_core::{Target, conformance};
use shootout_server::Server;
use shootout_smol::Smol;

#[test]
fn conformance() {
    let server = Server::start(([127, 0, 0, 1], 0).into(), 1).expect("server starts");
    let backend = Smol::new(2).expect("executor starts");
    conformance::check_all(&backend);
    conformance::check_fetch(&backend, &Target::embedded(server.addr()));
}

#[test]
fn files_on_smol_fs() {
    shootout_core::files::conformance::check(&Smol::new(2).expect("runtime builds"));
}
