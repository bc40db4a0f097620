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

use appdesk_core::ErrorCode;
use reqwest::StatusCode;
use reqwest::blocking::{RequestBuilder, Response};

use super::Client;
use crate::error::Result;

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

impl Client {
    /// Sends; a failure to connect or a timeout names the remote. A `429` or
    /// `503` with `Retry-After` is sent again after the wait it asks for,
    /// within a bounded total (see [`retry`] for why every request here may
    /// be sent again).
    pub(super) fn send(&self, request: RequestBuilder) -> Result<Response> {
        let mut request = request;
        let mut waited = Duration::ZERO;
        let mut tries = 0;
        loop {
            let again = request.try_clone();
            let answer = request.send().map_err(|e| self.transport(&e))?;
            let status = answer.status();
            if status == StatusCode::UNAUTHORIZED {
                return Err(self.failed(
                    ErrorCode::Unauthorized,
                    "refused the token (revoked or unknown); give a new one with appdesk remote \
                     token NAME --token-file FILE (queued changes are kept)",
                ));
            }
            if !matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            ) {
                return Ok(answer);
            }
            let Some(value) = answer.headers().get(reqwest::header::RETRY_AFTER) else {
                return Ok(answer);
            };
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            let Some(asked) = retry_after(&value, std::time::SystemTime::now()) else {
                return Ok(answer);
            };
            match again {
                Some(again) if should_wait(asked, waited, tries) => {
                    drop(answer);
                    std::thread::sleep(asked);
                    waited += asked;
                    tries += 1;
                    request = again;
                }
                _ => {
                    return Err(self.failed(
                        ErrorCode::RemoteFailed,
                        &format!(
                            "answered {status} and asked to wait {} s (Retry-After: {}); this \
                             client waits at most {} s per request over {} retries (waited {} s)",
                            asked.as_secs(),
                            appdesk_core::validate::escaped(&value, false),
                            MAX_TOTAL_WAIT.as_secs(),
                            MAX_RETRIES,
                            waited.as_secs()
                        ),
                    ));
                }
            }
        }
    }
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
