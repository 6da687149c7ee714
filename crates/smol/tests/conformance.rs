//! The shared conformance suite on a two-thread smol executor.

#[test]
fn conformance() {
    let backend = shootout_smol::Smol::new(2).expect("executor starts");
    shootout_core::conformance::check_all(&backend);
}
