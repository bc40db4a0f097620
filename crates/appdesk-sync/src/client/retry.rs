//! `Retry-After` on `429` and `503` (RFC 9110 §10.2.3, RFC 6585 §4): the
//! portal, or a proxy before it, asks the client to wait and try again. The
//! client waits as asked, within a bounded total, and sends the same request
//! again.
//!
//! Which requests are retried: every request this client sends is safe to
//! send again. GETs change nothing. Each write carries its `Idempotency-Key`
//! (the same key on the retry, since the request is cloned), so the portal
//! applies it at most once and answers a repeat with the first answer; a
//! `429`/`503` also says the request was not processed. A wait longer than
//! what is left of the bound is not waited: the sync fails at once, saying
//! how long the portal asked for, and keeps the queue.

use std::time::{Duration, SystemTime};

/// The most one request waits in all, across its retries.
pub const MAX_TOTAL_WAIT: Duration = Duration::from_secs(30);
/// The most times one request is sent again.
pub const MAX_RETRIES: u32 = 4;

/// The wait a `Retry-After` value asks for: whole seconds, or an HTTP-date
/// (a date in the past is no wait). `None` when it is neither.
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    // IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`, is RFC 2822 shaped.
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::from(at.with_timezone(&chrono::Utc));
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Whether to wait `asked` and retry, having waited `waited` over `tries`
/// retries so far.
pub fn should_wait(asked: Duration, waited: Duration, tries: u32) -> bool {
    tries < MAX_RETRIES && waited.saturating_add(asked) <= MAX_TOTAL_WAIT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> SystemTime {
        SystemTime::from(chrono::DateTime::parse_from_rfc3339(text).unwrap())
    }

    #[test]
    fn seconds_and_http_dates_are_read_and_anything_else_is_not() {
        let now = at("2015-10-21T07:27:00Z");
        assert_eq!(retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:26:00 GMT", now),
            Some(Duration::ZERO),
            "a date past is no wait"
        );
        for bad in ["", "-1", "1.5", "soon", "99999999999999999999999x"] {
            assert_eq!(retry_after(bad, now), None, "{bad:?}");
        }
        assert_eq!(
            retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn waits_are_bounded_in_number_and_in_total() {
        assert!(should_wait(Duration::from_secs(1), Duration::ZERO, 0));
        assert!(should_wait(Duration::from_secs(30), Duration::ZERO, 0));
        assert!(!should_wait(Duration::from_secs(31), Duration::ZERO, 0));
        assert!(!should_wait(
            Duration::from_secs(1),
            Duration::from_secs(30),
            1
        ));
        assert!(!should_wait(Duration::ZERO, Duration::ZERO, MAX_RETRIES));
        assert!(!should_wait(Duration::MAX, Duration::from_secs(1), 0));
    }
}
