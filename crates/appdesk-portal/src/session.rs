//! The web console's sessions: a bearer token exchanged for a cookie
//! (`POST /auth/session`), ended by `DELETE /auth/session`, by 12 hours
//! without use, or by revoking the token it came from.
//!
//! The cookie value is 32 random bytes (base64url); only its SHA-256 is
//! stored (table `sessions`), so the database can check a cookie but never
//! hand one out. The browser keeps the cookie (`HttpOnly`: no script reads
//! it; `SameSite=Strict`; `Secure` behind https) and never the token.
//!
//! This module does not decide who may do what: a session speaks for its
//! token, whose principal [`crate::auth`] builds.

use appdesk_protocol::SignIn;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{CACHE_CONTROL, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use deadpool_postgres::GenericClient;
use sha2::{Digest, Sha256};

use crate::auth::{self, Principal};
use crate::cached;
use crate::error::AppError;
use crate::extract::JsonBody;
use crate::log::Who;
use crate::origin;
use crate::server::Shared;

/// The cookie's name.
pub const COOKIE_NAME: &str = "appdesk_session";

/// Random bytes in a cookie value.
const COOKIE_BYTES: usize = 32;

/// The length of a cookie value: 32 bytes in unpadded base64url.
const COOKIE_LEN: usize = 43;

/// A new cookie value and the hash that is stored of it.
fn new_cookie() -> Result<(String, Vec<u8>), AppError> {
    let mut bytes = [0u8; COOKIE_BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Internal(format!("OS random source: {e}")))?;
    let value = base64url(&bytes);
    let hash = Sha256::digest(value.as_bytes()).to_vec();
    Ok((value, hash))
}

/// Unpadded base64url (RFC 4648 §5).
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// The session cookie the request carries: `Ok(None)` without one; 401 for
/// two of them or one that cannot be a cookie this portal set.
pub fn presented(headers: &HeaderMap) -> Result<Option<&str>, AppError> {
    let mut found = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.trim());
    let value = match (found.next(), found.next()) {
        (None, _) => return Ok(None),
        (Some(value), None) => value,
        (Some(_), Some(_)) => return Err(signed_out()),
    };
    let well_formed = value.len() == COOKIE_LEN
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if well_formed {
        Ok(Some(value))
    } else {
        Err(signed_out())
    }
}

/// The answer to a cookie that opens no session (unknown, ended, idle, or
/// its token revoked): one answer for all.
fn signed_out() -> AppError {
    AppError::unauthorized(
        "the session has ended (signed out, idle for 12 hours, or its token was revoked); sign in again",
    )
}

/// The principal of the session `cookie`: refreshes its last use (at most
/// once a minute), and ends it (401) when unused for 12 hours or when its
/// token was revoked.
pub async fn principal(client: &impl GenericClient, cookie: &str) -> Result<Principal, AppError> {
    let hash = Sha256::digest(cookie.as_bytes()).to_vec();
    // The idle limit (12 hours) and the refresh step (1 minute) are here,
    // in the database's clock, the one that wrote last_used_at.
    let row = cached::query_opt(
        client,
        "SELECT t.prefix, t.workspace_id, t.user_name, t.tenant_admin, t.role, \
                s.last_used_at < now() - interval '12 hours' AS idle, \
                s.last_used_at < now() - interval '1 minute' AS due \
           FROM sessions s JOIN tokens t ON t.prefix = s.token_prefix \
          WHERE s.hash = $1 AND t.revoked_at IS NULL",
        &[&hash],
    )
    .await?
    .ok_or_else(signed_out)?;
    if row.try_get::<_, bool>("idle")? {
        cached::execute(client, "DELETE FROM sessions WHERE hash = $1", &[&hash]).await?;
        return Err(signed_out());
    }
    if row.try_get::<_, bool>("due")? {
        cached::execute(
            client,
            "UPDATE sessions SET last_used_at = now() WHERE hash = $1",
            &[&hash],
        )
        .await?;
    }
    auth::principal_of(
        row.try_get("prefix")?,
        row.try_get("workspace_id")?,
        row.try_get("user_name")?,
        row.try_get("tenant_admin")?,
        row.try_get("role")?,
    )
}

/// `Set-Cookie` for a new session (`value`), or the one that ends it (`None`).
fn set_cookie(value: Option<&str>, secure: bool) -> Result<HeaderValue, AppError> {
    let mut text = match value {
        Some(value) => format!("{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Strict"),
        None => format!("{COOKIE_NAME}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict"),
    };
    if secure {
        text.push_str("; Secure");
    }
    HeaderValue::from_str(&text).map_err(|e| AppError::Internal(format!("Set-Cookie: {e}")))
}

/// 204 with a `Set-Cookie`, never cached.
fn no_content_with(cookie: HeaderValue) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(SET_COOKIE, cookie);
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A request whose `Origin` is the console's own (403 `cross_origin`
/// otherwise), checked before its body is read: signing in and out are the
/// console's alone, so no other site can sign a browser in or out.
#[derive(Debug)]
pub struct FromConsole;

impl FromRequestParts<Shared> for FromConsole {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, portal: &Shared) -> Result<Self, AppError> {
        origin::require_own(&parts.headers, portal.public_origin.as_deref())?;
        Ok(FromConsole)
    }
}

/// Sign in: the token in the body (never in a URL) becomes a session.
#[utoipa::path(post, path = "/auth/session", request_body = SignIn,
    responses(
        (status = 204, description = "Signed in: `Set-Cookie: appdesk_session=…; Path=/; \
         HttpOnly; SameSite=Strict` (`; Secure` behind https). Only the cookie's SHA-256 is \
         stored; the session ends after 12 hours unused, on sign-out, or when the token is \
         revoked"),
        (status = 400, description = "A body that is not JSON", body = appdesk_protocol::ErrorBody),
        (status = 401, description = "The token is not valid (unknown, malformed or revoked)",
         body = appdesk_protocol::ErrorBody),
        (status = 403, description = "`cross_origin`: the request's Origin is not the \
         console's own", body = appdesk_protocol::ErrorBody),
        (status = 413, description = "A body over 1 MiB", body = appdesk_protocol::ErrorBody),
        (status = 422, description = "A body of the wrong shape", body = appdesk_protocol::ErrorBody),
    ))]
pub async fn sign_in(
    State(portal): State<Shared>,
    _from: FromConsole,
    headers: HeaderMap,
    who: Option<axum::Extension<Who>>,
    body: JsonBody<SignIn>,
) -> Result<Response, AppError> {
    let client = portal.pool.get().await?;
    let (prefix, principal) = auth::by_token(&client, body.value.token.trim()).await?;
    if let Some(axum::Extension(who)) = who {
        auth::log_as(&who, &principal);
    }
    let (value, hash) = new_cookie()?;
    cached::execute(
        &client,
        "INSERT INTO sessions (hash, token_prefix) VALUES ($1, $2)",
        &[&hash, &prefix],
    )
    .await?;
    let secure = origin::is_https(&headers, portal.public_origin.as_deref());
    Ok(no_content_with(set_cookie(Some(&value), secure)?))
}

/// Sign out: the session ends (its row is deleted) and the browser is told
/// to forget the cookie. Without a session it only does the latter.
#[utoipa::path(delete, path = "/auth/session",
    responses(
        (status = 204, description = "Signed out: the session's row is deleted and \
         `Set-Cookie: appdesk_session=; Max-Age=0; …` clears the cookie"),
        (status = 401, description = "A malformed or repeated session cookie",
         body = appdesk_protocol::ErrorBody),
        (status = 403, description = "`cross_origin`: the request's Origin is not the \
         console's own", body = appdesk_protocol::ErrorBody),
    ))]
pub async fn sign_out(
    State(portal): State<Shared>,
    _from: FromConsole,
    headers: HeaderMap,
    who: Option<axum::Extension<Who>>,
) -> Result<Response, AppError> {
    if let Some(cookie) = presented(&headers)? {
        let hash = Sha256::digest(cookie.as_bytes()).to_vec();
        let client = portal.pool.get().await?;
        // Who signs out, for the request log and the audit log.
        if let (Some(axum::Extension(who)), Ok(principal)) = (who, principal(&client, cookie).await)
        {
            auth::log_as(&who, &principal);
        }
        cached::execute(&client, "DELETE FROM sessions WHERE hash = $1", &[&hash]).await?;
    }
    let secure = origin::is_https(&headers, portal.public_origin.as_deref());
    Ok(no_content_with(set_cookie(None, secure)?))
}

/// Deletes the sessions unused for 12 hours that nobody presented since
/// (a presented one is deleted at once): hourly, from `server::maintain`.
pub async fn purge_idle(pool: &deadpool_postgres::Pool) -> Result<u64, AppError> {
    let client = pool.get().await?;
    cached::execute(
        &client,
        "DELETE FROM sessions WHERE last_used_at < now() - interval '12 hours'",
        &[],
    )
    .await
}

/// Ends every session of the token `prefix` (`token revoke`).
pub async fn end_all_of(client: &impl GenericClient, prefix: &str) -> Result<u64, AppError> {
    cached::execute(
        client,
        "DELETE FROM sessions WHERE token_prefix = $1",
        &[&prefix],
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_rfc_4648_vectors() {
        // RFC 4648 §10, unpadded, and bytes that use both URL-safe characters.
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"fooba", "Zm9vYmE"),
            (b"foobar", "Zm9vYmFy"),
            (&[0xfb, 0xff, 0xbf], "-_-_"),
        ] {
            assert_eq!(base64url(bytes), text);
        }
    }

    #[test]
    fn a_new_cookie_is_43_characters_and_only_its_hash_is_kept() {
        let (value, hash) = new_cookie().unwrap();
        let mut map = HeaderMap::new();
        let header = format!("theme=dark; {COOKIE_NAME}={value}");
        map.insert(COOKIE, HeaderValue::from_str(&header).unwrap());
        assert_eq!(presented(&map).unwrap(), Some(value.as_str()));
        assert_eq!(hash, Sha256::digest(value.as_bytes()).to_vec());
        assert_ne!(new_cookie().unwrap().0, value);
    }

    #[test]
    fn two_session_cookies_or_a_malformed_one_are_refused() {
        let (a, _) = new_cookie().unwrap();
        let (b, _) = new_cookie().unwrap();
        for header in [
            format!("{COOKIE_NAME}={a}; {COOKIE_NAME}={b}"),
            format!("{COOKIE_NAME}=short"),
            format!("{COOKIE_NAME}={}+", "a".repeat(42)),
        ] {
            let mut map = HeaderMap::new();
            map.insert(COOKIE, HeaderValue::from_str(&header).unwrap());
            assert!(presented(&map).is_err(), "{header}");
        }
        assert_eq!(presented(&HeaderMap::new()).unwrap(), None);
    }
}
