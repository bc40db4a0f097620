//! The web console's files, embedded in the binary at build time (build.rs,
//! from `portal-ui/dist`), served at `/` on the API's own origin.
//!
//! - `/assets/…`: the bundler's content-hashed files, cached for a year
//!   (`immutable`); a name that is not there is 404.
//! - Another file of the build (`/favicon.svg`) is served as it is.
//! - Any other path outside the API (`/v1/`, `/auth/`, `/openapi.json`) is
//!   the single page's `index.html` (not cached), so that the console's own
//!   routes survive a reload; an unknown API path stays the API's 404.
//!
//! Every answer here carries [`CSP`], `nosniff` and `no-referrer`. This
//! module reads nothing from disk and knows nothing of sessions.

use axum::http::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use appdesk_core::ErrorCode;

use crate::error::AppError;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/console_files.rs"));
}

/// The page served when `portal-ui/dist` was missing at build time.
const NOT_BUILT: &[u8] = include_bytes!("console_not_built.html");

/// No inline script or style, no other origin, never in a frame.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
                       img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; \
                       base-uri 'none'; form-action 'self'";

/// Whether the console in this binary was built (else [`NOT_BUILT`] stands in).
pub fn built() -> bool {
    embedded::BUILT
}

/// The embedded file at `name` (a path under `dist/`, no leading `/`).
fn file(name: &str) -> Option<&'static [u8]> {
    match embedded::FILES.iter().find(|(n, _)| *n == name) {
        Some((_, bytes)) => Some(bytes),
        None if name == "index.html" && !embedded::BUILT => Some(NOT_BUILT),
        None => None,
    }
}

/// Whether `path` belongs to the API, whose unknown paths answer its own 404.
fn is_api(path: &str) -> bool {
    ["/v1", "/auth", "/openapi.json"].iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// The router's fallback: every path no API route took.
pub async fn serve(method: Method, uri: Uri) -> Response {
    let path = uri.path();
    if is_api(path) {
        return StatusCode::NOT_FOUND.into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        let mut response = AppError::http(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::MethodNotAllowed,
            None,
            format!("the console's pages are only read (GET); not {method}"),
        )
        .into_response();
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return secured(response);
    }
    let name = path.trim_start_matches('/');
    let response = if name.starts_with("assets/") {
        match file(name) {
            Some(bytes) => answer(name, bytes, "public, max-age=31536000, immutable"),
            None => AppError::http(
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                None,
                format!("the console has no file {name:?}"),
            )
            .into_response(),
        }
    } else if let Some(bytes) = file(name).filter(|_| !name.is_empty()) {
        answer(name, bytes, "no-cache")
    } else {
        answer(
            "index.html",
            file("index.html").unwrap_or(NOT_BUILT),
            "no-cache",
        )
    };
    secured(response)
}

fn answer(name: &str, bytes: &'static [u8], cache: &'static str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type(name)));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// The headers every console answer carries.
fn secured(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        HeaderName::from_static("content-security-policy"),
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        HeaderName::from_static("referrer-policy"),
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// The media type of a file, by its extension.
fn content_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
    match extension.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths_are_not_the_consoles() {
        for api in ["/v1", "/v1/nope", "/auth/x", "/openapi.json"] {
            assert!(is_api(api), "{api}");
        }
        for page in ["/", "/apps/x", "/v1x", "/authority", "/openapi.jsonx"] {
            assert!(!is_api(page), "{page}");
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(
            content_type("assets/index-1a2b.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type("assets/index-1a2b.CSS"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/x.woff2"), "font/woff2");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn there_is_always_an_index() {
        let index = file("index.html").unwrap();
        assert!(built() || index == NOT_BUILT);
        assert!(String::from_utf8_lossy(index).contains("<html"));
    }
}
