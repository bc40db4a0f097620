//! Scope changes and the version history (R5, R6).
//!
//! A created app's scopes are those of its latest version. Saving a different
//! scope set makes the next version, recorded in full with its time and user;
//! saving the same set makes none. Versions are never changed afterwards. The app
//! key is not touched (R4), and connections stay on their version until their
//! tenant's admin upgrades (R8).

use rusqlite::{Connection, params};
use serde::Serialize;

use super::Store;
use super::activity::{self, Action, Stamp};
use super::drafts::{json, write_draft};
use super::rows::{self, AppRow};
use crate::error::{Error, Problem, Result};
use crate::model::{HistoryEntry, ScopeChange};
use crate::scope::{Scope, ScopeSet};
use crate::validate;

/// What saving a scope set would do, shown before it is saved.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScopePreview {
    /// The version saving would create; `None` if the set is unchanged.
    pub next_version: Option<i64>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Connections that would show "upgrade available" after saving.
    pub connections_behind: i64,
}

impl Store {
    /// Adds and removes scopes (`name:r`, `name:w`, `name:rw`). Additions must be
    /// in the catalog with an access it allows (R2).
    pub fn change_scopes(
        &self,
        app: &str,
        add: &[String],
        remove: &[String],
    ) -> Result<ScopeChange> {
        let additions =
            ScopeSet::parse_checked(add, self.catalog(), "add").map_err(Error::Invalid)?;
        let removals = parse_removals(remove)?;
        let stamp = self.stamp();
        self.write(|conn| {
            let row = rows::resolve(conn, app)?;
            let current = current_scopes(conn, &row)?;
            let mut missing = Vec::new();
            for (i, group) in removals.iter().enumerate() {
                if !group.iter().any(|s| current.contains(s)) {
                    let text = group
                        .iter()
                        .map(Scope::to_string)
                        .collect::<Vec<_>>()
                        .join(", ");
                    missing.push(Problem::new(
                        format!("remove[{i}]"),
                        format!("{text} is not among the app's scopes"),
                    ));
                }
            }
            if !missing.is_empty() {
                return Err(Error::Invalid(missing));
            }
            let mut next = current.clone();
            additions.iter().for_each(|s| {
                next.insert(s.clone());
            });
            removals.iter().flatten().for_each(|s| {
                next.remove(s);
            });
            self.save_scopes(conn, &stamp, row, current, next)
        })
    }

    /// Replaces the scope set with `scopes` (the desktop's scope editor).
    pub fn set_scopes(&self, app: &str, scopes: &[String]) -> Result<ScopeChange> {
        let next = validate::scope_selection(scopes, self.catalog()).map_err(Error::Invalid)?;
        let stamp = self.stamp();
        self.write(|conn| {
            let row = rows::resolve(conn, app)?;
            let current = current_scopes(conn, &row)?;
            self.save_scopes(conn, &stamp, row, current, next)
        })
    }

    /// What [`set_scopes`](Self::set_scopes) with `scopes` would do; writes nothing.
    pub fn preview_scopes(&self, app: &str, scopes: &[String]) -> Result<ScopePreview> {
        let next =
            ScopeSet::parse_checked(scopes, self.catalog(), "scopes").map_err(Error::Invalid)?;
        self.read(|conn| {
            let row = rows::resolve(conn, app)?;
            let diff = current_scopes(conn, &row)?.diff(&next);
            let changes = !diff.is_empty() && row.current_version.is_some();
            let connections_behind = match (changes, row.current_version) {
                (true, _) => count_connections(conn, &row.id, None)?,
                (false, Some(v)) => count_connections(conn, &row.id, Some(v))?,
                (false, None) => 0,
            };
            Ok(ScopePreview {
                next_version: row.current_version.filter(|_| changes).map(|v| v + 1),
                added: diff.added.to_strings(),
                removed: diff.removed.to_strings(),
                connections_behind,
            })
        })
    }

    /// Every version, oldest first, with what it added and removed (R6). A draft
    /// has none.
    pub fn history(&self, app: &str) -> Result<Vec<HistoryEntry>> {
        self.read(|conn| {
            let row = rows::resolve(conn, app)?;
            let mut stmt = conn.prepare_cached(
                "SELECT version, scopes, created_at, created_by FROM versions
                 WHERE app_id = ?1 ORDER BY version",
            )?;
            let mut previous = ScopeSet::new();
            let mut entries = Vec::new();
            let mut found = stmt.query([&row.id])?;
            while let Some(r) = found.next()? {
                let json: String = r.get(1)?;
                let scopes = rows::decode_scopes(&json, &row.id, r.get(0)?)?;
                let set = ScopeSet::from_stored(&scopes);
                let diff = previous.diff(&set);
                entries.push(HistoryEntry {
                    version: r.get(0)?,
                    scopes,
                    added: diff.added.to_strings(),
                    removed: diff.removed.to_strings(),
                    created_at: r.get(2)?,
                    created_by: r.get(3)?,
                });
                previous = set;
            }
            Ok(entries)
        })
    }

    pub(super) fn save_scopes(
        &self,
        conn: &Connection,
        stamp: &Stamp,
        row: AppRow,
        current: ScopeSet,
        next: ScopeSet,
    ) -> Result<ScopeChange> {
        let diff = current.diff(&next);
        let Some(version) = row.current_version else {
            let mut input = row.draft_input()?;
            input.scopes = next.to_strings();
            write_draft(conn, stamp, &row.id, &input)?;
            return Ok(ScopeChange {
                app: rows::to_app(conn, rows::app_row(conn, &row.id)?, self.catalog())?,
                new_version: None,
                added: diff.added.to_strings(),
                removed: diff.removed.to_strings(),
                connections_behind: 0,
            });
        };
        if next.is_empty() {
            return Err(Error::invalid(
                "scopes",
                "An app keeps at least one API scope",
            ));
        }
        let new_version = if diff.is_empty() {
            None
        } else {
            let v = version + 1;
            conn.prepare_cached(
                "INSERT INTO versions (app_id, version, scopes, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                row.id,
                v,
                json(&next.to_strings()),
                stamp.at,
                stamp.user
            ])?;
            conn.prepare_cached("UPDATE apps SET current_version = ?2 WHERE id = ?1")?
                .execute(params![row.id, v])?;
            rows::touch(conn, &row.id, &stamp.at)?;
            let summary = describe(v, &diff.added, &diff.removed);
            activity::record(conn, stamp, (&row.id, &row.name), Action::Scopes, &summary)?;
            Some(v)
        };
        let latest = new_version.unwrap_or(version);
        Ok(ScopeChange {
            app: rows::to_app(conn, rows::app_row(conn, &row.id)?, self.catalog())?,
            new_version,
            added: diff.added.to_strings(),
            removed: diff.removed.to_strings(),
            connections_behind: count_connections(conn, &row.id, Some(latest))?,
        })
    }
}

/// Connections of an app; with `behind`, only those on a version before it.
fn count_connections(conn: &Connection, app_id: &str, behind: Option<i64>) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM connections WHERE app_id = ?1 AND (?2 IS NULL OR version < ?2)",
        )?
        .query_row(params![app_id, behind], |r| r.get(0))?)
}

/// The scope set as it stands: the latest version's, or a draft's (the entries
/// that parse; a draft may hold anything).
pub(super) fn current_scopes(conn: &Connection, row: &AppRow) -> Result<ScopeSet> {
    Ok(match row.current_version {
        Some(v) => ScopeSet::from_stored(&rows::version_scopes(conn, &row.id, v)?),
        None => ScopeSet::from_stored(&row.draft_input()?.scopes),
    })
}

/// Removals need not be in the catalog (a newer catalog may have dropped one),
/// only well formed. Each item is a group: `name:rw` is two scopes.
fn parse_removals(remove: &[String]) -> Result<Vec<Vec<Scope>>> {
    let mut problems = Vec::new();
    let mut groups = Vec::new();
    for (i, text) in remove.iter().enumerate() {
        match Scope::parse_many(text) {
            Ok(group) => groups.push(group),
            Err(message) => problems.push(Problem::new(format!("remove[{i}]"), message)),
        }
    }
    if problems.is_empty() {
        Ok(groups)
    } else {
        Err(Error::Invalid(problems))
    }
}

fn describe(version: i64, added: &ScopeSet, removed: &ScopeSet) -> String {
    let parts: Vec<String> = added
        .iter()
        .map(|s| format!("+{s}"))
        .chain(removed.iter().map(|s| format!("-{s}")))
        .collect();
    format!("version {version}: {}", parts.join(", "))
}
