//! The request target parser under random and mutated input: never a panic, and whatever
//! it accepts is within the bounds the server can serve.

use proptest::prelude::*;
use shootout_core::fetch::{BODY_BYTES_MAX, LATENCY_MS_MAX};
use shootout_server::parse;

/// A valid target to mutate.
const VALID: &str =
    "/bytes/1024?delay_ms=10&fail=0.1&reset=0.05&seed=7&id=3&slow=0.2&slow_ms=30&pause_ms=5";

fn check(path: &str, query: Option<&str>) {
    if let Ok(request) = parse(path, query) {
        assert!(request.n <= BODY_BYTES_MAX);
        assert!(request.delay_ms <= LATENCY_MS_MAX);
        assert!(request.slow_ms <= LATENCY_MS_MAX && request.pause_ms <= LATENCY_MS_MAX);
        for fraction in [request.fail, request.reset, request.slow] {
            assert!((0.0..=1.0).contains(&fraction), "{fraction}");
        }
        assert!(request.fail + request.reset + request.slow <= 1.0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn random_targets_never_panic(path in ".{0,200}", query in proptest::option::of(".{0,200}")) {
        check(&path, query.as_deref());
    }

    #[test]
    fn mutated_targets_never_panic(
        edits in proptest::collection::vec((any::<usize>(), any::<char>()), 1..6),
    ) {
        let mut chars: Vec<char> = VALID.chars().collect();
        for (at, c) in edits {
            let at = at % chars.len();
            chars[at] = c;
        }
        let target: String = chars.into_iter().collect();
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path.to_string(), Some(query.to_string())),
            None => (target.clone(), None),
        };
        check(&path, query.as_deref());
    }
}

#[test]
fn the_valid_target_parses() {
    let (path, query) = VALID.split_once('?').unwrap();
    let request = parse(path, Some(query)).unwrap();
    assert_eq!(request.n, 1024);
}
