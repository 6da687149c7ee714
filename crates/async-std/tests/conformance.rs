//! The shared conformance suite on async-std with two workers.

use shootout_async_std::AsyncStd;

#[test]
fn conformance() {
    let backend = AsyncStd::new(2).expect("runtime starts");
    shootout_core::conformance::check_all(&backend);
    // The global runtime cannot be resized: a second, different request is refused.
    assert!(AsyncStd::new(3).is_err());
    assert!(AsyncStd::new(2).is_ok());
}
