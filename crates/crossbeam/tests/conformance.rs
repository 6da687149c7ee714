//! The shared conformance suite on a two-worker crossbeam pool.

#[test]
fn conformance() {
    let backend = shootout_crossbeam::Crossbeam::new(2).expect("pool starts");
    shootout_core::conformance::check_all(&backend);
}
