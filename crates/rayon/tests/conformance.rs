//! The shared conformance suite on a two-thread rayon pool.

#[test]
fn conformance() {
    let backend = shootout_rayon::Rayon::new(2).expect("pool builds");
    shootout_core::conformance::check_all(&backend);
}
