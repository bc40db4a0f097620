//! Scope changes and the version history (R5, R6).
//!
//! A created app's scopes are those of its latest version. Saving a different
//! scope set makes the next version, recorded in full with its time and user;
//! saving the same set makes none. Versions are never changed afterwards. The app
//! key is not touched (R4), and connections stay on their version until their
//! tenant's admin upgrades (R8).

use rusqlite::Connection;
use serde::Serialize;

use super::activity::Stamp;
use super::drafts::write_draft;
use super::rows::{self, AppRow};
use super::{Store, in_effect, state};
use crate::decide::{self, ScopeRequest};
use crate::error::{Error, Result};
use crate::model::{HistoryEntry, ScopeChange};
use crate::scope::ScopeSet;

/// What saving a scope set would do, shown before it is saved.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScopePreview {
    /// The set previewed, canonical (`name:rw` as `name:r`, `name:w`; sorted,
    /// unique): what saving would store.
    pub scopes: Vec<String>,
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
        let request = ScopeRequest::change(add, remove, self.catalog())?;
        self.scope_request(app, &request)
    }

    /// Replaces the scope set with `scopes` (the desktop's scope editor).
    pub fn set_scopes(&self, app: &str, scopes: &[String]) -> Result<ScopeChange> {
        let request = ScopeRequest::set(scopes, self.catalog())?;
        self.scope_request(app, &request)
    }

    fn scope_request(&self, app: &str, request: &ScopeRequest) -> Result<ScopeChange> {
        let stamp = self.stamp();
        self.write(|conn| {
            let row = rows::resolve(conn, app)?;
            self.apply_scopes(conn, &stamp, row, request)
        })
    }

    /// What [`set_scopes`](Self::set_scopes) with `scopes` would do; writes nothing.
    pub fn preview_scopes(&self, app: &str, scopes: &[String]) -> Result<ScopePreview> {
        let next =
            ScopeSet::parse_checked(scopes, self.catalog(), "scopes").map_err(Error::Invalid)?;
        self.read(|conn| {
            let row = rows::resolve(conn, app)?;
            let current = current_scopes(conn, &row)?;
            let diff = current.diff(&next);
            let next_version = row
                .current_version
                .and_then(|v| decide::next_version(v, &current, &next));
            // Behind after saving: every connection if a version is made, else
            // those already behind the latest.
            let connections_behind = match (next_version, row.current_version) {
                (Some(v), _) | (None, Some(v)) => in_effect::count(conn, &row.id, Some(v))?,
                (None, None) => 0,
            };
            Ok(ScopePreview {
                scopes: next.to_strings(),
                next_version,
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
            let pending = super::outbox::pending_versions(conn, &row.id)?;
            let mut previous = ScopeSet::new();
            let mut entries = Vec::new();
            let mut found = stmt.query([&row.id])?;
            while let Some(r) = found.next()? {
                let json: String = r.get(1)?;
                let scopes = rows::decode_scopes(&json, &row.id, r.get(0)?)?;
                let set = ScopeSet::from_stored(&scopes);
                let diff = previous.diff(&set);
                let version = r.get(0)?;
                entries.push(HistoryEntry {
                    version,
                    pending: pending.contains(version),
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

    /// Saves `next` as the app's scope set (import: already checked).
    pub(super) fn save_scopes(
        &self,
        conn: &Connection,
        stamp: &Stamp,
        row: AppRow,
        _current: ScopeSet,
        next: ScopeSet,
    ) -> Result<ScopeChange> {
        self.apply_scopes(conn, stamp, row, &ScopeRequest::set_checked(next))
    }

    /// A draft's selection is saved as the request makes it; a created app's
    /// scopes change as [`decide::change_scopes`] decides.
    fn apply_scopes(
        &self,
        conn: &Connection,
        stamp: &Stamp,
        row: AppRow,
        request: &ScopeRequest,
    ) -> Result<ScopeChange> {
        if row.current_version.is_none() {
            let current = current_scopes(conn, &row)?;
            let next = request.apply(&current)?;
            let diff = current.diff(&next);
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
        }
        let state = state::load(conn, &row)?;
        let change = decide::change_scopes(&state, request, stamp)?;
        state::persist(conn, &change, None)?;
        let next = match &change.version {
            Some(v) => ScopeSet::from_stored(&v.scopes),
            None => state.scopes.clone(),
        };
        let diff = state.scopes.diff(&next);
        let new_version = change.version.as_ref().map(|v| v.version);
        Ok(ScopeChange {
            app: rows::to_app(conn, rows::app_row(conn, &row.id)?, self.catalog())?,
            new_version,
            added: diff.added.to_strings(),
            removed: diff.removed.to_strings(),
            connections_behind: in_effect::count(
                conn,
                &row.id,
                Some(new_version.unwrap_or(state.version)),
            )?,
        })
    }
}

/// The scope set as it stands: the latest version's, or a draft's (the entries
/// that parse; a draft may hold anything).
pub(super) fn current_scopes(conn: &Connection, row: &AppRow) -> Result<ScopeSet> {
    Ok(match row.current_version {
        Some(v) => ScopeSet::from_stored(&rows::version_scopes(conn, &row.id, v)?),
        None => ScopeSet::from_stored(&row.draft_input()?.scopes),
    })
}
