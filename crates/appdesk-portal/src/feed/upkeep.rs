//! The feed's upkeep, apart from its reads and writes: a new epoch when the
//! database was restored into another cluster, and retention. Both run outside
//! requests (at start, on a timer, from the command line).

use appdesk_core::ErrorCode;
use axum::http::StatusCode;

use super::Cursor;
use crate::error::AppError;

/// Starts a new feed epoch when the stored positions were not issued by this
/// cluster: the recorded system identifier is another cluster's, or stored
/// transaction ids of the current epoch are beyond its counter (a database
/// restored with pg_dump, even one restored before epochs existed). Every
/// change is kept and every cursor reads on; positions written from now on
/// sort after all of them. Returns whether it did.
pub async fn adopt_cluster(pool: &deadpool_postgres::Pool) -> Result<bool, AppError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    // Two portals starting at once on a restored database start one epoch: the
    // second waits here, then sees the first's (a new statement, a new snapshot).
    tx.execute("SELECT 1 FROM feed_epoch FOR UPDATE", &[])
        .await?;
    let foreign: bool = tx
        .query_one(
            "SELECT e.system_identifier <> s.system_identifier
                 OR EXISTS (SELECT 1 FROM changes
                            WHERE epoch = e.epoch
                              AND xid >= pg_snapshot_xmax(pg_current_snapshot()))
                 OR EXISTS (SELECT 1 FROM workspaces
                            WHERE feed_floor_epoch = e.epoch
                              AND feed_floor_xid >= pg_snapshot_xmax(pg_current_snapshot()))
             FROM feed_epoch e CROSS JOIN pg_control_system() s",
            &[],
        )
        .await?
        .get(0);
    if foreign {
        tx.execute(
            "UPDATE feed_epoch SET epoch = epoch + 1, started_at = now(),
                 system_identifier = (SELECT system_identifier FROM pg_control_system())",
            &[],
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

/// Deletes the workspace's changes older than `age`, and below every
/// transaction still running (so that a listing's cursor is never below the
/// floor), and raises its floor to the newest deleted position; returns the
/// floor.
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
                 -- Never past a transaction still running anywhere in the
                 -- cluster: a listing's cursor is its snapshot's xmin, and the
                 -- floor must stay below it (else that cursor gets 410 at once,
                 -- and the client lists again, for as long as it runs).
                 AND (epoch, xid) < ((SELECT epoch FROM feed_epoch),
                                     pg_snapshot_xmin(pg_current_snapshot()))
             RETURNING epoch, xid, seq
         ), top AS (
             SELECT epoch, xid, seq FROM gone ORDER BY epoch DESC, xid DESC, seq DESC LIMIT 1
         )
         UPDATE workspaces w SET feed_floor_epoch = top.epoch, feed_floor_xid = top.xid,
                                 feed_floor_seq = top.seq
         FROM top
         WHERE w.id = $1
           AND (top.epoch, top.xid, top.seq)
               > (w.feed_floor_epoch, w.feed_floor_xid, w.feed_floor_seq)",
        &[&id, &seconds],
    )
    .await?;
    let floor = tx
        .query_one(
            "SELECT feed_floor_epoch, feed_floor_xid::text, feed_floor_seq
             FROM workspaces WHERE id = $1",
            &[&id],
        )
        .await?;
    let floor = Cursor::from_row(floor.get(0), floor.get(1), floor.get(2))?;
    tx.commit().await?;
    Ok(floor.to_string())
}
