//! Turning a request target into what to answer, or a reason for a 400.

use shootout_core::fetch::{BODY_BYTES_MAX, LATENCY_MS_MAX};

/// A valid `GET /bytes/{n}` request.
#[derive(Clone, Debug, PartialEq)]
pub struct BytesRequest {
    /// Body length.
    pub n: u64,
    /// Wait before answering, milliseconds.
    pub delay_ms: u64,
    /// Fraction of requests answered 500.
    pub fail: f64,
    /// Fraction of requests dropped without an answer.
    pub reset: f64,
    /// Seed for the body and the faults.
    pub seed: u64,
    /// The client's request id, which decides this request's fault.
    pub id: Option<u64>,
    /// Fraction of requests answered only after `slow_ms` more.
    pub slow: f64,
    /// The extra delay of slow requests, milliseconds.
    pub slow_ms: u64,
    /// On this request's arrival the whole server stops answering for this long.
    pub pause_ms: u64,
}

/// Parses `/bytes/{n}?delay_ms=L&fail=P&reset=P&seed=S&id=K&slow=P&slow_ms=L&pause_ms=L`;
/// every query key is optional.
pub fn parse(path: &str, query: Option<&str>) -> Result<BytesRequest, String> {
    let n = path
        .strip_prefix("/bytes/")
        .ok_or_else(|| format!("unknown path '{path}': only /bytes/{{n}} is served"))?;
    let n = number("n", n, BODY_BYTES_MAX)?;
    let mut request = BytesRequest {
        n,
        delay_ms: 0,
        fail: 0.0,
        reset: 0.0,
        seed: 0,
        id: None,
        slow: 0.0,
        slow_ms: 0,
        pause_ms: 0,
    };
    for pair in query
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
    {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "delay_ms" => request.delay_ms = number(key, value, LATENCY_MS_MAX)?,
            "seed" => request.seed = number(key, value, u64::MAX)?,
            "id" => request.id = Some(number(key, value, u64::MAX)?),
            "fail" => request.fail = fraction(key, value)?,
            "reset" => request.reset = fraction(key, value)?,
            "slow" => request.slow = fraction(key, value)?,
            "slow_ms" => request.slow_ms = number(key, value, LATENCY_MS_MAX)?,
            "pause_ms" => request.pause_ms = number(key, value, LATENCY_MS_MAX)?,
            _ => return Err(format!("unknown query parameter '{key}'")),
        }
    }
    if request.fail + request.reset + request.slow > 1.0 {
        return Err(format!(
            "fail + reset + slow = {} is over 1",
            request.fail + request.reset + request.slow
        ));
    }
    Ok(request)
}

fn number(key: &str, value: &str, max: u64) -> Result<u64, String> {
    match value.parse::<u64>() {
        Ok(number) if number <= max => Ok(number),
        _ => Err(format!(
            "{key} must be a whole number in 0..={max}, not '{value}'"
        )),
    }
}

fn fraction(key: &str, value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(fraction) if (0.0..=1.0).contains(&fraction) => Ok(fraction),
        _ => Err(format!("{key} must be a fraction in 0..=1, not '{value}'")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_and_minimal_requests() {
        let full = parse(
            "/bytes/10",
            Some("delay_ms=5&fail=0.25&reset=0.5&seed=3&id=9&pause_ms=200"),
        )
        .unwrap();
        assert_eq!(
            full,
            BytesRequest {
                n: 10,
                delay_ms: 5,
                fail: 0.25,
                reset: 0.5,
                seed: 3,
                id: Some(9),
                slow: 0.0,
                slow_ms: 0,
                pause_ms: 200,
            }
        );
        assert_eq!(parse("/bytes/0", None).unwrap().n, 0);
    }

    #[test]
    fn bad_input_has_a_reason() {
        for (path, query, reason) in [
            ("/nope", None, "unknown path"),
            ("/bytes/x", None, "n must be a whole number"),
            (
                "/bytes/99999999999",
                None,
                "n must be a whole number in 0..=67108864",
            ),
            ("/bytes/1", Some("delay_ms=-1"), "delay_ms"),
            ("/bytes/1", Some("delay_ms=60001"), "delay_ms"),
            ("/bytes/1", Some("fail=2"), "fail must be a fraction"),
            ("/bytes/1", Some("reset=nan"), "reset must be a fraction"),
            ("/bytes/1", Some("fail=0.6&reset=0.6"), "over 1"),
            (
                "/bytes/1",
                Some("colour=red"),
                "unknown query parameter 'colour'",
            ),
        ] {
            let err = parse(path, query).unwrap_err();
            assert!(err.contains(reason), "{path}?{query:?}: {err}");
        }
    }
}
