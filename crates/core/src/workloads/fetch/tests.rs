//! The fetch spec's own tests: validation, expected answers, schedules and labels.

use super::*;
use crate::workload::WorkloadSpec;

fn spec() -> FetchSpec {
    FetchSpec {
        requests: 100,
        concurrency: 8,
        latency_ms: 10,
        body_bytes: 64,
        timeout_ms: 1000,
        fail: 0.0,
        reset: 0.0,
        seed: 1,
        url: None,
        ..Default::default()
    }
}

#[test]
fn validation_names_the_field() {
    assert!(spec().validate().is_ok());
    let err = FetchSpec {
        concurrency: 0,
        ..spec()
    }
    .validate()
    .unwrap_err();
    assert_eq!(err.field, "concurrency");
    let err = FetchSpec {
        fail: 1.5,
        ..spec()
    }
    .validate()
    .unwrap_err();
    assert_eq!(err.field, "fail");
    let err = FetchSpec {
        fail: 0.6,
        reset: 0.6,
        ..spec()
    }
    .validate()
    .unwrap_err();
    assert_eq!(err.field, "reset");
    let err = FetchSpec {
        url: Some("ftp://x".into()),
        ..spec()
    }
    .validate()
    .unwrap_err();
    assert_eq!(err.field, "url");
    let err = FetchSpec {
        url: Some("https://x/".into()),
        ..spec()
    }
    .validate()
    .unwrap_err();
    assert!(err.message.contains("https"));
}

#[test]
fn urls() {
    assert_eq!(
        parse_url("http://127.0.0.1:8080/a?b=1").unwrap(),
        ("127.0.0.1".into(), 8080, "/a?b=1".into())
    );
    assert_eq!(
        parse_url("http://localhost").unwrap(),
        ("localhost".into(), 80, "/".into())
    );
    assert_eq!(
        parse_url("http://[::1]:81/x").unwrap(),
        ("::1".into(), 81, "/x".into())
    );
    assert!(parse_url("http://:80/").is_err());
    assert!(parse_url("http://h:99999/").is_err());
    // Nothing that could end the request line: no header injection through --url.
    for bad in [
        "http://h/a\r\nX-Injected: 1",
        "http://h/a\nb",
        "http://h/a b",
        "http://h/\u{0}",
    ] {
        let err = parse_url(bad).unwrap_err();
        assert!(
            err.message.contains("control character or space"),
            "{bad:?}: {}",
            err.message
        );
    }
    let target = Target::from_url("http://127.0.0.1:9/file").unwrap();
    assert_eq!(target.host, "127.0.0.1:9");
    assert!(
        String::from_utf8(target.request(&spec(), 3))
            .unwrap()
            .starts_with("GET /file HTTP/1.1")
    );
}

#[test]
fn ideal_time_is_rounds_of_one_delay() {
    assert_eq!(spec().ideal_s(), Some(13.0 * 0.01));
    assert_eq!(
        FetchSpec {
            latency_ms: 0,
            ..spec()
        }
        .ideal_s(),
        None
    );
}

#[test]
fn expected_successes_follow_the_scenario() {
    let slow = FetchSpec {
        latency_ms: 0,
        timeout_ms: 100,
        slow: 0.5,
        slow_ms: 300,
        ..spec()
    };
    let counts = fault::count_all(slow.seed, slow.requests, 0.0, 0.0, 0.5);
    assert!(slow.slow_times_out());
    assert_eq!(slow.expected_ok(), counts.answered);
    let quick = FetchSpec {
        slow_ms: 10,
        ..slow.clone()
    };
    assert!(!quick.slow_times_out());
    assert_eq!(quick.expected_ok(), slow.requests);
    let retry = FetchSpec {
        fail: 0.5,
        retries: 2,
        backoff_ms: 1,
        ..spec()
    };
    let (ok, status, reset, attempts) = retry.expected_with_retries();
    assert_eq!(retry.expected_ok(), ok);
    assert_eq!(ok + status + reset, retry.requests);
    assert!(
        ok > FetchSpec {
            retries: 0,
            ..retry.clone()
        }
        .expected_counts()
        .0,
        "retries recover requests"
    );
    assert!(attempts > retry.requests && attempts <= 3 * retry.requests);
    let too_close = FetchSpec {
        timeout_ms: 100,
        slow: 0.1,
        slow_ms: 120,
        latency_ms: 0,
        ..spec()
    };
    assert_eq!(too_close.validate().unwrap_err().field, "slow_ms");
}

#[test]
fn paths_carry_the_id_and_faults() {
    let path = FetchSpec {
        fail: 0.25,
        ..spec()
    }
    .path(7);
    assert_eq!(path, "/bytes/64?delay_ms=10&seed=1&id=7&fail=0.25");
}
