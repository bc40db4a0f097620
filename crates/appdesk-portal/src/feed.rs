//! The change feed: every change to a workspace's apps and connections, in
//! commit order as readers can observe it, as full snapshots and tombstones.
//!
//! A position is `(epoch, xid, seq)`: the feed's epoch, the writing
//! transaction's id (`xid8`, never wrapping) and the row's number. A sequence alone cannot be a cursor: its
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
//! Epochs: transaction ids belong to a cluster. A database restored (pg_dump)
//! into another cluster carries ids that may be ahead of the new counter, and
//! its new ids may sort before the old ones. When the portal sees that the
//! stored positions were not issued here ([`adopt_cluster`]: another system
//! identifier, or ids ahead of the counter), it starts a new epoch: every older
//! position sorts before every new one, older epochs' changes are all committed
//! (nothing of theirs is held back), and a cursor from an older epoch reads on.
//!
//! Retention: [`prune`] deletes changes older than a cutoff and raises the
//! workspace's floor; a cursor below the floor, from an epoch not begun, or
//! beyond any transaction id the cluster has issued in the current epoch (a
//! cursor from another database), gets 410: the client lists everything again.

use appdesk_core::ErrorCode;
use appdesk_protocol::Change as FeedEntry;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use deadpool_postgres::Transaction;
use serde::Deserialize;
use tokio_postgres::types::Json as Jsonb;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::cached;
use crate::error::AppError;
use crate::extract::QueryParams;
use crate::mutation::ClientId;
use crate::server::Shared;

mod upkeep;
pub use upkeep::{adopt_cluster, prune, prune_all};

const LIMIT_DEFAULT: i64 = 500;
const LIMIT_MAX: i64 = 5000;

/// Appends `entries` to the workspace's feed, in this order, at the writing
/// transaction's position. Only a typed [`FeedEntry`] can be stored, so every
/// stored entry is one a client reads with the same type.
pub async fn append(
    tx: &Transaction<'_>,
    workspace: &uuid::Uuid,
    app_id: &str,
    entries: &[FeedEntry],
) -> Result<(), AppError> {
    if entries.is_empty() {
        return Ok(());
    }
    let bodies: Vec<Jsonb<&FeedEntry>> = entries.iter().map(Jsonb).collect();
    // The write's mutation (crate::mutation::begin), if it has one, marks
    // the entries and is recorded as its client's last on this app.
    cached::execute(
        tx,
        "INSERT INTO changes (workspace_id, epoch, app_id, body, client_id, mutation_id)
         SELECT $1, (SELECT epoch FROM feed_epoch), $2, b.body,
                nullif(current_setting('appdesk.client_id', true), ''),
                nullif(current_setting('appdesk.mutation_id', true), '')::bigint
         FROM unnest($3::jsonb[]) WITH ORDINALITY AS b (body, ord)
         ORDER BY b.ord",
        &[workspace, &app_id, &bodies],
    )
    .await?;
    crate::mutation::record(tx, workspace, app_id).await
}

/// A position in the feed: `epoch.xid.seq` as text (`0.0.0` is the
/// beginning). The `xid.seq` cursors issued before epochs existed are read as
/// epoch 0, which is what they were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    pub epoch: i64,
    pub xid: u64,
    pub seq: i64,
}

impl Cursor {
    pub const START: Cursor = Cursor {
        epoch: 0,
        xid: 0,
        seq: 0,
    };

    pub fn parse(text: &str) -> Option<Cursor> {
        let parts: Vec<&str> = text.split('.').collect();
        let digits =
            |s: &str| !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
        if !parts.iter().all(|p| digits(p)) {
            return None;
        }
        let (epoch, xid, seq) = match parts[..] {
            [xid, seq] => ("0", xid, seq),
            [epoch, xid, seq] => (epoch, xid, seq),
            _ => return None,
        };
        Some(Cursor {
            epoch: epoch.parse().ok()?,
            xid: xid.parse().ok()?,
            seq: seq.parse().ok()?,
        })
    }

    /// From the forms PostgreSQL returns for a `bigint`, an `xid8` (as text)
    /// and a `bigint`.
    fn from_row(epoch: i64, xid: &str, seq: i64) -> Result<Cursor, AppError> {
        let xid = xid
            .parse()
            .map_err(|_| AppError::Internal(format!("a feed position {xid:?} is not a number")))?;
        Ok(Cursor { epoch, xid, seq })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.epoch, self.xid, self.seq)
    }
}

/// The cursor that follows on from everything visible in the current
/// snapshot (for a listing taken in the same REPEATABLE READ transaction):
/// every transaction below the snapshot's xmin is in it, and every older
/// epoch.
pub async fn snapshot_cursor(tx: &Transaction<'_>) -> Result<String, AppError> {
    let row = cached::query_one(
        tx,
        "SELECT epoch, pg_snapshot_xmin(pg_current_snapshot())::text FROM feed_epoch",
        &[],
    )
    .await?;
    Ok(Cursor::from_row(row.get(0), row.get(1), 0)?.to_string())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ChangesQuery {
    /// The `next` of the previous page; absent for the beginning.
    pub since: Option<String>,
    /// At most this many changes (1–5000, default 500).
    pub limit: Option<i64>,
}

/// The change feed, oldest first.
#[utoipa::path(
    get,
    path = "/v1/changes",
    params(ChangesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of changes", body = appdesk_protocol::ChangesPage),
        (status = 400, description = "A malformed cursor or limit", body = appdesk_protocol::ErrorBody),
        (status = 401, description = "No valid token", body = appdesk_protocol::ErrorBody),
        (status = 403, description = "A tenant admin's token: tenant admins have no feed (they list GET /v1/apps)", body = appdesk_protocol::ErrorBody),
        (status = 410, description = "The cursor is older than what is kept: list everything again", body = appdesk_protocol::ErrorBody),
    )
)]
pub async fn changes(
    State(portal): State<Shared>,
    caller: Caller,
    requester: ClientId,
    QueryParams(query): QueryParams<ChangesQuery>,
) -> Result<Json<appdesk_protocol::ChangesPage<serde_json::Value>>, AppError> {
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
    let read = |since| read_page(&client, &caller.workspace, since, limit, &requester);
    let mut page = read(since).await?;
    let unissued =
        since.epoch > page.epoch || (since.epoch == page.epoch && since.xid > page.issued);
    if since < page.floor || unissued {
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
        page = read(since).await?;
    }
    // The entries as stored: each was written from a `FeedEntry` (see
    // `append`), so it is passed on, not parsed and written again.
    Ok(Json(appdesk_protocol::ChangesPage {
        changes: page.changes,
        next: page.next.to_string(),
    }))
}

/// How long a read waits at most for changes held back by a running
/// transaction, and how often it looks again.
const HOLD_WAIT: std::time::Duration = std::time::Duration::from_millis(250);
const HOLD_STEP: std::time::Duration = std::time::Duration::from_millis(10);

struct Page {
    floor: Cursor,
    /// The current epoch.
    epoch: i64,
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
    requester: &ClientId,
) -> Result<Page, AppError> {
    let rows = cached::query(
        client,
        "SELECT w.feed_floor_epoch, w.feed_floor_xid::text, w.feed_floor_seq,
                e.epoch, pg_snapshot_xmax(pg_current_snapshot())::text, hb.held,
                c.epoch, c.xid::text, c.seq, c.body, c.mutation_id
         FROM workspaces w
         CROSS JOIN feed_epoch e
         -- Anything committed at or above the bound (always after the cursor,
         -- which is below it). OFFSET 0 keeps it one evaluation per read: pulled
         -- up, it ran once per row of the page (0.4 s a page of 1000).
         CROSS JOIN LATERAL (
             SELECT EXISTS (SELECT 1 FROM changes h
                            WHERE h.workspace_id = w.id AND h.epoch = e.epoch
                              AND h.xid >= pg_snapshot_xmin(pg_current_snapshot())) AS held
             OFFSET 0
         ) hb
         LEFT JOIN LATERAL (
             SELECT epoch, xid, seq, body,
                    CASE WHEN client_id = $6 THEN mutation_id END AS mutation_id
             FROM changes
             WHERE workspace_id = w.id
               AND (epoch, xid, seq) > ($2::bigint, $3::text::xid8, $4::bigint)
               -- An older epoch's changes were all committed before its restore,
               -- and no row is of a later epoch: one range of the index. An OR
               -- here, or no BETWEEN (implied, but it tells the planner the range
               -- is narrow), made PostgreSQL sort all the rest of the feed for
               -- each page while the table has no statistics (10x slower).
               AND (epoch, xid) < (e.epoch, pg_snapshot_xmin(pg_current_snapshot()))
               AND epoch BETWEEN $2::bigint AND e.epoch
             ORDER BY epoch, xid, seq LIMIT $5
         ) c ON true
         WHERE w.id = $1
         ORDER BY c.epoch, c.xid, c.seq",
        &[
            workspace,
            &since.epoch,
            &since.xid.to_string(),
            &since.seq,
            &limit,
            &requester.0,
        ],
    )
    .await?;
    let first = rows
        .first()
        .ok_or_else(|| AppError::unauthorized("the token's workspace is gone"))?;
    let mut page = Page {
        floor: Cursor::from_row(first.get(0), first.get(1), first.get(2))?,
        epoch: first.get(3),
        issued: Cursor::from_row(0, first.get(4), 0)?.xid,
        held: first.get(5),
        changes: Vec::with_capacity(rows.len()),
        next: since,
    };
    for row in &rows {
        if let Some(xid) = row.get::<_, Option<&str>>(7) {
            page.next = Cursor::from_row(row.get(6), xid, row.get(8))?;
            let mut body: serde_json::Value = row.get(9);
            // The requester's own mutation wrote this entry: it says which.
            if let (Some(m), Some(map)) = (row.get::<_, Option<i64>>(10), body.as_object_mut()) {
                map.insert("mutationId".into(), m.into());
            }
            page.changes.push(body);
        }
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::Cursor;

    #[test]
    fn cursors_order_by_epoch_then_transaction_then_row_and_round_trip_as_text() {
        let a = Cursor::parse("0.7.30").unwrap();
        let b = Cursor::parse("0.8.2").unwrap();
        assert!(
            a < b,
            "a later transaction comes after, whatever its row number"
        );
        let c = Cursor::parse("1.3.1").unwrap();
        assert!(b < c, "a later epoch comes after, whatever its transaction");
        assert!(Cursor::START < a);
        assert_eq!(a.to_string(), "0.7.30");
        assert_eq!(
            Cursor::parse("7.30"),
            Some(a),
            "a cursor from before epochs is epoch 0"
        );
        for bad in [
            "",
            "7",
            "7.",
            ".3",
            "-1.2",
            "1.-2",
            "a.b",
            "1..3",
            "1.2.3.4",
            "-1.2.3",
            "99999999999999999999999.1",
            "99999999999999999999.1.1",
        ] {
            assert_eq!(Cursor::parse(bad), None, "{bad:?}");
        }
    }
}
