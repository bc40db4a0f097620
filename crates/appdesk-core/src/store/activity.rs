//! The activity log (R10): every change, with its time and user stamp, written in
//! the same transaction as the change itself.

use std::path::Path;

use rusqlite::{Connection, params};

use super::{Store, rows};
use crate::error::{Error, Result};
use crate::model::{ActivityEntry, ActivityFacets, ActivityQuery};

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
            let entries = stmt.query_map(params![app_id, limit], entry)?;
            Ok(entries.collect::<rusqlite::Result<_>>()?)
        })
    }
}

impl Store {
    /// The activity log filtered by app name, user and action, newest first.
    pub fn activity_where(&self, query: &ActivityQuery) -> Result<Vec<ActivityEntry>> {
        let app = query
            .app
            .as_deref()
            .map(rows::fold)
            .filter(|a| !a.is_empty());
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT seq, at, user, app_id, app_name, action, summary FROM activity
                 WHERE (?1 IS NULL OR instr(lower(app_name), ?1) > 0)
                   AND (?2 IS NULL OR user = ?2) AND (?3 IS NULL OR action = ?3)
                 ORDER BY seq DESC LIMIT ?4",
            )?;
            let entries = stmt.query_map(
                params![app, query.user, query.action, query.limit.unwrap_or(-1)],
                entry,
            )?;
            Ok(entries.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Every user and action in the log, sorted: what the filters offer.
    pub fn activity_facets(&self) -> Result<ActivityFacets> {
        self.read(|conn| {
            let distinct = |column: &str| -> Result<Vec<String>> {
                let mut stmt = conn.prepare_cached(&format!(
                    "SELECT DISTINCT {column} FROM activity ORDER BY {column}"
                ))?;
                let values = stmt.query_map([], |r| r.get(0))?;
                Ok(values.collect::<rusqlite::Result<_>>()?)
            };
            Ok(ActivityFacets {
                users: distinct("user")?,
                actions: distinct("action")?,
            })
        })
    }

    /// Writes the entries `query` selects to `path` as CSV ([`activity_csv`]),
    /// by the export's rules (a symlink or special file there is refused);
    /// returns how many entries were written.
    pub fn export_activity(&self, path: &Path, query: &ActivityQuery) -> Result<usize> {
        let entries = self.activity_where(query)?;
        crate::exchange::write_bytes(path, activity_csv(&entries).as_bytes())?;
        Ok(entries.len())
    }
}

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<ActivityEntry> {
    Ok(ActivityEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        user: r.get(2)?,
        app_id: r.get(3)?,
        app_name: r.get(4)?,
        action: r.get(5)?,
        summary: r.get(6)?,
    })
}

/// The activity log as CSV (RFC 4180: comma-separated, CRLF line ends, a cell
/// quoted when it holds a comma, a quote or a line break, quotes doubled),
/// with a header row. Times stay UTC as stored. A text cell a spreadsheet would
/// read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return) is written with a leading `'`, so opening the file runs nothing.
pub fn activity_csv(entries: &[ActivityEntry]) -> String {
    let mut out = String::from("time_utc,user,app,app_id,action,summary\r\n");
    for e in entries {
        let cells = [
            e.at.as_str(),
            &e.user,
            e.app_name.as_deref().unwrap_or(""),
            e.app_id.as_deref().unwrap_or(""),
            &e.action,
            &e.summary,
        ];
        out += &crate::report::csv_line(cells.into_iter());
    }
    out
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

#[cfg(test)]
mod tests {
    use super::activity_csv;
    use crate::model::ActivityEntry;

    #[test]
    fn the_csv_has_a_header_and_one_crlf_line_per_entry() {
        let e = ActivityEntry {
            seq: 1,
            at: "2026-11-28T17:40:05.123Z".into(),
            user: "ana".into(),
            app_id: Some("0193".into()),
            app_name: Some("Board, v2".into()),
            action: "create".into(),
            summary: "created".into(),
        };
        assert_eq!(
            activity_csv(&[e]),
            "time_utc,user,app,app_id,action,summary\r\n\
             2026-11-28T17:40:05.123Z,ana,\"Board, v2\",0193,create,created\r\n"
        );
    }
}
