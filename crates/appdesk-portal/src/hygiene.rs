//! Request hygiene that every route shares: no query parameter a route does
//! not take, a body only as JSON, and the body and whole-request deadlines.
//!
//! Each refusal is the JSON error body naming what is wrong. Must not hold
//! the rules of the API (those are the core's) nor who may ask (`auth`).

use std::time::Duration;

use appdesk_core::ErrorCode;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// The longest URL (path and query) served: longer is 414.
pub const URI_MAX: usize = 8 * 1024;

/// The most bytes of header fields served: more is 431. (hyper refuses heads
/// over about 400 KiB itself, and URLs over 64 KiB; see `connections`.)
pub const HEADERS_MAX: usize = 64 * 1024;

/// 414 for a URL over [`URI_MAX`], 431 for headers over [`HEADERS_MAX`],
/// before any other work.
pub async fn head_limits(request: Request, next: Next) -> Response {
    let uri = request.uri().to_string().len();
    if uri > URI_MAX {
        return AppError::http(
            StatusCode::URI_TOO_LONG,
            ErrorCode::Malformed,
            None,
            format!("the URL has {uri} bytes; at most {URI_MAX} are served"),
        )
        .into_response();
    }
    let headers: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if headers > HEADERS_MAX {
        return AppError::http(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ErrorCode::Malformed,
            None,
            format!("the headers have {headers} bytes; at most {HEADERS_MAX} are served"),
        )
        .into_response();
    }
    next.run(request).await
}

/// The query parameters each route takes, by its route pattern; a route not
/// listed takes none. (A handler still checks the values.)
pub const QUERY_PARAMETERS: &[(&str, &[&str])] = &[
    ("/v1/changes", &["since", "limit"]),
    ("/v1/apps", PAGE),
    ("/v1/apps/{id}/versions", PAGE),
    ("/v1/apps/{id}/connections", PAGE),
    ("/v1/upgrade-requests", PAGE),
    ("/v1/apps/{id}/notes", &["from", "to"]),
    ("/v1/audit", &["since", "limit", "cursor"]),
];

/// A listing's paging parameters (`crate::paging::PageQuery`).
const PAGE: &[&str] = &["limit", "cursor"];

/// A query parameter the matched route does not take is 400 naming it, so a
/// misspelt `limt=5` is not silently ignored.
pub async fn known_query(matched: MatchedPath, request: Request, next: Next) -> Response {
    let known = QUERY_PARAMETERS
        .iter()
        .find(|(route, _)| *route == matched.as_str())
        .map_or(&[][..], |(_, names)| *names);
    let query = request.uri().query().unwrap_or_default();
    let unknown =
        form_urlencoded::parse(query.as_bytes()).find(|(name, _)| !known.contains(&&**name));
    if let Some((name, _)) = unknown {
        let takes = match known {
            [] => "this route takes none".to_owned(),
            names => format!("this route takes {}", names.join(", ")),
        };
        return AppError::malformed(
            Some(&name),
            format!("unknown query parameter {name:?}: {takes}"),
        )
        .into_response();
    }
    next.run(request).await
}

/// 415 unless the body is declared `application/json` (parameters such as
/// `charset=utf-8` allowed), given once: a form or text body is not read as
/// JSON however it looks.
pub fn require_json(headers: &HeaderMap) -> Result<(), AppError> {
    let mut types = headers.get_all(header::CONTENT_TYPE).iter();
    let is_json = match (types.next(), types.next()) {
        (Some(value), None) => value.to_str().is_ok_and(|v| {
            let essence = v.split(';').next().unwrap_or_default().trim();
            essence.eq_ignore_ascii_case("application/json")
        }),
        _ => false,
    };
    if is_json {
        return Ok(());
    }
    Err(AppError::http(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::Malformed,
        Some("Content-Type"),
        "the body must be JSON, sent with Content-Type: application/json",
    ))
}

/// How long a request body, and a whole request, may take.
#[derive(Debug, Clone, Copy)]
pub struct Deadlines {
    pub body: Duration,
    pub request: Duration,
}

/// Puts [`Deadlines`] where the body extractor finds them, and answers 503
/// (with `Retry-After`) for a request not answered within its deadline: the
/// handler is dropped, and with it any transaction it held, uncommitted.
pub async fn deadlines(
    State(deadlines): State<Deadlines>,
    mut request: Request,
    next: Next,
) -> Response {
    request.extensions_mut().insert(deadlines);
    match tokio::time::timeout(deadlines.request, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            let mut response = AppError::http(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Busy,
                None,
                format!(
                    "the request took longer than {} s and was stopped; retry",
                    deadlines.request.as_secs()
                ),
            )
            .into_response();
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(crate::error::RETRY_AFTER_SECONDS),
            );
            response
        }
    }
}
