//! When and how long to wait before sending a request again.

use ::std::time::{Duration, SystemTime};

use crate::Method;

/// How the client retries throttled and failed requests.
///
/// - `429 Too Many Requests` is retried for every method (the request was not processed);
///   `502`, `503` and `504` only for methods that are safe to repeat (`GET`, `PUT`, `DELETE`,
///   `PATCH`), never for `POST`. A connection that could not be made is retried for every
///   method, other transport failures (a timeout, a connection broken off) for the safe ones.
/// - `429`, `503` and `504` wait as long as their `Retry-After` header says (seconds or an HTTP
///   date); without it, and for the others, the wait is an exponential backoff with jitter:
///   for the n-th retry a random time between half and all of
///   `min(initial_backoff * 2^(n-1), max_backoff)`.
/// - At most `max_attempts` sends in all, and at most `max_total_wait` of waiting: a
///   `Retry-After` that would go past it ends the retries at once (the error keeps the
///   `Retry-After` it asked for), a backoff is shortened to what is left.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Sends in all, the first included: `1` never retries.
    pub max_attempts: u32,
    /// The most time spent waiting between the attempts of one request.
    pub max_total_wait: Duration,
    /// The backoff ceiling of the first retry.
    pub initial_backoff: Duration,
    /// The largest backoff ceiling.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, a backoff from 1 s up to 30 s, and at most 2 minutes of waiting.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            max_total_wait: Duration::from_secs(120),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
        }
    }
}

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Outcome {
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No response; `connect` when no connection was made (nothing was sent).
    Transport {
        connect: bool,
    },
}

impl RetryPolicy {
    /// Never retries.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    pub fn with_max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// Sets the backoff ceilings: `initial` for the first retry, doubling up to `max`.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// The backoff ceiling of retry `retry` (`1` for the first): `initial_backoff * 2^(retry-1)`,
    /// at most `max_backoff`. The wait itself is a random time between half of it and all of it.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        self.initial_backoff.saturating_mul(1u32 << doublings).min(self.max_backoff)
    }

    /// The backoff for retry `retry` with `unit` (in `[0, 1]`) choosing where between half the
    /// ceiling and the ceiling it falls.
    fn jittered(&self, retry: u32, unit: f64) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        ceiling.mul_f64(0.5 + 0.5 * unit.clamp(0.0, 1.0))
    }

    /// How long to wait before attempt `attempts + 1`, or `None` to give up; `waited` is the
    /// time already spent waiting for this request.
    pub(crate) fn delay(&self, method: Method, outcome: Outcome, attempts: u32, waited: Duration) -> Option<Duration> {
        self.delay_with(method, outcome, attempts, waited, fastrand::f64())
    }

    fn delay_with(
        &self,
        method: Method,
        outcome: Outcome,
        attempts: u32,
        waited: Duration,
        unit: f64,
    ) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        let safe = method != Method::Post;
        let retry_after = match outcome {
            Outcome::Status { status: 429, retry_after } => retry_after,
            Outcome::Status { status: 503 | 504, retry_after } if safe => retry_after,
            Outcome::Status { status: 502, .. } if safe => None,
            Outcome::Transport { connect } if connect || safe => None,
            _ => return None,
        };
        let left = self.max_total_wait.saturating_sub(waited);
        match retry_after {
            // Coming back before the service asked for it only earns another 429.
            Some(wait) => (wait <= left).then_some(wait),
            None if left.is_zero() => None,
            None => Some(self.jittered(attempts, unit).min(left)),
        }
    }
}

/// Reads a `Retry-After` value: a number of seconds, or an HTTP date (a date in the past means
/// no wait).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(Duration::from_secs);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21 07:28:00 GMT
        assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now),
            Some(Duration::ZERO),
            "past dates: no wait"
        );
        for bad in ["", "-1", "1.5", "soon", "99999999999999999999999"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn backoff_doubles_up_to_its_ceiling_and_jitters_within_half_of_it() {
        let p = RetryPolicy::default().with_backoff(Duration::from_millis(100), Duration::from_millis(1000));
        let ceilings: Vec<u128> = (1..=6).map(|n| p.backoff_ceiling(n).as_millis()).collect();
        assert_eq!(ceilings, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(p.backoff_ceiling(u32::MAX), Duration::from_millis(1000), "no overflow");
        for retry in 1..=8 {
            let ceiling = p.backoff_ceiling(retry);
            assert_eq!(p.jittered(retry, 0.0), ceiling / 2);
            assert_eq!(p.jittered(retry, 1.0), ceiling);
            for _ in 0..100 {
                let d = p.jittered(retry, fastrand::f64());
                assert!(d >= ceiling / 2 && d <= ceiling, "{d:?} outside [{:?}, {ceiling:?}]", ceiling / 2);
            }
        }
    }

    #[test]
    fn attempts_and_total_wait_are_bounded() {
        let p = RetryPolicy::default()
            .with_max_attempts(3)
            .with_max_total_wait(Duration::from_secs(10))
            .with_backoff(Duration::from_secs(4), Duration::from_secs(60));
        let unavailable = Outcome::Status { status: 503, retry_after: None };
        assert_eq!(p.delay_with(Method::Get, unavailable, 1, Duration::ZERO, 1.0), Some(Duration::from_secs(4)));
        // The second backoff (8 s) is cut to the 6 s that are left of the 10.
        assert_eq!(
            p.delay_with(Method::Get, unavailable, 2, Duration::from_secs(4), 1.0),
            Some(Duration::from_secs(6))
        );
        assert_eq!(
            p.delay_with(Method::Get, unavailable, 3, Duration::from_secs(4), 1.0),
            None,
            "third attempt was the last"
        );
        assert_eq!(p.delay_with(Method::Get, unavailable, 1, Duration::from_secs(10), 1.0), None, "no wait left");
        // A Retry-After beyond what is left ends the retries rather than coming back early.
        let throttled = |secs| Outcome::Status { status: 429, retry_after: Some(Duration::from_secs(secs)) };
        assert_eq!(
            p.delay_with(Method::Get, throttled(5), 1, Duration::from_secs(4), 0.5),
            Some(Duration::from_secs(5))
        );
        assert_eq!(p.delay_with(Method::Get, throttled(7), 1, Duration::from_secs(4), 0.5), None);
        assert_eq!(RetryPolicy::none().delay_with(Method::Get, throttled(1), 1, Duration::ZERO, 0.5), None);
    }

    #[test]
    fn only_requests_safe_to_repeat_are_retried_on_server_errors() {
        let p = RetryPolicy::default();
        let retried = |method, outcome| p.delay_with(method, outcome, 1, Duration::ZERO, 0.5).is_some();
        let status = |status| Outcome::Status { status, retry_after: None };
        for method in [Method::Get, Method::Put, Method::Delete, Method::Patch] {
            for s in [429, 502, 503, 504] {
                assert!(retried(method, status(s)), "{method:?} {s}");
            }
            assert!(retried(method, Outcome::Transport { connect: false }));
        }
        assert!(retried(Method::Post, status(429)));
        assert!(retried(Method::Post, Outcome::Transport { connect: true }), "nothing was sent");
        for s in [502, 503, 504] {
            assert!(!retried(Method::Post, status(s)), "POST {s}");
        }
        assert!(!retried(Method::Post, Outcome::Transport { connect: false }));
        for s in [400, 401, 403, 404, 409, 500, 501] {
            assert!(!retried(Method::Get, status(s)), "GET {s}");
        }
        // Retry-After on a 503 is honoured like on a 429.
        let with_after = Outcome::Status { status: 503, retry_after: Some(Duration::from_secs(2)) };
        assert_eq!(p.delay_with(Method::Get, with_after, 1, Duration::ZERO, 0.0), Some(Duration::from_secs(2)));
    }
}
