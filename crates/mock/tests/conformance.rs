//! The doubles answer what a correct backend answers: the shared conformance suite, run on
//! them as on every real backend (so a test that passes on them tests the harness, not a
//! double that a real backend could not be).

use shootout_core::conformance;
use shootout_mock::Mock;

#[test]
fn both_doubles_pass_the_conformance_suite() {
    conformance::check_all(&Mock::fast(2));
    conformance::check_all(&Mock::slow(2));
}
