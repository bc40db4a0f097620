//! The portal's one error type and its single conversion into an HTTP answer.
//!
//! Every failure reaches the client as the wire's error body ([`WireError`]:
//! the core's `{code, message, field, problems}`), with a status chosen here
//! and only here: `invalid` 422, `malformed` 400, `not_found` 404, `conflict`
//! 409, `not_allowed` 409 when a rule refuses the action in the app's current
//! state and 403 when the token lacks the right (a developer token on a
//! tenant-admin action), `precondition_failed` 412 (with `currentRevision` and the
//! `ETag`), `precondition_required` 428, `unauthorized` 401, `too_large` 413,
//! `gone` 410, `in_progress` 409. Internal failures are logged on stderr and
//! answered 500 without their detail.

use appdesk_core::{Error as CoreError, ErrorBody, ErrorCode};
use appdesk_protocol::ErrorBody as WireError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub enum AppError {
    /// A rule of the core refused the request.
    Core(CoreError),
    /// A portal-level refusal, with its status and body.
    Http(StatusCode, ErrorBody),
    /// `If-Match` names another revision than the app's current one.
    Stale { current: i64 },
    /// The database is down, or every pooled connection stayed busy past the
    /// wait: 503 with `Retry-After`, the detail logged (never a 500: nothing
    /// is wrong with the request, and it may be sent again).
    Unavailable { code: ErrorCode, detail: String },
    /// The database or another part failed; the detail is logged, not sent.
    Internal(String),
}

/// Seconds a client is asked to wait after a 503.
pub const RETRY_AFTER_SECONDS: &str = "5";

impl AppError {
    pub fn http(
        status: StatusCode,
        code: ErrorCode,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        AppError::Http(status, ErrorBody::new(code, field, message))
    }

    /// A failure before serving (bad URL, migration): reported and exit.
    pub fn setup(message: impl Into<String>) -> Self {
        AppError::Internal(message.into())
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::http(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            None,
            message,
        )
    }

    pub fn forbidden(field: &str, message: impl Into<String>) -> Self {
        Self::http(
            StatusCode::FORBIDDEN,
            ErrorCode::NotAllowed,
            Some(field),
            message,
        )
    }

    pub fn not_found(what: &str) -> Self {
        Self::http(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            Some("app"),
            format!("no app {what:?} in this workspace"),
        )
    }

    pub fn malformed(field: Option<&str>, message: impl Into<String>) -> Self {
        Self::http(
            StatusCode::BAD_REQUEST,
            ErrorCode::Malformed,
            field,
            message,
        )
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Core(CoreError::invalid(field, message))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Core(e) => match e {
                CoreError::Invalid(_) | CoreError::Import(_) => StatusCode::UNPROCESSABLE_ENTITY,
                CoreError::AppNotFound(_) => StatusCode::NOT_FOUND,
                CoreError::Conflict { .. }
                | CoreError::NotAllowed { .. }
                | CoreError::AmbiguousApp { .. } => StatusCode::CONFLICT,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            },
            AppError::Http(status, _) => *status,
            AppError::Stale { .. } => StatusCode::PRECONDITION_FAILED,
            AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The body as sent: internal details stay in the log.
    pub fn body(&self) -> WireError {
        let body = match self {
            AppError::Core(e) if self.status().is_server_error() => {
                eprintln!("appdesk-portal: internal error: {e}");
                internal_body()
            }
            AppError::Core(e) => e.body(),
            AppError::Http(_, body) => body.clone(),
            AppError::Stale { current } => ErrorBody::new(
                ErrorCode::PreconditionFailed,
                Some("If-Match"),
                format!("the app is at revision {current}; read it again and retry"),
            ),
            AppError::Unavailable { code, detail } => {
                eprintln!("appdesk-portal: unavailable: {detail}");
                let message = match code {
                    ErrorCode::Busy => "every database connection is in use; retry shortly",
                    _ => "the database does not answer; retry shortly (nothing was changed)",
                };
                ErrorBody::new(*code, None, message)
            }
            AppError::Internal(detail) => {
                eprintln!("appdesk-portal: internal error: {detail}");
                internal_body()
            }
        };
        let mut body = WireError::from_core(bounded(body));
        if let AppError::Stale { current } = self {
            body.current_revision = Some(*current);
        }
        body
    }
}

/// The most problems an error body lists: a request with 60,000 faults gets
/// the first ones and a count of the rest, not megabytes.
pub const PROBLEMS_LISTED: usize = 50;

/// `body` with at most [`PROBLEMS_LISTED`] problems; its message says how many
/// more there were.
fn bounded(mut body: ErrorBody) -> ErrorBody {
    let total = body.problems.len();
    if total > PROBLEMS_LISTED {
        body.problems.truncate(PROBLEMS_LISTED);
        if let Some(first) = body.problems.first() {
            body.message = format!("{}: {}", first.field, first.message);
        }
        body.message.push_str(&format!(
            " ({} problems in all; the first {PROBLEMS_LISTED} are listed, {} more are not)",
            total,
            total - PROBLEMS_LISTED
        ));
    }
    body
}

fn internal_body() -> ErrorBody {
    ErrorBody::new(
        ErrorCode::Internal,
        None,
        "the portal failed; the change was not made",
    )
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Core(e) => write!(f, "{e}"),
            AppError::Http(_, body) => f.write_str(&body.message),
            AppError::Stale { current } => write!(f, "stale If-Match (current {current})"),
            AppError::Unavailable { detail, .. } | AppError::Internal(detail) => {
                f.write_str(detail)
            }
        }
    }
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> Self {
        AppError::Core(e)
    }
}

impl From<tokio_postgres::Error> for AppError {
    /// A unique key taken by a concurrent writer between our check and our
    /// insert (two creates proposing one id) is a conflict to retry, not a
    /// failure of the portal.
    fn from(e: tokio_postgres::Error) -> Self {
        use tokio_postgres::error::SqlState;
        match e.code() {
            Some(code) if *code == SqlState::UNIQUE_VIOLATION => AppError::Core(
                CoreError::conflict("app", "a concurrent request took the same id or key; retry"),
            ),
            // PostgreSQL text cannot hold U+0000; whatever input carried it is
            // refused, not a failure of the portal (bodies are checked earlier,
            // naming the field; this is the net for paths and anything else).
            Some(code) if *code == SqlState::CHARACTER_NOT_IN_REPERTOIRE => AppError::malformed(
                None,
                "the request holds a NUL character (U+0000), which cannot be stored",
            ),
            _ if database_is_down(&e) => AppError::Unavailable {
                code: ErrorCode::Database,
                detail: format!("database: {e}"),
            },
            _ => AppError::Internal(format!("database: {e}")),
        }
    }
}

/// Whether `e` says the database cannot be reached now (the connection is
/// gone or refused, the server shuts down or starts, or has no room), rather
/// than that a statement failed.
fn database_is_down(e: &tokio_postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    if let Some(code) = e.code() {
        let code = code.code();
        return code.starts_with("08") || code.starts_with("57P") || code.starts_with("53");
    }
    std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>())
}

impl From<deadpool_postgres::PoolError> for AppError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        use deadpool_postgres::PoolError;
        match e {
            PoolError::Timeout(_) => AppError::Unavailable {
                code: ErrorCode::Busy,
                detail: format!("database pool: {e}"),
            },
            PoolError::Backend(e) => AppError::from(e),
            PoolError::Closed | PoolError::NoRuntimeSpecified | PoolError::PostCreateHook(_) => {
                AppError::Unavailable {
                    code: ErrorCode::Database,
                    detail: format!("database pool: {e}"),
                }
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (status, axum::Json(self.body())).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let AppError::Stale { current } = self
            && let Ok(value) = HeaderValue::from_str(&format!("\"{current}\""))
        {
            response.headers_mut().insert(header::ETAG, value);
        }
        response
    }
}

/// Gives every error answer the wire's error body, including the ones axum
/// makes itself (no route, wrong method, a path or query it cannot decode),
/// which are plain text: a client, and the OpenAPI document, see one shape.
pub async fn json_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let code = match status {
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::TooLarge,
        s if s.is_server_error() => ErrorCode::Internal,
        _ => ErrorCode::Malformed,
    };
    let message = if text.trim().is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        text.trim().to_owned()
    };
    let body = WireError::from_core(ErrorBody::new(code, None, message));
    let mut fixed = (status, axum::Json(body)).into_response();
    for name in [header::ALLOW, header::WWW_AUTHENTICATE] {
        if let Some(value) = parts.headers.get(&name) {
            fixed.headers_mut().insert(name, value.clone());
        }
    }
    fixed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_precondition_names_the_current_revision_in_body_and_etag() {
        let response = AppError::Stale { current: 7 }.into_response();
        assert_eq!(response.status(), StatusCode::PRECONDITION_FAILED);
        assert_eq!(response.headers()[header::ETAG], "\"7\"");
        let body = AppError::Stale { current: 7 }.body();
        assert_eq!(body.current_revision, Some(7));
        assert_eq!(body.code, ErrorCode::PreconditionFailed);
    }

    #[test]
    fn internal_details_are_not_sent() {
        let body = AppError::Internal("password=hunter2".into()).body();
        let text = serde_json::to_string(&body).unwrap();
        assert!(!text.contains("hunter2"), "{text}");
        assert_eq!(body.code, ErrorCode::Internal);
    }

    #[test]
    fn core_errors_keep_their_code_and_field() {
        let e = AppError::invalid("name", "too long");
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = e.body();
        assert_eq!(
            (body.code.as_str(), body.field.as_deref()),
            ("invalid", Some("name"))
        );
    }
}
