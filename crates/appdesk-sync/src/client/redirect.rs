//! Redirects (issue 18 §9): a portal is input, and a redirect to another
//! origin (scheme, host or port) would send this client's token, an
//! `Idempotency-Key` and a write's body to a server the user never linked.
//! Such a redirect is refused as an error naming both URLs, before anything
//! is sent there. Within the remote's origin only `307` and `308` are
//! followed: they keep the method and the body, so a write is never turned
//! into a GET (as `301`/`302`/`303` would) and read as done.

use reqwest::redirect::{Attempt, Policy};

/// The most redirects one request follows.
const MAX_REDIRECTS: usize = 5;

/// The policy of every request to a portal.
pub fn policy() -> Policy {
    Policy::custom(decide)
}

fn decide(attempt: Attempt<'_>) -> reqwest::redirect::Action {
    let to = attempt.url().clone();
    let Some(from) = attempt.previous().first().cloned() else {
        return attempt.stop();
    };
    let status = attempt.status().as_u16();
    if !same_origin(&from, &to) {
        let why = format!(
            "redirected {from} to another origin, {to}; it is not followed, and nothing was sent there"
        );
        return attempt.error(Refused(why));
    }
    if !matches!(status, 307 | 308) {
        let why = format!(
            "answered {status} (a redirect that changes a write into a read) from {from} to {to}; \
             only 307 and 308 are followed"
        );
        return attempt.error(Refused(why));
    }
    if attempt.previous().len() > MAX_REDIRECTS {
        let why = format!("redirected more than {MAX_REDIRECTS} times, last to {to}");
        return attempt.error(Refused(why));
    }
    attempt.follow()
}

/// Same scheme, host and port (the default port where none is written).
pub fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// A redirect refused, with why (in the error the request fails with).
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// The refusal inside a failed request, if a redirect was refused.
pub fn refused(e: &reqwest::Error) -> Option<&Refused> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<Refused>() {
            return Some(r);
        }
        source = s.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> reqwest::Url {
        reqwest::Url::parse(s).unwrap()
    }

    #[test]
    fn an_origin_is_scheme_host_and_port() {
        let base = url("http://127.0.0.1:8080/v1/changes");
        assert!(same_origin(&base, &url("http://127.0.0.1:8080/v1/apps")));
        assert!(!same_origin(&base, &url("http://127.0.0.1:8081/v1/apps")));
        assert!(!same_origin(&base, &url("https://127.0.0.1:8080/v1/apps")));
        assert!(!same_origin(&base, &url("http://localhost:8080/v1/apps")));
        assert!(same_origin(
            &url("https://portal.example/v1"),
            &url("https://portal.example:443/x")
        ));
    }
}
