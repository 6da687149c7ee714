//! The shared conformance suite on compio, where io_uring works (else it says why).

use shootout_compio::Compio;
use shootout_core::{Target, conformance};
use shootout_server::Server;

#[test]
fn conformance() {
    if !conformance::available(&shootout_compio::INFO) {
        return;
    }
    let server = Server::start(([127, 0, 0, 1], 0).into(), 1).expect("server starts");
    let backend = Compio::new(2).expect("runtimes build");
    conformance::check_all(&backend);
    conformance::check_fetch(&backend, &Target::embedded(server.addr()));
    shootout_core::files::conformance::check(&backend);
}
