//! The activity log (R10): every change, with its time and user stamp, written in
//! the same transaction as the change itself.

use rusqlite::{Connection, params};

use super::{Store, rows};
use crate::error::{Error, Result};
use crate::model::ActivityEntry;

pub(super) use crate::decide::{Action, Stamp};

pub(super) fn record(
    conn: &Connection,
    stamp: &Stamp,
    app: (&str, &str),
    action: Action,
    summary: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO activity (at, user, app_id, app_name, action, summary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        stamp.at,
        stamp.user,
        app.0,
        app.1,
        action.as_str(),
        summary
    ])?;
    Ok(())
}

/// Records a draft edit, folding it into the previous entry when that was also
/// an edit of this draft by the same user: a draft is saved as it is typed, and
/// one entry per keystroke would bury the log.
pub(super) fn record_draft_edit(conn: &Connection, stamp: &Stamp, app: (&str, &str)) -> Result<()> {
    let folded = conn
        .prepare_cached(
            "UPDATE activity SET at = ?1, app_name = ?4
             WHERE seq = (SELECT max(seq) FROM activity WHERE app_id = ?3)
               AND action = 'draft_edit' AND user = ?2",
        )?
        .execute(params![stamp.at, stamp.user, app.0, app.1])?;
    if folded == 0 {
        record(conn, stamp, app, Action::DraftEdit, "draft saved")?;
    }
    Ok(())
}

impl Store {
    pub(super) fn stamp(&self) -> Stamp {
        Stamp {
            user: self.user(),
            at: super::now(),
        }
    }

    /// The activity log, newest first; for one app when `app` is given (an app
    /// that was deleted can still be named by its id, key or last name).
    pub fn activity(&self, app: Option<&str>, limit: i64) -> Result<Vec<ActivityEntry>> {
        self.read(|conn| {
            let app_id = match app {
                None => None,
                Some(query) => Some(match rows::resolve(conn, query) {
                    Ok(row) => row.id,
                    Err(Error::AppNotFound(_)) => deleted_app_id(conn, query)?,
                    Err(e) => return Err(e),
                }),
            };
            let mut stmt = conn.prepare_cached(
                "SELECT seq, at, user, app_id, app_name, action, summary FROM activity
                 WHERE ?1 IS NULL OR app_id = ?1 ORDER BY seq DESC LIMIT ?2",
            )?;
            let entries = stmt.query_map(params![app_id, limit], |r| {
                Ok(ActivityEntry {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    user: r.get(2)?,
                    app_id: r.get(3)?,
                    app_name: r.get(4)?,
                    action: r.get(5)?,
                    summary: r.get(6)?,
                })
            })?;
            Ok(entries.collect::<rusqlite::Result<_>>()?)
        })
    }
}

fn deleted_app_id(conn: &Connection, query: &str) -> Result<String> {
    let query = query.trim();
    let mut stmt = conn.prepare_cached(
        "SELECT app_id FROM tombstones WHERE app_id = ?1 OR app_key = ?1 OR name = ?1
         ORDER BY deleted_at DESC LIMIT 1",
    )?;
    let mut found = stmt.query_map([query], |r| r.get::<_, String>(0))?;
    match found.next() {
        Some(id) => Ok(id?),
        None => Err(Error::AppNotFound(query.to_owned())),
    }
}
