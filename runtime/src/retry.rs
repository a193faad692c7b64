//! Retries: `429 Too Many Requests` honours `Retry-After` (seconds or an HTTP date) for every method;
//! `502`, `503`, `504` and connection failures are retried with exponential backoff and jitter for
//! idempotent methods only, unless the caller opts in for `POST` and `PATCH`. Nothing else is retried.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

/// When and how often a request is tried again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 means never retry).
    pub max_attempts: u32,
    /// Backoff before the first retry; it doubles with every retry.
    pub initial_backoff: Duration,
    /// The longest backoff between two attempts.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the client waits for; a longer one is returned as the error instead.
    pub max_retry_after: Duration,
    /// Also retry `POST` and `PATCH` after `502`/`503`/`504` or a connection failure (they may not be
    /// idempotent: only opt in when repeating them is safe).
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn never() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// The backoff before retry number `retry` (1-based): exponential, capped, with jitter between half
    /// and all of it so that many clients do not retry in step.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let full = exp.min(self.max_backoff);
        let half = full / 2;
        half + half.mul_f64(random_unit())
    }

    /// Whether a method may be retried after a server or connection failure.
    pub(crate) fn may_retry(&self, method: &reqwest::Method) -> bool {
        self.retry_non_idempotent || !matches!(*method, reqwest::Method::POST | reqwest::Method::PATCH)
    }
}

/// A number in [0, 1) from the standard library's randomly keyed hasher (no extra dependency).
fn random_unit() -> f64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Parses `Retry-After`: delta-seconds (`120`) or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`).
/// A number of seconds too large for 64 bits is `Duration::MAX`: longer than any wait the client
/// makes, so the response is returned at once.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value.parse::<u64>().map_or(Duration::MAX, Duration::from_secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

/// The `Retry-After` of a response, if it has a valid one.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers.get(reqwest::header::RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(parse_retry_after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_both_forms() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        let later = SystemTime::now() + Duration::from_secs(30);
        let parsed = parse_retry_after(&httpdate::fmt_http_date(later)).unwrap();
        assert!(parsed > Duration::from_secs(27) && parsed <= Duration::from_secs(30), "{parsed:?}");
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("184467440737095516150"), Some(Duration::MAX));
        assert_eq!(parse_retry_after("-5"), None);
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let p = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..Default::default()
        };
        for _ in 0..50 {
            let b1 = p.backoff(1);
            assert!(b1 >= Duration::from_millis(50) && b1 <= Duration::from_millis(100), "{b1:?}");
            let b3 = p.backoff(3);
            assert!(b3 >= Duration::from_millis(175) && b3 <= Duration::from_millis(350), "{b3:?}");
        }
        assert!(!p.may_retry(&reqwest::Method::POST) && p.may_retry(&reqwest::Method::DELETE));
    }

    proptest::proptest! {
        /// Any header text parses or is ignored without a panic; any run of digits is a wait (the largest
        /// when it does not fit), so a huge one is never mistaken for none.
        #[test]
        fn any_retry_after_never_panics(value in "\\PC{0,40}", digits in "[0-9]{1,40}") {
            let _ = parse_retry_after(&value);
            let wait = parse_retry_after(&digits);
            proptest::prop_assert!(wait.is_some());
            if digits.parse::<u64>().is_err() {
                proptest::prop_assert_eq!(wait, Some(Duration::MAX));
            }
        }

        /// Backoff arithmetic never panics, whatever the policy and the retry number.
        #[test]
        fn any_backoff_never_panics(initial in proptest::prelude::any::<u64>(), max in proptest::prelude::any::<u64>(), retry in proptest::prelude::any::<u32>()) {
            let p = RetryPolicy { initial_backoff: Duration::from_nanos(initial), max_backoff: Duration::from_nanos(max).max(Duration::from_secs(max)), ..Default::default() };
            proptest::prop_assert!(p.backoff(retry) <= p.max_backoff);
        }
    }
}
