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
    shootout_core::files::conformance::check(&backend);
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

#[test]
fn a_worker_that_writes_an_endless_line_fails_the_run_in_bounded_memory() {
    // A worker that writes without ever ending its line: the parent reads at most the
    // bound, then fails the run naming the worker (before the bound, 4.8 GB in 10 s).
    // It takes its job first, then answers with an endless line. The script runs through
    // `sh -c`, not from a file written here: executing a file this process just wrote races
    // the other tests' forks, which may still hold it open for writing (ETXTBSY).
    let script = "read job; tr '\\0' x < /dev/zero";
    let backend = Processes::with_worker(1, PathBuf::from("sh"), &["-c", script])
        .expect("the process starts");
    let err = backend
        .run(&Workload::Spawn(SpawnSpec::new(1)), None)
        .expect_err("no reply");
    let said = err.to_string();
    assert!(said.contains("sent a line over 16 MiB"), "{said}");
    assert!(said.contains("pid"), "{said}");
}
