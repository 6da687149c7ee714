//! The shared conformance suite on glommio, where io_uring works (else it says why).

use shootout_core::{Target, conformance};
use shootout_glommio::Glommio;
use shootout_server::Server;

#[test]
fn conformance() {
    if !conformance::available(&shootout_glommio::INFO) {
        return;
    }
    let server = Server::start(([127, 0, 0, 1], 0).into(), 1).expect("server starts");
    let backend = Glommio::new(2).expect("executors build");
    conformance::check_all(&backend);
    conformance::check_fetch(&backend, &Target::embedded(server.addr()));
    shootout_core::files::conformance::check(&backend);
}
