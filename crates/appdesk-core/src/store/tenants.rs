//! The tenants an app is visible to (R7). Adding or removing one makes no
//! version and leaves the key alone. A removed tenant can no longer use the app,
//! so its connections end with it (R8: only a tenant in the list can connect).

use rusqlite::{OptionalExtension, params};

use rusqlite::Connection;

use super::activity::{self, Action, Stamp};
use super::drafts::write_draft;
use super::rows::AppRow;
use super::{Store, rows};
use crate::error::{Error, Problem, Result};
use crate::model::{App, TenantEntry};
use crate::validate;

pub use crate::decide::TenantAdd;

impl Store {
    /// Adds (or re-notes) and removes tenants. Removals come after additions.
    /// A created app keeps 1 to 200 tenants (R1).
    pub fn change_tenants(&self, app: &str, add: &[TenantAdd], remove: &[String]) -> Result<App> {
        let (add, remove) = check_input(add, remove)?;
        let stamp = self.stamp();
        self.write(|conn| {
            let row = rows::resolve(conn, app)?;
            let current = match row.current_version {
                Some(_) => rows::tenants(conn, &row.id)?,
                None => row.draft_input().tenants,
            };
            let mut next = current.clone();
            for a in &add {
                match next.iter_mut().find(|t| t.id == a.id) {
                    Some(t) => t.note = a.note.clone().unwrap_or_else(|| t.note.clone()),
                    None => next.push(TenantEntry::new(&a.id, a.note.clone().unwrap_or_default())),
                }
            }
            let mut problems = Vec::new();
            for (i, id) in remove.iter().enumerate() {
                let before = next.len();
                next.retain(|t| &t.id != id);
                if next.len() == before {
                    problems.push(Problem::new(
                        format!("remove[{i}]"),
                        format!("Tenant ID {id} is not in the list"),
                    ));
                }
            }
            if row.current_version.is_some() {
                problems.extend(validate::tenant_count(next.len()).err());
            }
            if !problems.is_empty() {
                return Err(Error::Invalid(problems));
            }
            if row.current_version.is_none() {
                let mut input = row.draft_input();
                input.tenants = next;
                write_draft(conn, &stamp, &row.id, &input)?;
                return rows::to_app(conn, rows::app_row(conn, &row.id)?, self.catalog());
            }
            apply_to_created(conn, &stamp, &row, &add, &remove)?;
            rows::to_app(conn, rows::app_row(conn, &row.id)?, self.catalog())
        })
    }
}

/// Writes tenant additions, note changes and removals of a created app, with
/// their activity entries; the caller has checked them.
pub(super) fn apply_to_created(
    conn: &Connection,
    stamp: &Stamp,
    row: &AppRow,
    add: &[TenantAdd],
    remove: &[String],
) -> Result<()> {
    let app_ref = (row.id.as_str(), row.name.as_str());
    let mut changed = false;
    for a in add {
        let old_note: Option<String> = conn
            .query_row(
                "SELECT note FROM app_tenants WHERE app_id = ?1 AND tenant_id = ?2",
                params![row.id, a.id],
                |r| r.get(0),
            )
            .optional()?;
        match (old_note, &a.note) {
            (None, note) => {
                conn.execute(
                        "INSERT INTO app_tenants (app_id, tenant_id, note, added_at) VALUES (?1, ?2, ?3, ?4)",
                        params![row.id, a.id, note.clone().unwrap_or_default(), stamp.at],
                    )?;
                activity::record(
                    conn,
                    stamp,
                    app_ref,
                    Action::TenantAdded,
                    &format!("tenant {} added", a.id),
                )?;
                changed = true;
            }
            (Some(old), Some(note)) if &old != note => {
                conn.execute(
                    "UPDATE app_tenants SET note = ?3 WHERE app_id = ?1 AND tenant_id = ?2",
                    params![row.id, a.id, note],
                )?;
                activity::record(
                    conn,
                    stamp,
                    app_ref,
                    Action::TenantUpdated,
                    &format!("tenant {} note changed", a.id),
                )?;
                changed = true;
            }
            _ => {}
        }
    }
    for id in remove {
        let ended = conn.execute(
            "DELETE FROM connections WHERE app_id = ?1 AND tenant_id = ?2",
            params![row.id, id],
        )?;
        conn.execute(
            "DELETE FROM app_tenants WHERE app_id = ?1 AND tenant_id = ?2",
            params![row.id, id],
        )?;
        let summary = match ended {
            0 => format!("tenant {id} removed"),
            n => format!("tenant {id} removed; its {n} connection(s) ended"),
        };
        activity::record(conn, stamp, app_ref, Action::TenantRemoved, &summary)?;
        changed = true;
    }
    if changed {
        rows::touch(conn, &row.id, &stamp.at)?;
    }
    Ok(())
}

/// Each addition well formed and listed once; each removal a tenant id.
fn check_input(add: &[TenantAdd], remove: &[String]) -> Result<(Vec<TenantAdd>, Vec<String>)> {
    let entries: Vec<TenantEntry> = add
        .iter()
        .map(|a| TenantEntry::new(&a.id, a.note.clone().unwrap_or_default()))
        .collect();
    let mut problems = validate::tenant_entries(&entries, "add")
        .err()
        .unwrap_or_default();
    let mut removals = Vec::new();
    for (i, id) in remove.iter().enumerate() {
        match validate::tenant_id(id, &format!("remove[{i}]")) {
            Ok(id) => removals.push(id),
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let additions = add
        .iter()
        .map(|a| TenantAdd {
            id: a.id.trim().to_owned(),
            note: a.note.clone(),
        })
        .collect();
    Ok((additions, removals))
}
