//! The conformance suite: the same workloads and expected answers for every backend.
//!
//! Each backend crate runs it from `tests/conformance.rs` in a few lines (the sequential
//! backend's, whole):
//!
//! ```ignore
//! use shootout_core::{Target, conformance};
//! use shootout_sequential::Sequential;
//! use shootout_server::Server;
//!
//! #[test]
//! fn sleep_and_cpu() {
//!     conformance::check_all(&Sequential);
//! }
//!
//! #[test]
//! fn fetch() {
//!     let server = Server::start(([127, 0, 0, 1], 0).into(), 1).expect("server starts");
//!     conformance::check_fetch(&Sequential, &Target::embedded(server.addr()));
//! }
//! ```

use crate::backend::{Backend, BackendError, Driver};
use crate::design::Variant;
use crate::driver;
use crate::fetch::Target;
use crate::workload::Workload;

pub use crate::fetch::conformance::check_fetch;

/// Every case of every workload run without a server, in order, then every case again in
/// each variant.
pub fn cases() -> impl Iterator<Item = Workload> {
    let shared = crate::workloads::cases();
    let variants: Vec<Workload> = shared.iter().flat_map(in_variants).collect();
    shared.into_iter().chain(variants)
}

/// `workload` in every variant that applies to it.
pub(crate) fn in_variants(workload: &Workload) -> Vec<Workload> {
    Variant::ALL
        .into_iter()
        .filter_map(|variant| variant.apply(workload))
        .collect()
}

/// One case of each workload whose driver the conformance suite locates: in the shared
/// design, in each variant, and in every placement of CPU jobs.
fn driver_cases() -> Vec<Workload> {
    let mut cases = crate::workloads::driver_cases();
    let variants: Vec<Workload> = cases.iter().flat_map(in_variants).collect();
    cases.extend(variants);
    cases
}

/// Checks that `backend` runs `workload`'s driver where its [`Driver`] says: for an async
/// runtime, a task on its own threads, never the thread that called it. The spawn
/// variant [`Variant::SpawnFromOutside`] is the one exception: it drives from the caller by design.
/// Cases the backend does not offer are left to [`check_all`].
pub fn check_driver(backend: &dyn Backend, workload: &Workload, target: Option<&Target>) {
    let name = backend.info().name;
    let label = format!("{} {}", workload.kind(), workload.params_label());
    let caller = driver::this_thread();
    let (outcome, seen) = driver::probe(|| backend.run(workload, target));
    match outcome {
        Err(BackendError::NotApplicable(_)) => return,
        Err(err) => panic!("{name} failed {label}: {err}"),
        Ok(outcome) => {
            if let Err(mismatch) = workload.verify(&outcome) {
                panic!("{name} gave a wrong answer on {label}: {mismatch}");
            }
            assert_recorded_as_expected(name, workload, &outcome);
        }
    }
    assert!(
        !seen.is_empty(),
        "{name} never marked its driver on {label} (call shootout_core::driver::started)"
    );
    let expected = if workload.design_variant() == Some(Variant::SpawnFromOutside) {
        Driver::Caller
    } else {
        backend.info().driver
    };
    for thread in &seen {
        let thread_name = thread.name.as_deref().unwrap_or("unnamed");
        match expected {
            Driver::Caller | Driver::EventLoop => assert_eq!(
                thread.id, caller.id,
                "{name} drove {label} on thread {thread_name}, not on the calling thread"
            ),
            Driver::Runtime { threads } => assert!(
                thread.id != caller.id && thread_name.starts_with(threads),
                "{name} drove {label} on {}, not as a task on its runtime's {threads} threads",
                if thread.id == caller.id {
                    "the calling thread".to_string()
                } else {
                    format!("thread {thread_name}")
                }
            ),
        }
    }
}

/// Runs every sleep, cpu, spawn, pipeline and blocking case on `backend`; panics with the
/// backend's name and the case on the first error or wrong answer. A workload the backend
/// declares not applicable, or a blocking or cpu mode it does not offer, must fail as not
/// applicable instead.
pub fn check_all(backend: &dyn Backend) {
    let name = backend.info().name;
    for workload in cases() {
        if let Some(why) = backend.info().refuses(&workload) {
            match backend.run(&workload, None) {
                Err(BackendError::NotApplicable(reason)) => assert_eq!(reason, why),
                other => panic!(
                    "{name} does not offer {} {} ({why}) but ran it: {other:?}",
                    workload.kind(),
                    workload.params_label()
                ),
            }
            continue;
        }
        check(backend, &workload, None);
    }
    for workload in driver_cases() {
        check_driver(backend, &workload, None);
    }
}

/// Whether the backend described by `info` can run here. When it cannot (io_uring blocked,
/// say), names it and the reason on stderr past the test harness's capture, so that the
/// test that returns early shows as a skip in every test run, not as a silent pass.
pub fn available(info: &crate::BackendInfo) -> bool {
    match info.unavailable() {
        None => true,
        Some(why) => {
            skipped(info.name, &why);
            false
        }
    }
}

/// Says on stderr, past the test harness's capture (which holds only what the print
/// macros write), that the running test leaves `backend` out, and why.
pub fn skipped(backend: &str, why: &str) {
    use std::io::Write;
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {backend} in {test}: unavailable here: {why}"
    );
}

/// Runs one case on `backend` and panics unless it verifies.
pub fn check(backend: &dyn Backend, workload: &Workload, target: Option<&Target>) {
    let _shared = driver::EXCLUSIVE
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let name = backend.info().name;
    let label = workload.params_label();
    let kind = workload.kind();
    let outcome = backend
        .run(workload, target)
        .unwrap_or_else(|err| panic!("{name} failed {kind} {label}: {err}"));
    if let Err(mismatch) = workload.verify(&outcome) {
        panic!("{name} gave a wrong answer on {kind} {label}: {mismatch}");
    }
    assert_recorded_as_expected(name, workload, &outcome);
}

/// A verified outcome is recorded with the checksum core expects, digit for digit: results
/// are checked by comparing `checksum` with `expected_checksum`, so a verified trial whose
/// two differ (a checksum kept in another width, say) reads as a wrong answer.
fn assert_recorded_as_expected(name: &str, workload: &Workload, outcome: &crate::RunOutcome) {
    assert_eq!(
        outcome.checksum(),
        workload.expected_checksum(),
        "{name} verified {} {} but records another checksum than the expected one",
        workload.kind(),
        workload.params_label()
    );
}
