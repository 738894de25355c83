//! Retrying throttled and unavailable answers (429, 503, 504), as Microsoft
//! Graph asks clients to: wait as long as `Retry-After` says, or back off
//! exponentially, a bounded number of times within a bounded total time.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// When and how often a request is retried.
///
/// Retried: `429 Too Many Requests`, `503 Service Unavailable` and
/// `504 Gateway Timeout` answers, and connections that could not be made
/// (nothing was sent). Each wait is the `Retry-After` the service gave
/// (seconds or an HTTP date), or else `initial_delay` doubled per retry, at
/// most `max_delay`. A retry that would end after `max_total` from the first
/// attempt is not made: the last answer is returned as the error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_delay: Duration,
    max_delay: Duration,
    max_total: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries, backing off from 1 s, each wait at most 30 s, all within 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            max_total: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The default policy (see [`Default`]).
    pub fn new() -> Self {
        RetryPolicy::default()
    }

    /// Never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Retries at most `n` times.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// The first wait when the service gives no `Retry-After`.
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The longest single wait, `Retry-After` included.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest time from the first attempt to the start of the last.
    pub fn max_total(mut self, total: Duration) -> Self {
        self.max_total = total;
        self
    }

    /// How long to wait before retry number `retry` (0-based), given what the
    /// service asked for, after `elapsed` since the first attempt; `None`
    /// when no retry may be made.
    pub(super) fn wait(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        elapsed: Duration,
    ) -> Option<Duration> {
        if retry >= self.max_retries {
            return None;
        }
        let backoff = self
            .initial_delay
            .checked_mul(2u32.saturating_pow(retry))
            .unwrap_or(self.max_delay);
        let wait = retry_after.unwrap_or(backoff);
        if wait > self.max_delay {
            return None;
        }
        (elapsed.saturating_add(wait) <= self.max_total).then_some(wait)
    }
}

/// Whether an answer with this status is worth retrying.
pub(super) fn retryable(status: u16) -> bool {
    matches!(status, 429 | 503 | 504)
}

/// The `Retry-After` header: delay seconds, or an HTTP date (a date in the
/// past means now). `None` when absent or unreadable.
pub(super) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backs_off_exponentially_within_bounds() {
        let policy = RetryPolicy::new();
        let s = Duration::from_secs;
        assert_eq!(policy.wait(0, None, s(0)), Some(s(1)));
        assert_eq!(policy.wait(1, None, s(1)), Some(s(2)));
        assert_eq!(policy.wait(2, None, s(3)), Some(s(4)));
        assert_eq!(policy.wait(3, None, s(7)), None, "at most 3 retries");
        assert_eq!(
            policy.wait(0, Some(s(45)), s(0)),
            None,
            "longer than max_delay"
        );
        assert_eq!(policy.wait(1, Some(s(20)), s(50)), None, "past max_total");
        assert_eq!(policy.wait(1, Some(s(5)), s(50)), Some(s(5)));
        assert_eq!(RetryPolicy::none().wait(0, None, s(0)), None);
    }

    #[test]
    fn reads_retry_after_as_seconds_or_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers, now), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:10 GMT"),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(10)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:27:00 GMT"),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }

    #[test]
    fn only_throttling_and_unavailable_are_retried() {
        assert!(retryable(429) && retryable(503) && retryable(504));
        assert!(!retryable(500) && !retryable(404) && !retryable(502));
    }
}
