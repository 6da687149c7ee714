//! The shared conformance suite on both tokio flavors.

use shootout_tokio::Tokio;

#[test]
fn multi_thread() {
    let backend = Tokio::multi_thread(2).expect("runtime builds");
    shootout_core::conformance::check_all(&backend);
}

#[test]
fn current_thread() {
    let backend = Tokio::current_thread(2).expect("runtime builds");
    shootout_core::conformance::check_all(&backend);
}
