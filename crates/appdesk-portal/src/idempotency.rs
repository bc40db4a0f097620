//! Idempotency keys (draft-ietf-httpapi-idempotency-key-header) and the one
//! function every write goes through, [`run`].
//!
//! A write runs in one transaction that first takes a transaction-scoped
//! advisory lock on (workspace, key). If another request holds it, the first
//! one with this key is still running: 409. If the key has a stored answer, the
//! same request (same method, path, user and body bytes) gets that answer again
//! and changes nothing; another request gets 422. Otherwise the write runs and
//! its answer is stored in the same transaction as the change, so a crash leaves
//! either both or neither, and no lingering "running" state: the lock dies with
//! the session. Only successful answers are stored; a refused write changed
//! nothing, so its retry is simply decided again.
//!
//! Stored answers are sealed with the portal's key (a connect's answer holds a
//! client secret), bound to their workspace and key. Keys are kept 25 hours.

use appdesk_core::ErrorCode;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use deadpool_postgres::{Pool, Transaction};
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::cached;
use crate::error::AppError;
use crate::extract::single_header;
use crate::mutation::Mutation;
use crate::server::Portal;
use crate::store::{Loaded, persist};

const KEY_MAX: usize = 255;

/// The `Idempotency-Key` of a write: a quoted string (as the draft writes it)
/// or bare, 1–255 printable ASCII characters; with the sync client's
/// mutation, if it sent one ([`crate::mutation`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(pub String, pub Option<Mutation>);

impl IdempotencyKey {
    fn parse(text: &str) -> Option<IdempotencyKey> {
        let text = text.trim();
        let inner = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(text);
        let ok = !inner.is_empty()
            && inner.len() <= KEY_MAX
            && inner
                .bytes()
                .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\');
        ok.then(|| IdempotencyKey(inner.to_owned(), None))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let value = single_header(&parts.headers, "idempotency-key", || {
            AppError::malformed(
                Some("Idempotency-Key"),
                "send one Idempotency-Key header, not several",
            )
        })?
        .ok_or_else(|| {
            AppError::malformed(
                Some("Idempotency-Key"),
                "every write needs an Idempotency-Key header (e.g. a UUID)",
            )
        })?;
        let mut key = value
            .to_str()
            .ok()
            .and_then(IdempotencyKey::parse)
            .ok_or_else(|| {
                AppError::malformed(
                    Some("Idempotency-Key"),
                    format!("Idempotency-Key must be 1 to {KEY_MAX} printable ASCII characters"),
                )
            })?;
        key.1 = crate::mutation::of_write(&parts.headers)?;
        Ok(key)
    }
}

/// The answer of a write: what is sent, and what a replay sends again.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    /// The app's revision after the write, sent as `ETag`.
    pub etag: Option<i64>,
    pub body: serde_json::Value,
}

impl Reply {
    pub fn ok(status: StatusCode, revision: Option<i64>, body: impl serde::Serialize) -> Self {
        Reply {
            status,
            etag: revision,
            body: serde_json::to_value(body).unwrap_or_default(),
        }
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        if let Some(revision) = self.etag
            && let Ok(value) = HeaderValue::from_str(&format!("\"{revision}\""))
        {
            response.headers_mut().insert(header::ETAG, value);
        }
        response
    }
}

/// A write: decided and persisted inside the transaction [`run`] opens.
pub trait Write {
    fn apply(
        self,
        tx: &Transaction<'_>,
        portal: &Portal,
        caller: &Caller,
    ) -> impl Future<Output = Result<Written, AppError>> + Send;
}

/// What a write did: its answer, and the app whose changes [`run`] publishes
/// to the feed (last, just before the commit), so no write can forget to.
#[derive(Debug)]
pub struct Written {
    pub reply: Reply,
    pub app: Option<Loaded>,
}

/// What identifies a request for its key: method, path, user and body.
#[derive(Debug)]
pub struct Fingerprint(Vec<u8>);

impl Fingerprint {
    pub fn new(method: &str, path: &str, caller: &Caller, body: &[u8]) -> Fingerprint {
        let mut hash = Sha256::new();
        for part in [method.as_bytes(), path.as_bytes(), caller.user.as_bytes()] {
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part);
        }
        hash.update(body);
        Fingerprint(hash.finalize().to_vec())
    }
}

/// Runs `write` once per idempotency key; see the module docs.
pub async fn run<W: Write>(
    portal: &Portal,
    caller: &Caller,
    key: &IdempotencyKey,
    fingerprint: Fingerprint,
    write: W,
) -> Result<Response, AppError> {
    let mut client = portal.pool.get().await?;
    let tx = client.transaction().await?;
    let scope = format!("{}/{}", caller.workspace, key.0);
    let locked: bool = cached::query_one(
        &tx,
        "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))",
        &[&scope],
    )
    .await?
    .get(0);
    if !locked {
        return Err(AppError::http(
            StatusCode::CONFLICT,
            ErrorCode::InProgress,
            Some("Idempotency-Key"),
            "a request with this Idempotency-Key is still running; retry later",
        ));
    }
    let stored = cached::query_opt(
        &tx,
        "SELECT fingerprint, status, etag, body FROM idempotency \
             WHERE workspace_id = $1 AND key = $2",
        &[&caller.workspace, &key.0],
    )
    .await?;
    if let Some(row) = stored {
        let first: Vec<u8> = row.get(0);
        if first != fingerprint.0 {
            return Err(AppError::http(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::IdempotencyKeyReused,
                Some("Idempotency-Key"),
                "this Idempotency-Key was used for another request; use a new key",
            ));
        }
        let status: i16 = row.get(1);
        let etag: Option<String> = row.get(2);
        let sealed: Vec<u8> = row.get(3);
        let body = portal.key.open(&sealed, &scope)?;
        let reply = Reply {
            status: StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK),
            etag: etag.and_then(|e| e.parse().ok()),
            body: serde_json::from_str(&body)
                .map_err(|e| AppError::Internal(format!("stored answer: {e}")))?,
        };
        let mut response = reply.into_response();
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
        return Ok(response);
    }
    crate::mutation::begin(&tx, &key.1).await?;
    let Written { reply, app } = write.apply(&tx, portal, caller).await?;
    if let Some(app) = &app {
        persist::publish(&tx, &caller.workspace, app).await?;
    }
    let sealed = portal.key.seal(&reply.body.to_string(), &scope)?;
    cached::execute(
        &tx,
        "INSERT INTO idempotency (workspace_id, key, fingerprint, status, etag, body) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &caller.workspace,
            &key.0,
            &fingerprint.0,
            &(reply.status.as_u16() as i16),
            &reply.etag.map(|r| r.to_string()),
            &sealed,
        ],
    )
    .await?;
    let app_id = app.as_ref().map(|a| a.state.id.as_str());
    let noted = crate::audit::record_in(&tx, caller, app_id).await?;
    tx.commit().await?;
    noted.committed();
    Ok(reply.into_response())
}

/// Forgets keys older than 25 hours (they are promised for at least 24).
pub async fn purge(pool: &Pool) -> Result<u64, AppError> {
    let client = pool.get().await?;
    Ok(client
        .execute(
            "DELETE FROM idempotency WHERE created_at < now() - interval '25 hours'",
            &[],
        )
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_quoted_or_bare_printable_ascii() {
        assert_eq!(
            IdempotencyKey::parse("\"abc\""),
            Some(IdempotencyKey("abc".into(), None))
        );
        assert_eq!(
            IdempotencyKey::parse("abc-1"),
            Some(IdempotencyKey("abc-1".into(), None))
        );
        assert_eq!(IdempotencyKey::parse(""), None);
        assert_eq!(IdempotencyKey::parse("\"\""), None);
        assert_eq!(IdempotencyKey::parse("a\u{7f}b"), None);
        assert_eq!(IdempotencyKey::parse(&"k".repeat(256)), None);
    }

    #[test]
    fn the_fingerprint_separates_its_parts() {
        let caller = Caller {
            workspace: uuid::Uuid::nil(),
            user: "ann".into(),
            tenant_admin: vec![],
            role: crate::role::Role::Editor,
        };
        let a = Fingerprint::new("POST", "/v1/apps", &caller, b"{}");
        let b = Fingerprint::new("POST", "/v1/apps", &caller, b"{ }");
        let c = Fingerprint::new("POST", "/v1/app", &caller, b"s{}");
        assert_ne!(a.0, b.0);
        assert_ne!(a.0, c.0);
        assert_eq!(a.0, Fingerprint::new("POST", "/v1/apps", &caller, b"{}").0);
    }
}
