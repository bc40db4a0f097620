//! Stored conflicts (SYNC.md §3–4): listed, and resolved explicitly. A
//! resolution changes the local app through the decisions, like any edit,
//! and removes the conflict in the same transaction:
//!
//! - *mine*: the local app already has it; an intent is queued so that the
//!   next sync pushes it (a merge held that field back until now). Mine
//!   against the portal's deletion re-creates the app there, with a new id
//!   and key ([`super::recreate`]): the listing says so before, the
//!   resolution names them after;
//! - *theirs*: the local app takes the portal's value, and what the outbox
//!   hook queued for it is dropped again (the portal has it already);
//! - *a value*: applied locally and queued, like an edit.
//!
//! Conflicts are recorded by a sync ([`Store::record_conflicts`]); nothing
//! here talks to a portal.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::rows::{self, AppRow};
use super::{Store, apps, outbox, state};
use crate::decide::{self, ScopeRequest, Stamp, TenantAdd, TenantRequest};
use crate::error::{Error, Result};
use crate::sync::resolve::{self, Field, Take};
use crate::sync::{Conflict, Intent};

/// A conflict as stored, with its app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoredConflict {
    /// The app's id.
    pub app: String,
    pub app_name: Option<String>,
    pub field: String,
    pub mine: Option<String>,
    pub theirs: Option<String>,
    pub base: Option<String>,
    pub detected_at: String,
    /// Whether a value of one's own can resolve it (`--value`), not only a
    /// side: a scope is there or not, an app is deleted or not.
    pub takes_a_value: bool,
    /// The app's key here (`None`: the app is deleted here).
    pub app_key: Option<String>,
    /// Whether keeping mine re-creates the app on the portal with a new id
    /// and key: the portal deleted it, and its id and key stay retired there
    /// (R10).
    pub keep_mine_recreates: bool,
}

/// What `conflicts resolve` did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Resolution {
    /// The app's id (a new one when `recreated_from` is set).
    pub app: String,
    pub resolved: Vec<ResolvedField>,
    /// Conflicts left on this app.
    pub remaining: i64,
    /// Set when keeping mine re-created an app the portal deleted: the id it
    /// had. It now has the id `app` and the key `new_app_key`, which the next
    /// sync creates it with on the portal.
    pub recreated_from: Option<String>,
    /// The key the portal deleted with the app, retired there for good (R10).
    pub retired_app_key: Option<String>,
    pub new_app_key: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResolvedField {
    pub field: String,
    /// `mine`, `theirs` or `value`.
    pub took: &'static str,
    /// The value kept; `None`: absent (a scope or tenant not there, the app
    /// deleted).
    pub value: Option<String>,
}

impl Store {
    /// Replaces an app's stored conflicts with `conflicts` (what a merge
    /// found). The database must be linked.
    pub fn record_conflicts(&self, app_id: &str, conflicts: &[Conflict]) -> Result<()> {
        let at = self.stamp().at;
        self.write(|conn| {
            let remote = outbox::linked(conn)?.ok_or_else(not_linked)?;
            replace(conn, &remote, app_id, conflicts, &at)
        })
    }

    /// Every unresolved conflict, by app name then field.
    pub fn conflicts(&self) -> Result<Vec<StoredConflict>> {
        self.read(listed)
    }

    /// Resolves the conflict on `field` of `app` (`None`: all of the app's)
    /// by keeping `take`. One transaction: all of them, or none.
    pub fn resolve_conflicts(
        &self,
        app: &str,
        field: Option<&str>,
        take: &Take,
    ) -> Result<Resolution> {
        let stamp = self.stamp();
        self.write(|conn| {
            let remote = outbox::linked(conn)?.ok_or_else(not_linked)?;
            let id = rows::resolve(conn, app)?.id;
            let found = stored(conn, &id, field)?;
            if found.is_empty() {
                return Err(match field {
                    Some(f) => Error::invalid("field", format!("{app} has no conflict on {f:?}")),
                    None => Error::invalid("app", format!("{app} has no conflicts")),
                });
            }
            if found.len() > 1 && matches!(take, Take::Value(_)) {
                return Err(Error::invalid(
                    "value",
                    "one value cannot resolve several fields",
                ));
            }
            let mut resolved = Vec::new();
            let mut recreated = None;
            for c in found {
                let f = Field::parse(&c.field)?;
                let value = match take {
                    Take::Mine => c.mine.clone(),
                    Take::Theirs => c.theirs.clone(),
                    Take::Value(_) if !f.takes_a_value() => {
                        return Err(Error::invalid(
                            "value",
                            format!(
                                "{}: take mine or theirs; a value cannot stand for it",
                                c.field
                            ),
                        ));
                    }
                    Take::Value(v) => Some(v.clone()),
                };
                let target = resolve::intent_for(&f, value.as_deref())?;
                let kept = self.keep(conn, (&remote, &id), target.as_ref(), take, &stamp)?;
                conn.execute(
                    "DELETE FROM conflicts WHERE app_id = ?1 AND field = ?2",
                    params![id, c.field],
                )?;
                resolved.push(ResolvedField {
                    field: c.field,
                    took: take.as_str(),
                    value,
                });
                match kept {
                    Kept::App => {}
                    Kept::Deleted => {
                        conn.execute("DELETE FROM conflicts WHERE app_id = ?1", [&id])?;
                        break;
                    }
                    // Its conflicts went with the deleted app's sync state.
                    Kept::Recreated(r) => {
                        recreated = Some(r);
                        break;
                    }
                }
            }
            let app = recreated.as_ref().map_or(id, |r| r.new_id.clone());
            let remaining = conn.query_row(
                "SELECT count(*) FROM conflicts WHERE app_id = ?1",
                [&app],
                |r| r.get(0),
            )?;
            Ok(Resolution {
                app,
                resolved,
                remaining,
                recreated_from: recreated.as_ref().map(|r| r.old_id.clone()),
                retired_app_key: recreated.as_ref().map(|r| r.retired_key.clone()),
                new_app_key: recreated.map(|r| r.new_key),
            })
        })
    }

    /// Makes the local app and the outbox keep `target` (`None`: keep the
    /// app); says what became of the app.
    fn keep(
        &self,
        conn: &Connection,
        (remote, id): (&str, &str),
        target: Option<&Intent>,
        take: &Take,
        stamp: &Stamp,
    ) -> Result<Kept> {
        let row = rows::app_row(conn, id)?;
        let kept = |deleted: bool| if deleted { Kept::Deleted } else { Kept::App };
        match (take, target) {
            // Mine is the local app, which the portal deleted: it comes back
            // there as a new app, its old id and key retired.
            (Take::Mine, None) => Ok(Kept::Recreated(super::recreate::recreate(
                conn, remote, &row, stamp,
            )?)),
            (Take::Mine, Some(intent)) if *intent != Intent::Delete => {
                outbox::enqueue(conn, remote, (id, row.revision, None), intent, stamp)?;
                Ok(Kept::App)
            }
            (Take::Theirs, t) => {
                let mark: i64 =
                    conn.query_row("SELECT coalesce(max(seq), 0) FROM outbox", [], |r| r.get(0))?;
                let deleted = self.apply(conn, &row, t, stamp)?;
                conn.execute("DELETE FROM outbox WHERE seq > ?1", [mark])?;
                Ok(kept(deleted))
            }
            (_, t) => Ok(kept(self.apply(conn, &row, t, stamp)?)),
        }
    }

    /// Applies `target` to the local app through the decisions (the outbox
    /// hook queues the change); true if the app was deleted.
    fn apply(
        &self,
        conn: &Connection,
        row: &AppRow,
        target: Option<&Intent>,
        stamp: &Stamp,
    ) -> Result<bool> {
        let change = match target {
            None | Some(Intent::Create { .. }) => return Ok(false),
            Some(Intent::Fields { fields }) => {
                apps::edit_created(conn, stamp, row, fields)?;
                return Ok(false);
            }
            Some(Intent::Delete) => {
                let deletion = decide::delete(&state::load(conn, row)?, stamp);
                state::persist_deletion(conn, &deletion)?;
                return Ok(true);
            }
            Some(Intent::Scopes { add, remove }) => {
                let request = ScopeRequest::change(add, remove, self.catalog())?;
                decide::change_scopes(&state::load(conn, row)?, &request, stamp)?
            }
            Some(Intent::Tenants { add, remove }) => {
                let add: Vec<TenantAdd> = add
                    .iter()
                    .map(|t| TenantAdd {
                        id: t.id.clone(),
                        note: Some(t.note.clone()),
                    })
                    .collect();
                let request = TenantRequest::parse(&add, remove)?;
                decide::change_tenants(&state::load(conn, row)?, &request, stamp)?
            }
        };
        state::persist(conn, &change, None)?;
        Ok(false)
    }
}

/// What a resolution made of the app.
enum Kept {
    /// It stays, with the kept value.
    App,
    Deleted,
    /// Re-created under a new id and key (keeping mine against the portal's
    /// deletion).
    Recreated(super::recreate::Recreated),
}

/// Replaces the stored conflicts of `app_id` with `conflicts`, found at `at`
/// against `remote` (a merge's, whether by a pull or by the caller).
pub(super) fn replace(
    conn: &Connection,
    remote: &str,
    app_id: &str,
    conflicts: &[Conflict],
    at: &str,
) -> Result<()> {
    conn.prepare_cached("DELETE FROM conflicts WHERE app_id = ?1")?
        .execute([app_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO conflicts (remote, app_id, field, mine, theirs, base, detected_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for c in conflicts {
        insert.execute(params![
            remote, app_id, c.field, c.mine, c.theirs, c.base, at
        ])?;
    }
    Ok(())
}

pub(super) fn listed(conn: &Connection) -> Result<Vec<StoredConflict>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.app_id, a.name, c.field, c.mine, c.theirs, c.base, c.detected_at, a.app_key
         FROM conflicts c LEFT JOIN apps a ON a.id = c.app_id
         ORDER BY a.name_folded, c.app_id, c.field",
    )?;
    let rows = stmt.query_map([], |r| {
        let field: String = r.get(2)?;
        let (mine, theirs): (Option<String>, Option<String>) = (r.get(3)?, r.get(4)?);
        Ok(StoredConflict {
            app: r.get(0)?,
            app_name: r.get(1)?,
            takes_a_value: Field::parse(&field).is_ok_and(|f| f.takes_a_value()),
            keep_mine_recreates: Field::parse(&field).is_ok_and(|f| f == Field::App)
                && mine.is_some()
                && theirs.is_none(),
            field,
            mine,
            theirs,
            base: r.get(5)?,
            detected_at: r.get(6)?,
            app_key: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An app's stored conflicts (one field, or all), by field.
fn stored(conn: &Connection, app_id: &str, field: Option<&str>) -> Result<Vec<Conflict>> {
    let mut stmt = conn.prepare_cached(
        "SELECT field, mine, theirs, base FROM conflicts
         WHERE app_id = ?1 AND (?2 IS NULL OR field = ?2) ORDER BY field",
    )?;
    let rows = stmt.query_map(params![app_id, field], |r| {
        Ok(Conflict {
            field: r.get(0)?,
            mine: r.get(1)?,
            theirs: r.get(2)?,
            base: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn not_linked() -> Error {
    Error::not_allowed(
        None,
        "this database is not linked to a portal, so it has no conflicts (see appdesk remote add)",
    )
}
