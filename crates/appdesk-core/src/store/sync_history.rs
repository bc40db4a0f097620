//! A linked app's version history as the portal numbers it (SYNC.md §5):
//! the versions the portal has, with its numbers, dates and user stamps,
//! followed by the versions still pending in the outbox, renumbered to follow
//! on. Used when a pull brings the portal's history and when a push is
//! acknowledged, so a linked app's history equals the portal's once synced.

use rusqlite::{Connection, params};

use super::drafts::json;
use crate::error::Result;
use crate::exchange::VersionRecord;

/// Replaces `app_id`'s versions with `portal`'s, then appends its pending
/// versions (those of queued scope intents, oldest first) renumbered after
/// the portal's last; `extra` is one more pending version's scopes (a merge's
/// scope set the portal does not have yet), stamped `stamp`. Returns the
/// app's latest version.
pub(super) fn replace(
    conn: &Connection,
    app_id: &str,
    portal: &[VersionRecord],
    extra: Option<(&[String], &crate::decide::Stamp)>,
) -> Result<i64> {
    let mut pending: Vec<(i64, VersionRecord)> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT o.seq, v.version, v.scopes, v.created_at, v.created_by
             FROM outbox o JOIN versions v ON v.app_id = o.app_id AND v.version = o.version
             WHERE o.app_id = ?1 AND json_extract(o.intent, '$.kind') = 'scopes'
             ORDER BY o.seq",
        )?;
        let rows = stmt.query_map([app_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for row in rows {
            let (seq, version, scopes, created_at, created_by) = row?;
            let scopes = super::rows::decode_column(&scopes, "versions", app_id, "scopes")?;
            pending.push((
                seq,
                VersionRecord {
                    version,
                    scopes,
                    created_at,
                    created_by,
                },
            ));
        }
    }
    // Connections point at versions: checked at commit, once all are back.
    defer_foreign_keys(conn)?;
    conn.prepare_cached("DELETE FROM versions WHERE app_id = ?1")?
        .execute([app_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO versions (app_id, version, scopes, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut latest = 0;
    for v in portal {
        insert.execute(params![
            app_id,
            v.version,
            json(&v.scopes),
            v.created_at,
            v.created_by
        ])?;
        latest = latest.max(v.version);
    }
    for (seq, v) in &pending {
        latest += 1;
        insert.execute(params![
            app_id,
            latest,
            json(&v.scopes),
            v.created_at,
            v.created_by
        ])?;
        conn.prepare_cached("UPDATE outbox SET version = ?2 WHERE seq = ?1")?
            .execute(params![seq, latest])?;
    }
    if let Some((scopes, stamp)) = extra {
        latest += 1;
        insert.execute(params![app_id, latest, json(&scopes), stamp.at, stamp.user])?;
    }
    conn.prepare_cached("UPDATE apps SET current_version = ?2 WHERE id = ?1")?
        .execute(params![app_id, latest])?;
    // A connection cannot be at a version the portal does not have.
    conn.prepare_cached("UPDATE connections SET version = ?2 WHERE app_id = ?1 AND version > ?2")?
        .execute(params![app_id, latest])?;
    Ok(latest)
}

/// Defers foreign key checks to the commit of the open transaction. Setting
/// the pragma expires every prepared statement of the connection (SQLite
/// compiles a flag pragma with `OP_Expire`), so each cached statement would
/// be compiled again at its next step: set per app, that was about 40% of a
/// first sync's CPU. It is set once, when it is off (each commit resets it).
pub(super) fn defer_foreign_keys(conn: &Connection) -> Result<()> {
    let on: bool = conn
        .prepare_cached("PRAGMA defer_foreign_keys")?
        .query_row([], |r| r.get(0))?;
    if !on {
        conn.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    }
    Ok(())
}

/// The latest version of `app_id` the portal numbered, as this database
/// holds it: versions not pending in the outbox (`None`: none, or the
/// app's creation is still queued).
pub(super) fn known_version(conn: &Connection, app_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT max(v.version) FROM versions v
             WHERE v.app_id = ?1
               AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.app_id = ?1
                   AND json_extract(o.intent, '$.kind') = 'create')
               AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.app_id = ?1
                   AND o.version = v.version)",
        )?
        .query_row([app_id], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use rusqlite::StatementStatus;

    use super::*;
    use crate::store::{Store, StoreOptions};

    /// A page of a pull replaces the history of each of its apps in one
    /// transaction: the statements cached for the next app must not be
    /// compiled again (SQLite counts each recompilation of a statement).
    #[test]
    fn replacing_histories_in_one_transaction_does_not_recompile_cached_statements() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a.db"), StoreOptions::default()).unwrap();
        let mut conn = store.conn().unwrap();
        let tx = conn.transaction().unwrap();
        let count = "SELECT count(*) FROM versions WHERE app_id = ?1";
        for app in ["a", "b", "c"] {
            replace(&tx, app, &[], None).unwrap();
            let n: i64 = tx
                .prepare_cached(count)
                .unwrap()
                .query_row([app], |r| r.get(0))
                .unwrap();
            assert_eq!(n, 0);
        }
        let stmt = tx.prepare_cached(count).unwrap();
        assert_eq!(stmt.get_status(StatementStatus::RePrepare), 0);
        drop(stmt);
        let deferred: bool = tx
            .query_row("PRAGMA defer_foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert!(deferred, "foreign keys are still checked at commit");
    }
}
