//! `GET /v1/audit` (issue 22 §3): a page of the audit log of the token's
//! workspace, for its owners only.

use appdesk_protocol::AuditPage;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::audit;
use crate::auth::Caller;
use crate::error::AppError;
use crate::extract::QueryParams;
use crate::server::Shared;

/// Entries on a page unless `limit` says otherwise, and at most.
const LIMIT_DEFAULT: i64 = 100;
const LIMIT_MAX: i64 = 1000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Entries at or after this moment (RFC 3339).
    pub since: Option<String>,
    /// At most this many entries (1–1000, default 100).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// The audit log of the token's workspace, oldest first (owners only).
#[utoipa::path(get, path = "/v1/audit", params(AuditQuery), security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of entries: {at, actor, action, target, outcome, \
         ip}; never a token, a secret or a body", body = AuditPage),
        (status = 400, description = "A since, limit or cursor that is not valid, named",
         body = appdesk_protocol::ErrorBody),
        (status = 401, description = "No valid token", body = appdesk_protocol::ErrorBody),
        (status = 403, description = "Not an owner's token (the answer names its role), or a \
         tenant admin's", body = appdesk_protocol::ErrorBody),
    ))]
pub async fn read_audit(
    State(portal): State<Shared>,
    caller: Caller,
    QueryParams(query): QueryParams<AuditQuery>,
) -> Result<Json<AuditPage>, AppError> {
    caller.role.require_owner("reads the audit log")?;
    let since = query
        .since
        .as_deref()
        .map(|s| audit::since_of(s, "since"))
        .transpose()?;
    let limit = query.limit.unwrap_or(LIMIT_DEFAULT);
    if !(1..=LIMIT_MAX).contains(&limit) {
        return Err(AppError::malformed(
            Some("limit"),
            format!("limit must be 1 to {LIMIT_MAX}"),
        ));
    }
    let after = match query.cursor.as_deref() {
        None | Some("") => 0,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| AppError::malformed(Some("cursor"), "not a cursor of the audit log"))?,
    };
    let client = portal.pool.get().await?;
    let mut page = audit::entries(
        &client,
        Some(caller.workspace),
        since.as_deref(),
        after,
        limit + 1,
    )
    .await?;
    let more = page.len() as i64 > limit;
    page.truncate(limit as usize);
    let next = more
        .then(|| page.last().map(|(seq, _)| seq.to_string()))
        .flatten();
    Ok(Json(AuditPage {
        entries: page.into_iter().map(|(_, e)| e).collect(),
        next,
    }))
}
