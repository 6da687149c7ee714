//! The shared conformance suite on the process pool, with this crate's own worker binary.

use std::path::PathBuf;

use shootout_core::{Backend, SpawnSpec, Target, Workload, conformance};
use shootout_processes::Processes;
use shootout_server::Server;

fn worker() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_shootout-processes-worker"))
}

#[test]
fn conformance() {
    let backend = Processes::with_worker(2, worker(), &[]).expect("workers start");
    conformance::check_all(&backend);
    let server = Server::start(([127, 0, 0, 1], 0).into(), 1).expect("server starts");
    conformance::check_fetch(&backend, &Target::embedded(server.addr()));
}

#[test]
fn a_worker_that_dies_is_a_failed_run_not_a_hang() {
    // `true` exits at once: the first job finds its worker gone.
    let backend =
        Processes::with_worker(2, PathBuf::from("true"), &[]).expect("the processes start");
    let err = backend
        .run(&Workload::Spawn(SpawnSpec::new(10)), None)
        .expect_err("no worker answers");
    assert!(err.to_string().contains("worker process"), "{err}");
}
