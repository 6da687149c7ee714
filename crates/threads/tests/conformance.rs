//! The shared conformance suite on one thread per task.

#[test]
fn conformance() {
    shootout_core::conformance::check_all(&shootout_threads::Threads);
}
