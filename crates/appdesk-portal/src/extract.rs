//! Extractors for what a write request carries besides its caller: the JSON
//! body (with its raw bytes, for the idempotency fingerprint) and the
//! `If-Match` precondition.
//!
//! A body over [`crate::server::BODY_LIMIT`] is refused with 413 before it is
//! parsed. Malformed JSON (syntax, a duplicate key, trailing bytes) is 400; JSON
//! of the wrong shape (an unknown field, a wrong type) is 422 naming the field.
//! Nothing reaches the database before both pass.

use appdesk_core::ErrorCode;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::IF_MATCH;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// The one value of a header that must not be repeated (`Authorization`,
/// `Idempotency-Key`): `None` when absent, and `repeated` when sent more than
/// once, for a server that picked one of two values would act on a request
/// other than the one its sender meant.
pub fn single_header<'a>(
    headers: &'a axum::http::HeaderMap,
    name: &str,
    repeated: impl FnOnce() -> AppError,
) -> Result<Option<&'a axum::http::HeaderValue>, AppError> {
    let mut values = headers.get_all(name).iter();
    match (values.next(), values.next()) {
        (first, None) => Ok(first),
        (_, Some(_)) => Err(repeated()),
    }
}

/// A JSON body parsed into `T`, with the bytes it came from.
#[derive(Debug)]
pub struct JsonBody<T> {
    pub value: T,
    pub raw: Bytes,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        crate::hygiene::require_json(request.headers())?;
        let limit = request
            .extensions()
            .get::<crate::hygiene::Deadlines>()
            .map(|d| d.body);
        let read = Bytes::from_request(request, state);
        let read = match limit {
            Some(limit) => tokio::time::timeout(limit, read).await.map_err(|_| {
                AppError::http(
                    StatusCode::REQUEST_TIMEOUT,
                    ErrorCode::Malformed,
                    None,
                    format!(
                        "the request body did not arrive within {} s",
                        limit.as_secs()
                    ),
                )
            })?,
            None => read.await,
        };
        let raw = read.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::http(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::TooLarge,
                    None,
                    format!(
                        "the request body is over {} bytes",
                        crate::server::BODY_LIMIT
                    ),
                )
            } else {
                AppError::malformed(None, format!("cannot read the request body: {rejection}"))
            }
        })?;
        let value = parse(&raw)?;
        Ok(JsonBody { value, raw })
    }
}

/// Parses a JSON body, naming the field at fault.
pub fn parse<T: DeserializeOwned>(raw: &[u8]) -> Result<T, AppError> {
    // A NUL can only be in JSON as the escape \u0000; look closer only then.
    if raw.windows(6).any(|w| w == b"\\u0000")
        && let Ok(value) = serde_json::from_slice::<serde_json::Value>(raw)
        && let Some(field) = nul_at(&value, String::new())
    {
        return Err(AppError::invalid(
            if field.is_empty() { "body" } else { &field },
            "holds a NUL character (U+0000), which cannot be stored",
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(raw);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = member(&path, &inner.to_string());
        refused(field, inner)
    })?;
    de.end().map_err(|e| refused(None, e))?;
    Ok(value)
}

/// The field an error is about: its path, or for a duplicate member (which
/// serde reports at the object holding it) that member's path.
fn member(path: &str, message: &str) -> Option<String> {
    let named = ["duplicate field `", "unknown field `"]
        .iter()
        .find_map(|p| {
            let rest = message.strip_prefix(p)?;
            rest.split_once('`').map(|(name, _)| name.to_owned())
        });
    match (path, named) {
        (".", None) => None,
        (".", Some(name)) => Some(name),
        (path, Some(name)) if path == name || path.ends_with(&format!(".{name}")) => {
            Some(path.to_owned())
        }
        (path, Some(name)) => Some(format!("{path}.{name}")),
        (path, None) => Some(path.to_owned()),
    }
}

/// The path (`tenants[0].note`) of the first string or key holding a NUL.
fn nul_at(value: &serde_json::Value, path: String) -> Option<String> {
    match value {
        serde_json::Value::String(text) => text.contains('\0').then_some(path),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_at(v, format!("{path}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            let at = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if k.contains('\0') {
                Some(at)
            } else {
                nul_at(v, at)
            }
        }),
        _ => None,
    }
}

fn refused(field: Option<String>, e: serde_json::Error) -> AppError {
    let message = e.to_string();
    match (e.classify(), field) {
        (serde_json::error::Category::Data, Some(field)) => AppError::invalid(&field, message),
        (serde_json::error::Category::Data, None) => AppError::invalid("body", message),
        (_, field) => AppError::malformed(
            field.as_deref(),
            format!("the body is not valid JSON: {message}"),
        ),
    }
}

/// A query string parsed into `T`. Any fault (a value of the wrong type, a
/// parameter given twice) is 400 naming the parameter, which axum's own
/// `Query` leaves out of its answer.
#[derive(Debug)]
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(QueryParams)
            .map_err(|e| {
                let path = e.path().to_string();
                let message = e.inner().to_string();
                let field = member(&path, &message);
                AppError::malformed(field.as_deref(), format!("the query string: {message}"))
            })
    }
}

/// The `If-Match` header of a write to an existing app (RFC 9110 §13.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    /// `*`: any current revision.
    Any,
    /// The revisions the client accepts (strong tags only).
    Revisions(Vec<i64>),
}

impl IfMatch {
    /// 412 unless `current` is acceptable.
    pub fn check(&self, current: i64) -> Result<(), AppError> {
        match self {
            IfMatch::Any => Ok(()),
            IfMatch::Revisions(list) if list.contains(&current) => Ok(()),
            IfMatch::Revisions(_) => Err(AppError::Stale { current }),
        }
    }

    fn parse(text: &str) -> Option<IfMatch> {
        let text = text.trim();
        if text == "*" {
            return Some(IfMatch::Any);
        }
        let mut revisions = Vec::new();
        for tag in text.split(',').map(str::trim) {
            // A weak tag never matches under If-Match's strong comparison,
            // but it must still be a tag: `W/garbage` is malformed.
            let (weak, tag) = match tag.strip_prefix("W/") {
                Some(rest) => (true, rest),
                None => (false, tag),
            };
            let inner = tag.strip_prefix('"')?.strip_suffix('"')?;
            // etagc (RFC 9110 §8.8.3): visible ASCII but '"', or obs-text.
            if !inner
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80)
            {
                return None;
            }
            if weak {
                revisions.push(-1);
                continue;
            }
            // Strong comparison is byte for byte: "+7" and "07" are not "7".
            let revision = inner.parse::<i64>().ok().filter(|r| r.to_string() == inner);
            revisions.push(revision.unwrap_or(-1));
        }
        Some(IfMatch::Revisions(revisions))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        // A list header: several field lines are one comma-joined list.
        let lines: Option<Vec<&str>> = parts
            .headers
            .get_all(IF_MATCH)
            .iter()
            .map(|v| v.to_str().ok())
            .collect();
        let Some(lines) = lines.filter(|l| !l.is_empty()).map(|l| l.join(", ")) else {
            if parts.headers.contains_key(IF_MATCH) {
                return Err(malformed_if_match());
            }
            return Err(AppError::http(
                StatusCode::PRECONDITION_REQUIRED,
                ErrorCode::PreconditionRequired,
                Some("If-Match"),
                "a write to an existing app needs If-Match: \"<revision>\" (its ETag)",
            ));
        };
        IfMatch::parse(&lines).ok_or_else(malformed_if_match)
    }
}

fn malformed_if_match() -> AppError {
    AppError::malformed(
        Some("If-Match"),
        "If-Match must be * or a list of quoted revisions, e.g. \"7\"",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_accepts_star_and_strong_tags_only() {
        assert_eq!(IfMatch::parse("*"), Some(IfMatch::Any));
        assert!(IfMatch::parse("\"7\"").unwrap().check(7).is_ok());
        assert!(IfMatch::parse("\"6\", \"7\"").unwrap().check(7).is_ok());
        assert!(matches!(
            IfMatch::parse("W/\"7\"").unwrap().check(7),
            Err(AppError::Stale { current: 7 })
        ));
        assert!(matches!(
            IfMatch::parse("\"6\"").unwrap().check(7),
            Err(AppError::Stale { current: 7 })
        ));
        assert_eq!(IfMatch::parse("7"), None);
        assert!(IfMatch::parse("\"+7\"").unwrap().check(7).is_err());
        assert!(IfMatch::parse("\"07\"").unwrap().check(7).is_err());
        assert_eq!(IfMatch::parse("\"7\" \"7\""), None);
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
    }

    #[test]
    fn a_nul_character_is_refused_naming_where_it_is() {
        let e = parse::<serde_json::Value>(br#"{"tenants": [{"id": "1", "note": "a\u0000b"}]}"#)
            .unwrap_err();
        assert_eq!(e.status().as_u16(), 422);
        assert_eq!(e.body().field.as_deref(), Some("tenants[0].note"));
        assert!(
            parse::<serde_json::Value>(br#"{"note": "a\\u0000b"}"#).is_ok(),
            "an escaped backslash"
        );
    }

    #[test]
    fn bodies_fail_as_400_when_not_json_and_422_naming_the_field_when_misshapen() {
        let status = |raw: &str| parse::<Body>(raw.as_bytes()).unwrap_err().status().as_u16();
        assert_eq!(status("{\"name\": "), 400);
        assert_eq!(status("{\"name\": \"a\"} x"), 400);
        assert_eq!(status("{\"name\": \"a\", \"name\": \"b\"}"), 422);
        let e = parse::<Body>(br#"{"name": 5}"#).unwrap_err();
        assert_eq!(
            (e.status().as_u16(), e.body().field.as_deref()),
            (422, Some("name"))
        );
        let e = parse::<Body>(br#"{"name": "a", "nmae": 1}"#).unwrap_err();
        assert_eq!(
            (e.status().as_u16(), e.body().field.as_deref()),
            (422, Some("nmae"))
        );
        let e = parse::<Body>(br#"{"name": "a", "name": "b"}"#).unwrap_err();
        assert_eq!(e.body().field.as_deref(), Some("name"), "{e}");
    }
}
