//! Reading the audit log: a page of it (`GET /v1/audit`) and the export
//! (`audit export`). It writes nothing.

use deadpool_postgres::GenericClient;

use crate::error::AppError;

/// A moment given as `since`: RFC 3339; anything else is 400 naming `field`.
pub fn since_of(text: &str, field: &str) -> Result<String, AppError> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.to_rfc3339())
        .map_err(|e| {
            AppError::malformed(
                Some(field),
                format!("{text:?} is not an RFC 3339 time (e.g. 2026-01-31T00:00:00Z): {e}"),
            )
        })
}

/// Entries oldest first: of `workspace` (every one when `None`), at or
/// after `since` (RFC 3339, checked by [`since_of`]), after the entry
/// numbered `after`, at most `limit`; with each entry's number.
pub async fn entries(
    client: &impl GenericClient,
    workspace: Option<uuid::Uuid>,
    since: Option<&str>,
    after: i64,
    limit: i64,
) -> Result<Vec<(i64, appdesk_protocol::AuditEntry)>, AppError> {
    let rows = crate::cached::query(
        client,
        "SELECT seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS at, \
                actor, action, target, outcome, ip FROM audit \
          WHERE ($1::uuid IS NULL OR workspace_id = $1) \
            AND ($2::text IS NULL OR at >= $2::text::timestamptz) AND seq > $3 \
          ORDER BY seq LIMIT $4",
        &[&workspace, &since, &after, &limit],
    )
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("seq")?,
                appdesk_protocol::AuditEntry {
                    at: row.try_get("at")?,
                    actor: row.try_get("actor")?,
                    action: row.try_get("action")?,
                    target: row.try_get("target")?,
                    outcome: row.try_get("outcome")?,
                    ip: row.try_get("ip")?,
                },
            ))
        })
        .collect()
}

/// `audit export`: every entry (of the workspace named `workspace`, since
/// `since`) as JSON lines, oldest first, written to `out` a page at a time.
pub async fn export(
    pool: &deadpool_postgres::Pool,
    since: Option<&str>,
    workspace: Option<&str>,
    out: &mut impl std::io::Write,
) -> Result<(), AppError> {
    let since = since.map(|s| since_of(s, "since")).transpose()?;
    let client = pool.get().await?;
    let workspace = match workspace {
        Some(name) => Some(crate::admin::workspace_named(&client, name).await?),
        None => None,
    };
    let mut after = 0;
    loop {
        let page = entries(&client, workspace, since.as_deref(), after, 1000).await?;
        let Some((last, _)) = page.last() else {
            return Ok(());
        };
        after = *last;
        for (_, entry) in &page {
            let line = serde_json::to_string(entry)
                .map_err(|e| AppError::Internal(format!("an audit entry as JSON: {e}")))?;
            writeln!(out, "{line}")
                .map_err(|e| AppError::setup(format!("writing the export: {e}")))?;
        }
    }
}
