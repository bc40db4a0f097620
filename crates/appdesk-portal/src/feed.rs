//! The change feed: every change to a workspace's apps and connections, in the
//! order they committed, as full snapshots and tombstones.
//!
//! Positions come from the workspace's `feed_seq` counter, bumped by the last
//! statement of each writing transaction ([`append`]). The row lock that bump
//! takes serialises the commits of one workspace's writers, so a position is
//! visible only once every smaller one is: a reader that has seen position N can
//! never later find a change committed at a position below N. (A sequence
//! column could not promise this: its values are drawn before commit.) The lock
//! is held only from that last statement to the commit.
//!
//! Retention: [`prune`] deletes changes older than a cutoff and raises the
//! workspace's `feed_floor`; a cursor below the floor, or beyond the newest
//! position (a cursor from another database, or from before a restore), gets
//! 410: the client lists everything again.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use deadpool_postgres::Transaction;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::cached;
use crate::error::AppError;
use crate::server::Shared;

const LIMIT_DEFAULT: i64 = 500;
const LIMIT_MAX: i64 = 5000;

/// Appends `bodies` (each `{type, appId, …snapshot}`) at the next positions of
/// the workspace's feed. Call it last in the writing transaction.
pub async fn append(
    tx: &Transaction<'_>,
    workspace: &uuid::Uuid,
    app_id: &str,
    bodies: Vec<serde_json::Value>,
) -> Result<(), AppError> {
    if bodies.is_empty() {
        return Ok(());
    }
    cached::execute(
        tx,
        "WITH bumped AS (
             UPDATE workspaces SET feed_seq = feed_seq + cardinality($3::jsonb[])
             WHERE id = $1 RETURNING feed_seq
         )
         INSERT INTO changes (workspace_id, seq, app_id, body)
         SELECT $1, bumped.feed_seq - cardinality($3::jsonb[]) + b.ord, $2, b.body
         FROM bumped, unnest($3::jsonb[]) WITH ORDINALITY AS b (body, ord)",
        &[workspace, &app_id, &bodies],
    )
    .await?;
    Ok(())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// The `next` of the previous page; absent for the beginning.
    pub since: Option<String>,
    /// At most this many changes (1–5000, default 500).
    pub limit: Option<i64>,
}

/// A page of the change feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangesPage {
    /// Oldest first. Each is `{type: "app" | "connection" | "deleted", appId, …}`
    /// with the app's or connection's full snapshot (none for `deleted`).
    pub changes: Vec<Change>,
    /// The cursor for the next page (the same as `since` when nothing is new).
    pub next: String,
}

/// One change: its kind, the app it is about, and the snapshot's fields.
#[derive(Debug, Serialize, ToSchema)]
pub struct Change {
    #[serde(rename = "type")]
    #[schema(inline)]
    pub kind: ChangeKind,
    #[serde(rename = "appId")]
    pub app_id: String,
    /// The snapshot's fields: an app's, or a connection's.
    #[serde(flatten)]
    pub snapshot: std::collections::HashMap<String, serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    App,
    Connection,
    Deleted,
}

/// The change feed, oldest first.
#[utoipa::path(
    get,
    path = "/v1/changes",
    params(ChangesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of changes", body = ChangesPage),
        (status = 400, description = "A malformed cursor or limit", body = crate::openapi::ErrorDoc),
        (status = 401, description = "No valid token", body = crate::openapi::ErrorDoc),
        (status = 410, description = "The cursor is older than what is kept: list everything again", body = crate::openapi::ErrorDoc),
    )
)]
pub async fn changes(
    State(portal): State<Shared>,
    caller: Caller,
    Query(query): Query<ChangesQuery>,
) -> Result<Json<serde_json::Value>, AppError> {
    let since = match query.since.as_deref() {
        None | Some("") => 0,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| AppError::malformed(Some("since"), "not a cursor of this feed"))?,
    };
    let limit = query.limit.unwrap_or(LIMIT_DEFAULT);
    if !(1..=LIMIT_MAX).contains(&limit) {
        return Err(AppError::malformed(
            Some("limit"),
            format!("limit must be 1 to {LIMIT_MAX}"),
        ));
    }
    let client = portal.pool.get().await?;
    // One statement, so one snapshot: the floor, the newest position and the
    // page agree even while a prune or a writer commits.
    let rows = cached::query(
        &client,
        "SELECT w.feed_floor, w.feed_seq, c.seq, c.body
             FROM workspaces w
             LEFT JOIN LATERAL (
                 SELECT seq, body FROM changes
                 WHERE workspace_id = w.id AND seq > $2 ORDER BY seq LIMIT $3
             ) c ON true
             WHERE w.id = $1
             ORDER BY c.seq",
        &[&caller.workspace, &since, &limit],
    )
    .await?;
    let first = rows
        .first()
        .ok_or_else(|| AppError::unauthorized("the token's workspace is gone"))?;
    let (floor, newest): (i64, i64) = (first.get(0), first.get(1));
    if since < floor || since > newest {
        return Err(AppError::http(
            StatusCode::GONE,
            "gone",
            Some("since"),
            format!(
                "the feed keeps positions {floor} to {newest}; cursor {since} is outside it, \
                 list every app again"
            ),
        ));
    }
    let mut next = since;
    let mut changes = Vec::with_capacity(rows.len());
    for row in &rows {
        if let Some(seq) = row.get::<_, Option<i64>>(2) {
            next = seq;
            changes.push(row.get::<_, serde_json::Value>(3));
        }
    }
    Ok(Json(
        serde_json::json!({ "changes": changes, "next": next.to_string() }),
    ))
}

/// [`prune`] for every workspace.
pub async fn prune_all(
    pool: &deadpool_postgres::Pool,
    age: std::time::Duration,
) -> Result<(), AppError> {
    let names: Vec<String> = {
        let client = pool.get().await?;
        let rows = client.query("SELECT name FROM workspaces", &[]).await?;
        rows.iter().map(|r| r.get(0)).collect()
    };
    for name in names {
        prune(pool, &name, age).await?;
    }
    Ok(())
}

/// Deletes the workspace's changes older than `age` and raises its floor to
/// the newest deleted position; returns the floor.
pub async fn prune(
    pool: &deadpool_postgres::Pool,
    workspace: &str,
    age: std::time::Duration,
) -> Result<i64, AppError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let seconds = age.as_secs_f64();
    let row = tx
        .query_opt(
            "SELECT id FROM workspaces WHERE name = $1 FOR UPDATE",
            &[&workspace],
        )
        .await?
        .ok_or_else(|| {
            AppError::http(
                StatusCode::NOT_FOUND,
                "not_found",
                Some("workspace"),
                format!("no workspace named {workspace:?}"),
            )
        })?;
    let id: uuid::Uuid = row.get(0);
    let floor: i64 = tx
        .query_one(
            "WITH gone AS (
                 DELETE FROM changes WHERE workspace_id = $1
                     AND created_at < now() - make_interval(secs => $2)
                 RETURNING seq
             )
             UPDATE workspaces SET feed_floor = greatest(feed_floor, (SELECT max(seq) FROM gone))
             WHERE id = $1 RETURNING feed_floor",
            &[&id, &seconds],
        )
        .await?
        .get(0);
    tx.commit().await?;
    Ok(floor)
}
