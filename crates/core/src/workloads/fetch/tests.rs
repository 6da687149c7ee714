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
        seed: 1,
        url: None,
        ..Default::default()
    }
}

/// The partial-failure scenario with these faults.
fn faults(fail: f64, reset: f64) -> Scenario {
    Scenario::PartialFailure(Faults { fail, reset })
}

/// The timeout scenario with these slow answers.
fn slow(slow: f64, slow_ms: u64) -> Scenario {
    Scenario::Timeout(Slow { slow, slow_ms })
}

/// The retry scenario: these faults, retried `retries` times from `backoff_ms`.
fn retry(fail: f64, reset: f64, retries: u64, backoff_ms: u64) -> Scenario {
    Scenario::Retry(Retries {
        faults: Faults { fail, reset },
        retries,
        backoff_ms,
    })
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
        scenario: faults(1.5, 0.0),
        ..spec()
    }
    .validate()
    .unwrap_err();
    assert_eq!(err.field, "fail");
    let err = FetchSpec {
        scenario: faults(0.6, 0.6),
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
        scenario: slow(0.5, 300),
        ..spec()
    };
    let counts = fault::count_all(slow.seed, slow.requests, 0.0, 0.0, 0.5);
    assert!(slow.slow_times_out());
    assert_eq!(slow.expected_ok(), counts.answered);
    let quick = FetchSpec {
        scenario: self::slow(0.5, 10),
        ..slow.clone()
    };
    assert!(!quick.slow_times_out());
    assert_eq!(quick.expected_ok(), slow.requests);
    let retry = FetchSpec {
        scenario: self::retry(0.5, 0.0, 2, 1),
        ..spec()
    };
    let (ok, status, reset, attempts) = retry.expected_with_retries();
    assert_eq!(retry.expected_ok(), ok);
    assert_eq!(ok + status + reset, retry.requests);
    assert!(
        ok > FetchSpec {
            scenario: faults(0.5, 0.0),
            ..retry.clone()
        }
        .expected_counts()
        .0,
        "retries recover requests"
    );
    assert!(attempts > retry.requests && attempts <= 3 * retry.requests);
    let too_close = FetchSpec {
        timeout_ms: 100,
        scenario: self::slow(0.1, 120),
        latency_ms: 0,
        ..spec()
    };
    assert_eq!(too_close.validate().unwrap_err().field, "slow_ms");
}

#[test]
fn paths_carry_the_id_and_faults() {
    let path = FetchSpec {
        scenario: faults(0.25, 0.0),
        ..spec()
    }
    .path(7);
    assert_eq!(path, "/bytes/64?delay_ms=10&seed=1&id=7&fail=0.25");
}

#[test]
fn json_keeps_the_flat_fields_and_refuses_a_mix_of_scenarios() {
    let retry = FetchSpec {
        scenario: self::retry(0.3, 0.05, 3, 5),
        ..spec()
    };
    // The fields results.json has always written, flat, in their old order.
    let json = serde_json::to_string(&retry).unwrap();
    assert_eq!(
        json,
        r#"{"requests":100,"concurrency":8,"latency_ms":10,"body_bytes":64,"timeout_ms":1000,"fail":0.3,"reset":0.05,"seed":1,"retries":3,"backoff_ms":5,"scenario":"retry"}"#
    );
    assert_eq!(serde_json::from_str::<FetchSpec>(&json).unwrap(), retry);
    let plain = serde_json::to_string(&spec()).unwrap();
    assert_eq!(
        plain,
        r#"{"requests":100,"concurrency":8,"latency_ms":10,"body_bytes":64,"timeout_ms":1000,"fail":0.0,"reset":0.0,"seed":1}"#
    );
    // A scenario's own field on another scenario is refused, naming the field.
    let mixed = json.replace(r#""scenario":"retry""#, r#""scenario":"timeout""#);
    let err = serde_json::from_str::<FetchSpec>(&mixed)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`fail` is a parameter of partial-failure and retry only, not of timeout"),
        "{err}"
    );
    let paced = plain.replace('}', r#","rate":100.0}"#);
    let err = serde_json::from_str::<FetchSpec>(&paced)
        .unwrap_err()
        .to_string();
    assert!(err.contains("`rate`"), "{err}");
    assert!(err.contains("not of fetch"), "{err}");
}
