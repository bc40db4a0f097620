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
use crate::paging::{self, PageQuery};
use crate::server::Shared;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Entries at or after this moment (RFC 3339).
    pub since: Option<String>,
    /// At most this many entries (1–1000, default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
    /// The `nextCursor` of the previous page; absent for the first page.
    pub cursor: Option<String>,
}

/// The audit log of the token's workspace, oldest first, paged (owners only).
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
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .page(1)?;
    let after = match page.after.as_deref() {
        None => 0,
        Some([seq]) => seq
            .parse::<i64>()
            .map_err(|_| AppError::malformed(Some("cursor"), "not a cursor of the audit log"))?,
        Some(_) => {
            return Err(AppError::malformed(
                Some("cursor"),
                "not a cursor of the audit log",
            ));
        }
    };
    let client = portal.pool.get().await?;
    let entries = audit::entries(
        &client,
        Some(caller.workspace),
        since.as_deref(),
        after,
        page.limit + 1,
    )
    .await?;
    let keyed = entries
        .into_iter()
        .map(|(seq, entry)| (entry, vec![seq.to_string()]))
        .collect();
    let (entries, next_cursor) = paging::split(keyed, &page);
    Ok(Json(AuditPage {
        entries,
        next_cursor,
    }))
}
