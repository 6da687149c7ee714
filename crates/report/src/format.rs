//! Numbers, durations, sizes and text as people read them.

/// `1.234 s`, `12.3 ms`, `21 µs`.
pub fn seconds(s: f64) -> String {
    if s >= 100.0 {
        format!("{s:.0} s")
    } else if s >= 10.0 {
        format!("{s:.1} s")
    } else if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else if s >= 10e-6 {
        format!("{:.0} µs", s * 1e6)
    } else if s >= 1e-6 {
        format!("{:.1} µs", s * 1e6)
    } else if s > 0.0 {
        // Sub-microsecond costs (a task, a message) would all print as 0 µs.
        format!("{:.0} ns", s * 1e9)
    } else {
        "0 s".into()
    }
}

/// Quantile `q` of a latency in microseconds, median over trials (`4.2 ms`), or `max 9.8 ms`
/// where the trials held too few samples to read it.
pub fn percentile(latency: &shootout_core::results::LatencySpread, q: f64) -> String {
    use shootout_core::results::Reading;
    match latency.reading(q) {
        Reading::Percentile(spread) => seconds(spread.median / 1e6),
        Reading::Max(spread) => format!("max {}", seconds(spread.median / 1e6)),
    }
}

/// The note under a table some of whose percentiles read `max`, naming the fewest samples
/// and what each percentile needs; `None` when every one could be read.
pub fn too_few_note<'a>(
    latencies: impl IntoIterator<Item = &'a shootout_core::results::LatencySpread>,
    quantiles: &[f64],
) -> Option<String> {
    use shootout_core::results::{LatencySpread, Reading};
    let short: Vec<&LatencySpread> = latencies
        .into_iter()
        .filter(|l| {
            quantiles
                .iter()
                .any(|q| matches!(l.reading(*q), Reading::Max(_)))
        })
        .collect();
    let fewest = short.iter().filter_map(|l| l.n).min()?;
    let needs: Vec<String> = quantiles
        .iter()
        .filter(|q| fewest < LatencySpread::needed(**q))
        .map(|q| {
            format!(
                "p{} needs {}",
                quantile_name(*q),
                grouped(LatencySpread::needed(*q))
            )
        })
        .collect();
    Some(format!(
        "\"max\": the trial read that percentile from too few samples (as few as {} here; {}), so the \
         largest sample is shown for what it is.",
        grouped(fewest),
        needs.join(", ")
    ))
}

/// `1,000`, `10,000`: a whole number with its thousands marked.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `50`, `99`, `99.9`.
fn quantile_name(q: f64) -> String {
    let percent = q * 100.0;
    if (percent - percent.round()).abs() < 1e-9 {
        format!("{percent:.0}")
    } else {
        format!("{percent:.1}")
    }
}

/// `x` scaled to a k/M/G suffix (k from 10,000 on: `9999`, `10.0k`).
fn scaled(x: f64) -> (f64, &'static str) {
    match x.abs() {
        v if v >= 1e9 => (x / 1e9, "G"),
        v if v >= 1e6 => (x / 1e6, "M"),
        v if v >= 1e4 => (x / 1e3, "k"),
        _ => (x, ""),
    }
}

/// Three significant figures with k/M/G suffixes.
pub fn number(x: f64) -> String {
    let (value, suffix) = scaled(x);
    if value.abs() >= 100.0 {
        format!("{value:.0}{suffix}")
    } else if value.abs() >= 10.0 {
        format!("{value:.1}{suffix}")
    } else {
        format!("{value:.2}{suffix}")
    }
}

/// A whole count as people say it: `64`, `1000`, `10k`, `1M`, `3.6G`: no decimals a
/// count does not have (sweep sizes, task counts), three significant figures at most.
pub fn count(x: f64) -> String {
    let (value, suffix) = scaled(x);
    let decimals = match value.abs() {
        v if v >= 100.0 => 0,
        v if v >= 10.0 => 1,
        _ => 2,
    };
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    format!("{text}{suffix}")
}

/// A ratio's factor: `0.93`, `42.8`, `457`; under 0.1, two significant digits (`0.0022`),
/// never a bare `0.00` for a ratio that is not zero.
pub fn factor(v: f64) -> String {
    if v >= 10.0 {
        number(v)
    } else if v >= 0.1 || v <= 0.0 || !v.is_finite() {
        format!("{v:.2}")
    } else {
        let digits = (1.0 - v.log10().floor()).clamp(2.0, 12.0) as usize;
        format!("{v:.digits$}")
    }
}

/// `12.3 MiB`.
pub fn bytes(b: f64) -> String {
    match b {
        b if b >= (1u64 << 30) as f64 => format!("{:.2} GiB", b / (1u64 << 30) as f64),
        b if b >= (1u64 << 20) as f64 => format!("{:.1} MiB", b / (1u64 << 20) as f64),
        b if b >= 1024.0 => format!("{:.1} KiB", b / 1024.0),
        b => format!("{b:.0} B"),
    }
}

/// `2026-11-22`: the UTC day of a Unix time.
pub fn day(unix: u64) -> String {
    let (y, m, d) = civil((unix / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date (year, month, day) of a day count from 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `42%`; under 1%, two significant digits (`0.087%`), never a bare `0%` for a share
/// that is not zero.
pub fn percent(fraction: f64) -> String {
    let value = fraction * 100.0;
    if value != 0.0 && value.abs() < 1.0 && value.is_finite() {
        let digits = (1.0 - value.abs().log10().floor()).clamp(2.0, 12.0) as usize;
        return format!("{value:.digits$}%");
    }
    format!("{value:.0}%")
}

/// `1 worker thread`, `2 worker threads`: `n` and `noun`, plural but for one.
pub fn counted(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `42%`, or `40–42%` for a range; `None` for no values.
pub fn percent_range(values: &[f64]) -> Option<String> {
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if values.is_empty() || !low.is_finite() || !high.is_finite() {
        return None;
    }
    let (low, high) = (percent(low), percent(high));
    Some(if low == high {
        low
    } else {
        format!("{}–{high}", low.trim_end_matches('%'))
    })
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A ratio with its interval: `0.93× [0.90–0.96]`, the interval's confidence added where
/// it is not 95%: the 90% an equivalence is decided on, the 99.5% a difference from a row's
/// best is, or the most few trials reach: `1.02× [0.97–1.08] (90%)`.
pub fn ratio(c: &shootout_core::stats::Comparison) -> String {
    if c.ratio.is_nan() {
        return "–".into();
    }
    let mut text = format!(
        "{}× [{}–{}]",
        factor(c.ratio),
        factor(c.low),
        factor(c.high)
    );
    // An exact interval's level steps with the trials (95% asked, 95.9% with 6 against
    // 6): only a different kind of interval, or one short of 95%, is labelled.
    if c.level < 0.95 - 1e-9 || c.level > 0.985 {
        text += &format!(" ({})", level(c.level));
    }
    text
}

/// A confidence as a percentage: `90%`, `97%`, and above 99.5% with the digits that tell
/// it from 100%: `99.5%`, `99.95%`.
fn level(level: f64) -> String {
    let percent = level * 100.0;
    if percent < 99.5 {
        return format!("{percent:.0}%");
    }
    let digits = (1..6)
        .find(|&d| format!("{percent:.d$}") != format!("{:.d$}", 100.0))
        .unwrap_or(6);
    format!("{percent:.digits$}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_levels_keep_the_digits_that_tell_them_from_100() {
        assert_eq!(level(0.90), "90%");
        assert_eq!(level(1.0 - 2.0 / 64.0), "97%");
        assert_eq!(level(0.995), "99.5%");
        assert_eq!(level(0.9995), "99.95%");
    }

    #[test]
    fn units() {
        assert_eq!(counted(1, "worker thread"), "1 worker thread");
        assert_eq!(counted(2, "worker thread"), "2 worker threads");
        assert_eq!(count(1.0), "1");
        assert_eq!(count(64.0), "64");
        assert_eq!(count(1000.0), "1000");
        assert_eq!(count(10_000.0), "10k");
        assert_eq!(count(1e6), "1M");
        assert_eq!(count(2.5e6), "2.5M");
        assert_eq!(count(3.6e9), "3.6G");
        assert_eq!(count(1_234_567.0), "1.23M");
        assert_eq!(factor(0.93), "0.93");
        assert_eq!(factor(457.0), "457");
        assert_eq!(factor(0.002_2), "0.0022");
        assert_eq!(factor(0.05), "0.050");
        assert_eq!(factor(0.0), "0.00");
        assert_eq!(percent(0.42), "42%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.000_87), "0.087%");
        assert_eq!(percent(0.005), "0.50%");
        assert_eq!(seconds(1.5), "1.500 s");
        assert_eq!(seconds(500.0), "500 s");
        assert_eq!(seconds(12.345), "12.3 s");
        assert_eq!(seconds(0.0123), "12.3 ms");
        assert_eq!(seconds(0.000021), "21 µs");
        assert_eq!(number(2_500_000.0), "2.50M");
        assert_eq!(number(98_765.0), "98.8k");
        assert_eq!(number(5.2), "5.20");
        assert_eq!(bytes(3.0 * 1024.0 * 1024.0), "3.0 MiB");
        assert_eq!(bytes(446.0), "446 B");
        assert_eq!(percent(0.856), "86%");
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
