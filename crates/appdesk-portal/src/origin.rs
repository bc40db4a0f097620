//! The console's origin: the one origin a write made with the session cookie
//! is accepted from, and whether the browser reached the portal over https.
//!
//! A browser sends the session cookie with any request to the portal, even
//! one a foreign page made (a form post, a `fetch` with credentials), so a
//! cookie alone never proves that the console made a write. The `Origin`
//! header does: a browser sets it on every non-GET request and a page cannot
//! forge it. A write with the cookie must carry an `Origin` equal to the
//! console's own ([`own`]), else 403 `cross_origin`. Bearer requests (the
//! CLI, the desktop's sync) need no `Origin`: no browser attaches a bearer
//! token by itself.
//!
//! This module decides; it stores nothing and must not look at the cookie.

use axum::http::header::{HOST, ORIGIN};
use axum::http::{HeaderMap, Method, StatusCode};

use appdesk_core::ErrorCode;

use crate::error::AppError;

/// `scheme://host[:port]` of `--public-url`, or `None` when it is not an
/// http(s) URL with a host (refused at start, naming the flag).
pub fn of_public_url(text: &str) -> Result<String, AppError> {
    let url = url::Url::parse(text.trim()).map_err(|e| {
        AppError::setup(format!(
            "--public-url {text:?} is not a URL ({e}); give e.g. https://portal.example"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(AppError::setup(format!(
            "--public-url {text:?} must be an http or https URL with a host"
        )));
    }
    Ok(url.origin().ascii_serialization())
}

/// Whether the request reached the portal over https: `--public-url` says
/// so, else a proxy's `X-Forwarded-Proto: https` (its first value).
pub fn is_https(headers: &HeaderMap, public: Option<&str>) -> bool {
    if let Some(public) = public {
        return public.starts_with("https://");
    }
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|first| first.trim().eq_ignore_ascii_case("https"))
}

/// The console's own origin: `--public-url`'s, else the scheme ([`is_https`])
/// and `Host` of the request. `None` without either.
pub fn own(headers: &HeaderMap, public: Option<&str>) -> Option<String> {
    if let Some(public) = public {
        return Some(public.to_owned());
    }
    let host = headers.get(HOST)?.to_str().ok()?.trim();
    if host.is_empty() {
        return None;
    }
    let scheme = if is_https(headers, None) {
        "https"
    } else {
        "http"
    };
    Some(format!("{scheme}://{host}"))
}

/// Whether `method` only reads (the cookie alone is enough for it).
pub fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Ok when the request's one `Origin` header is the console's own; 403
/// `cross_origin` when it is missing, repeated, `null` or another origin.
pub fn require_own(headers: &HeaderMap, public: Option<&str>) -> Result<(), AppError> {
    let mut sent = headers.get_all(ORIGIN).iter();
    let origin = match (sent.next(), sent.next()) {
        (Some(one), None) => one.to_str().ok().map(str::trim),
        _ => None,
    };
    match (origin, own(headers, public)) {
        (Some(origin), Some(own)) if origin.eq_ignore_ascii_case(&own) => Ok(()),
        _ => Err(cross_origin()),
    }
}

fn cross_origin() -> AppError {
    AppError::http(
        StatusCode::FORBIDDEN,
        ErrorCode::CrossOrigin,
        Some("Origin"),
        "a write with the session cookie must come from the console's own origin \
         (the Origin header was missing or named another site); nothing was changed",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn the_own_origin_is_the_public_urls_else_the_requests_host_and_scheme() {
        let plain = headers(&[("host", "127.0.0.1:8477")]);
        assert_eq!(own(&plain, None).as_deref(), Some("http://127.0.0.1:8477"));
        let proxied = headers(&[("host", "portal.example"), ("x-forwarded-proto", "https")]);
        assert_eq!(
            own(&proxied, None).as_deref(),
            Some("https://portal.example")
        );
        let public = of_public_url("https://Portal.Example:443/console/").unwrap();
        assert_eq!(public, "https://portal.example");
        assert_eq!(own(&plain, Some(&public)).as_deref(), Some(public.as_str()));
        assert!(is_https(&plain, Some(&public)));
        assert!(!is_https(&plain, None));
        assert!(of_public_url("ftp://x.example").is_err());
        assert!(of_public_url("portal.example").is_err());
    }

    #[test]
    fn only_the_one_own_origin_passes() {
        let host = ("host", "127.0.0.1:8477");
        assert!(require_own(&headers(&[host, ("origin", "http://127.0.0.1:8477")]), None).is_ok());
        for refused in [
            headers(&[host]),
            headers(&[host, ("origin", "null")]),
            headers(&[host, ("origin", "http://evil.example")]),
            headers(&[host, ("origin", "https://127.0.0.1:8477")]),
            headers(&[
                host,
                ("origin", "http://127.0.0.1:8477"),
                ("origin", "http://127.0.0.1:8477"),
            ]),
            headers(&[("origin", "http://127.0.0.1:8477")]),
        ] {
            let e = require_own(&refused, None).unwrap_err();
            assert_eq!(e.status(), StatusCode::FORBIDDEN, "{refused:?}");
            assert_eq!(e.body().code, ErrorCode::CrossOrigin);
        }
    }
}
