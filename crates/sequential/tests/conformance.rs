//! The shared conformance suite on the sequential baseline.

#[test]
fn conformance() {
    shootout_core::conformance::check_all(&shootout_sequential::Sequential);
}
