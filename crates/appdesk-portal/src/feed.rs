//! The change feed: every change to a workspace's apps and connections, in
//! commit order as readers can observe it, as full snapshots and tombstones.
//!
//! A position is `(xid, seq)`: the writing transaction's id (`xid8`, never
//! wrapping) and the row's number. A sequence alone cannot be a cursor: its
//! values are drawn before commit, so a reader could page past a value whose
//! transaction commits later. Transaction ids are drawn before commit too, but
//! a reader only returns rows whose xid is below the oldest transaction still
//! running (`pg_snapshot_xmin` of its own snapshot). Every such transaction
//! has ended, so its rows are all visible, and every transaction that can
//! still commit has an xid at or above that bound: it lands after any page
//! already read. Writers do not wait on each other for the feed (no counter
//! row to lock), so concurrent commits share their WAL flushes. The price: a
//! long-running transaction anywhere in the cluster delays (never loses) what
//! readers see; a read that would return nothing while committed changes are
//! held back waits a moment (250 ms) for them, so a client polling right after
//! its write usually sees it.
//!
//! Retention: [`prune`] deletes changes older than a cutoff and raises the
//! workspace's floor; a cursor below the floor, or beyond any transaction id
//! the cluster has issued (a cursor from another database, or from before a
//! restore), gets 410: the client lists everything again.

use appdesk_core::ErrorCode;
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

/// Appends `bodies` (each `{type, appId, …snapshot}`) to the workspace's feed,
/// in this order, at the writing transaction's position.
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
        "INSERT INTO changes (workspace_id, app_id, body)
         SELECT $1, $2, b.body FROM unnest($3::jsonb[]) WITH ORDINALITY AS b (body, ord)
         ORDER BY b.ord",
        &[workspace, &app_id, &bodies],
    )
    .await?;
    Ok(())
}

/// A position in the feed: `xid.seq` as text (`0.0` is the beginning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    pub xid: u64,
    pub seq: i64,
}

impl Cursor {
    pub const START: Cursor = Cursor { xid: 0, seq: 0 };

    pub fn parse(text: &str) -> Option<Cursor> {
        let (xid, seq) = text.split_once('.')?;
        let digits =
            |s: &str| !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(xid) || !digits(seq) {
            return None;
        }
        Some(Cursor {
            xid: xid.parse().ok()?,
            seq: seq.parse().ok()?,
        })
    }

    /// From the text forms PostgreSQL returns for an `xid8` and a `bigint`.
    fn from_row(xid: &str, seq: i64) -> Result<Cursor, AppError> {
        let xid = xid
            .parse()
            .map_err(|_| AppError::Internal(format!("a feed position {xid:?} is not a number")))?;
        Ok(Cursor { xid, seq })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.xid, self.seq)
    }
}

/// The cursor that follows on from everything visible in the current
/// snapshot (for a listing taken in the same REPEATABLE READ transaction):
/// every transaction below the snapshot's xmin is in it.
pub async fn snapshot_cursor(tx: &Transaction<'_>) -> Result<String, AppError> {
    let row = cached::query_one(
        tx,
        "SELECT pg_snapshot_xmin(pg_current_snapshot())::text",
        &[],
    )
    .await?;
    let xmin: String = row.get(0);
    Ok(Cursor::from_row(&xmin, 0)?.to_string())
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
        None | Some("") => Cursor::START,
        Some(text) => Cursor::parse(text)
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
    let mut page = read_page(&client, &caller.workspace, since, limit).await?;
    if since < page.floor || since.xid > page.issued {
        return Err(AppError::http(
            StatusCode::GONE,
            ErrorCode::Gone,
            Some("since"),
            format!(
                "cursor {since} is before what the feed keeps ({}) or was never issued \
                 here; list every app again",
                page.floor
            ),
        ));
    }
    // Nothing to return, yet committed changes are held back by a transaction
    // still running elsewhere (another writer, an autovacuum ANALYZE, anything
    // in the cluster): wait a moment for it, so a client polling right after
    // its write reads it; never long, the next poll gets them anyway. A page
    // with changes returns at once, so a bulk reader is not slowed.
    let deadline = tokio::time::Instant::now() + HOLD_WAIT;
    while page.held && page.changes.is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(HOLD_STEP).await;
        page = read_page(&client, &caller.workspace, since, limit).await?;
    }
    Ok(Json(serde_json::json!({
        "changes": page.changes,
        "next": page.next.to_string(),
    })))
}

/// How long a read waits at most for changes held back by a running
/// transaction, and how often it looks again.
const HOLD_WAIT: std::time::Duration = std::time::Duration::from_millis(250);
const HOLD_STEP: std::time::Duration = std::time::Duration::from_millis(10);

struct Page {
    floor: Cursor,
    /// The next transaction id the cluster will issue.
    issued: u64,
    changes: Vec<serde_json::Value>,
    next: Cursor,
    /// Whether committed changes after `next` are held back (see above).
    held: bool,
}

/// One statement, so one snapshot: the floor, the bound, the page and what is
/// held back agree even while a prune or a writer commits.
async fn read_page(
    client: &impl deadpool_postgres::GenericClient,
    workspace: &uuid::Uuid,
    since: Cursor,
    limit: i64,
) -> Result<Page, AppError> {
    let rows = cached::query(
        client,
        "SELECT w.feed_floor_xid::text, w.feed_floor_seq,
                pg_snapshot_xmax(pg_current_snapshot())::text, hb.held,
                c.xid::text, c.seq, c.body
         FROM workspaces w
         -- Anything committed at or above the bound (always after the cursor,
         -- which is below it). OFFSET 0 keeps it one evaluation per read: pulled
         -- up, it ran once per row of the page (0.4 s a page of 1000).
         CROSS JOIN LATERAL (
             SELECT EXISTS (SELECT 1 FROM changes h
                            WHERE h.workspace_id = w.id
                              AND h.xid >= pg_snapshot_xmin(pg_current_snapshot())) AS held
             OFFSET 0
         ) hb
         LEFT JOIN LATERAL (
             SELECT xid, seq, body FROM changes
             WHERE workspace_id = w.id
               AND (xid, seq) > ($2::text::xid8, $3::bigint)
               AND xid < pg_snapshot_xmin(pg_current_snapshot())
             ORDER BY xid, seq LIMIT $4
         ) c ON true
         WHERE w.id = $1
         ORDER BY c.xid, c.seq",
        &[workspace, &since.xid.to_string(), &since.seq, &limit],
    )
    .await?;
    let first = rows
        .first()
        .ok_or_else(|| AppError::unauthorized("the token's workspace is gone"))?;
    let mut page = Page {
        floor: Cursor::from_row(first.get(0), first.get(1))?,
        issued: Cursor::from_row(first.get(2), 0)?.xid,
        held: first.get(3),
        changes: Vec::with_capacity(rows.len()),
        next: since,
    };
    for row in &rows {
        if let Some(xid) = row.get::<_, Option<&str>>(4) {
            page.next = Cursor::from_row(xid, row.get(5))?;
            page.changes.push(row.get::<_, serde_json::Value>(6));
        }
    }
    Ok(page)
}

/// Forgets feed positions that this cluster did not issue. They are
/// transaction ids, so a database restored (pg_dump) into another cluster
/// carries positions beyond its transaction counter, which readers would hold
/// back until the counter caught up. Then the feed starts over: every old
/// cursor is beyond what the cluster issued (410, list again), or is read on
/// from. Returns whether it did.
pub async fn adopt_cluster(pool: &deadpool_postgres::Pool) -> Result<bool, AppError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let foreign: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM changes
                            WHERE xid >= pg_snapshot_xmax(pg_current_snapshot()))
                 OR EXISTS (SELECT 1 FROM workspaces
                            WHERE feed_floor_xid >= pg_snapshot_xmax(pg_current_snapshot()))",
            &[],
        )
        .await?
        .get(0);
    if foreign {
        tx.batch_execute(
            "DELETE FROM changes;
             UPDATE workspaces SET feed_floor_xid = '0', feed_floor_seq = 0;",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(foreign)
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
) -> Result<String, AppError> {
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
                ErrorCode::NotFound,
                Some("workspace"),
                format!("no workspace named {workspace:?}"),
            )
        })?;
    let id: uuid::Uuid = row.get(0);
    tx.execute(
        "WITH gone AS (
             DELETE FROM changes WHERE workspace_id = $1
                 AND created_at < now() - make_interval(secs => $2)
             RETURNING xid, seq
         ), top AS (
             SELECT xid, seq FROM gone ORDER BY xid DESC, seq DESC LIMIT 1
         )
         UPDATE workspaces w SET feed_floor_xid = top.xid, feed_floor_seq = top.seq
         FROM top
         WHERE w.id = $1 AND (top.xid, top.seq) > (w.feed_floor_xid, w.feed_floor_seq)",
        &[&id, &seconds],
    )
    .await?;
    let floor = tx
        .query_one(
            "SELECT feed_floor_xid::text, feed_floor_seq FROM workspaces WHERE id = $1",
            &[&id],
        )
        .await?;
    let floor = Cursor::from_row(floor.get(0), floor.get(1))?;
    tx.commit().await?;
    Ok(floor.to_string())
}

#[cfg(test)]
mod tests {
    use super::Cursor;

    #[test]
    fn cursors_order_by_transaction_then_row_and_round_trip_as_text() {
        let a = Cursor::parse("7.30").unwrap();
        let b = Cursor::parse("8.2").unwrap();
        assert!(
            a < b,
            "a later transaction comes after, whatever its row number"
        );
        assert!(Cursor::START < a);
        assert_eq!(a.to_string(), "7.30");
        for bad in [
            "",
            "7",
            "7.",
            ".3",
            "-1.2",
            "1.-2",
            "a.b",
            "1.2.3",
            "99999999999999999999999.1",
        ] {
            assert_eq!(Cursor::parse(bad), None, "{bad:?}");
        }
    }
}
