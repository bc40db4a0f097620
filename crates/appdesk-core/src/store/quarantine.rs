//! Apps a pull kept aside (`sync_quarantine`, schema 12): pulled from the
//! portal, refused by this client's rules (`sync::admit`), and listed for the
//! user instead of aborting the sync (issue 18 §5). A later pull that admits
//! the app, or brings its deletion, releases it.
//!
//! **What must not go in here:** the decision itself (`sync::admit` makes
//! it), or any write to the app: a quarantined app's local row, base and
//! queued intents stay as they were.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::Store;
use crate::error::Result;

/// One app kept aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Quarantined {
    /// The app's id on the portal.
    pub app: String,
    /// The portal's name for it, when it is text a list may show.
    pub app_name: Option<String>,
    /// The portal's revision that was refused.
    pub revision: i64,
    /// Every problem found, each naming its field.
    pub reason: String,
    /// When it was kept aside (set by the store).
    pub since: String,
}

impl Store {
    /// Keeps `kept` aside (replacing what was kept of each before) and
    /// releases `released` (admitted or deleted on the portal), in one
    /// transaction; writes nothing when there is nothing to keep or release.
    pub fn sync_quarantine(
        &self,
        remote: &str,
        kept: &[Quarantined],
        released: &[&str],
    ) -> Result<()> {
        if kept.is_empty() && !self.read(|conn| any(conn, remote))? {
            return Ok(());
        }
        let stamp = self.stamp();
        self.write(|conn| {
            let mut release = conn
                .prepare_cached("DELETE FROM sync_quarantine WHERE remote = ?1 AND app_id = ?2")?;
            for id in released {
                release.execute(params![remote, id])?;
            }
            for q in kept {
                keep(conn, remote, q, &stamp.at)?;
            }
            Ok(())
        })
    }

    /// The apps kept aside for `remote`, by id.
    pub fn sync_quarantined(&self, remote: &str) -> Result<Vec<Quarantined>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT app_id, app_name, revision, reason, quarantined_at
                 FROM sync_quarantine WHERE remote = ?1 ORDER BY app_id",
            )?;
            let rows = stmt.query_map([remote], |r| {
                Ok(Quarantined {
                    app: r.get(0)?,
                    app_name: r.get(1)?,
                    revision: r.get(2)?,
                    reason: r.get(3)?,
                    since: r.get(4)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }
}

/// Keeps `q` aside (replacing what was kept of it before), in the caller's
/// transaction.
pub(super) fn keep(conn: &Connection, remote: &str, q: &Quarantined, at: &str) -> Result<()> {
    let name = q.app_name.as_deref().filter(|n| showable(n));
    conn.prepare_cached(
        "INSERT INTO sync_quarantine (remote, app_id, app_name, revision, reason, quarantined_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (remote, app_id) DO UPDATE SET app_name = excluded.app_name,
             revision = excluded.revision, reason = excluded.reason",
    )?
    .execute(params![remote, q.app, name, q.revision, q.reason, at])?;
    Ok(())
}

fn any(conn: &Connection, remote: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sync_quarantine WHERE remote = ?1)")?
        .query_row([remote], |r| r.get(0))?)
}

/// A name from the portal is shown only if local input could have typed it.
fn showable(name: &str) -> bool {
    crate::validate::single_line_text(name, "name", "Name").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreOptions;

    fn linked() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a.db"), StoreOptions::default()).unwrap();
        store
            .write(|conn| {
                conn.execute(
                    "INSERT INTO remotes (name, url, token_sealed, created_at) \
                     VALUES ('origin', 'http://127.0.0.1:1', x'00', '')",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        (dir, store)
    }

    fn kept(app: &str, name: &str, reason: &str) -> Quarantined {
        Quarantined {
            app: app.into(),
            app_name: Some(name.into()),
            revision: 2,
            reason: reason.into(),
            since: String::new(),
        }
    }

    #[test]
    fn kept_apps_are_listed_replaced_and_released_and_read_back_with_plain_sql() {
        let (_dir, store) = linked();
        store
            .sync_quarantine(
                "origin",
                &[
                    kept("b", "Board", "scopes[0]: x"),
                    kept("a", "A\u{1b}[2J", "y"),
                ],
                &[],
            )
            .unwrap();
        let listed = store.sync_quarantined("origin").unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].app, "a");
        assert_eq!(listed[0].app_name, None, "a name with an ESC is not kept");
        assert_eq!(listed[1].app_name.as_deref(), Some("Board"));
        store
            .sync_quarantine("origin", &[kept("b", "Board", "z")], &["a"])
            .unwrap();
        let rows: Vec<(String, String)> = store
            .read(|conn| {
                let mut stmt = conn.prepare("SELECT app_id, reason FROM sync_quarantine")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .unwrap();
        assert_eq!(rows, [("b".to_owned(), "z".to_owned())]);
    }
}
