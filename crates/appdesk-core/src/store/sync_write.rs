//! The rows a pull writes: the merged app (checked by R1 and R2 first), its
//! tenants, the portal's versions as they were, and a deletion the portal made.
//! Plain INSERT, UPDATE and DELETE; what to write is decided in `sync_pull.rs`
//! by the merge.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::activity;
use super::rows::{self, APP_COLUMNS, AppRow};
use crate::decide::{Action, Stamp};
use crate::error::{Error, Problem, Result};
use crate::exchange::VersionRecord;
use crate::model::{AppInput, TenantEntry};
use crate::sync::Snapshot;

pub(super) fn app_row(conn: &Connection, id: &str) -> Result<Option<AppRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {APP_COLUMNS} FROM apps WHERE id = ?1"))?
        .query_row([id], AppRow::from_row)
        .optional()?)
}

/// R1 and R2 on a merged app, each problem naming the app.
pub(super) fn check(m: &Snapshot, catalog: &crate::Catalog) -> Result<()> {
    let input = AppInput {
        name: m.name.clone(),
        organization: m.organization.clone(),
        homepage_url: m.homepage_url.clone(),
        audience: m.audience,
        credentials: m.credentials,
        tenants: tenants_of(m),
        scopes: m.scopes.iter().cloned().collect(),
    };
    crate::validate::app(&input, catalog)
        .map(drop)
        .map_err(|problems| {
            Error::Invalid(
                problems
                    .into_iter()
                    .map(|p| Problem::new(format!("apps[{}].{}", m.id, p.field), p.message))
                    .collect(),
            )
        })
}

fn tenants_of(m: &Snapshot) -> Vec<TenantEntry> {
    m.tenants
        .iter()
        .map(|(id, note)| TenantEntry::new(id.clone(), note.clone()))
        .collect()
}

/// Writes the app row and its tenants as `m` has them (a new row, or over
/// the local one; a local deletion the merge undid loses its tombstone).
pub(super) fn write_app(
    conn: &Connection,
    (m, created_at): (&Snapshot, &str),
    stamp: &Stamp,
) -> Result<()> {
    let created_at = if created_at.is_empty() {
        &stamp.at
    } else {
        created_at
    };
    // An app a local deletion removed comes back: its tombstone goes.
    conn.prepare_cached("DELETE FROM tombstones WHERE app_id = ?1")?
        .execute([&m.id])?;
    conn.prepare_cached(
        "INSERT INTO apps (id, status, name, organization, homepage_url, audience, credentials,
             app_key, current_version, created_at, updated_at, name_folded)
         VALUES (?1, 'created', ?2, ?3, ?4, ?5, ?6, ?7, 1, ?10, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name,
             organization = excluded.organization, homepage_url = excluded.homepage_url,
             audience = excluded.audience, credentials = excluded.credentials,
             app_key = excluded.app_key, updated_at = excluded.updated_at,
             name_folded = excluded.name_folded, revision = apps.revision + 1",
    )?
    .execute(params![
        m.id,
        m.name,
        m.organization,
        m.homepage_url,
        m.audience.as_str(),
        m.credentials.as_str(),
        m.app_key,
        stamp.at,
        rows::fold(&m.name),
        created_at,
    ])?;
    let local: BTreeMap<String, String> = rows::tenants(conn, &m.id)?
        .into_iter()
        .map(|t| (t.id, t.note))
        .collect();
    for id in local.keys().filter(|id| !m.tenants.contains_key(*id)) {
        conn.prepare_cached("DELETE FROM app_tenants WHERE app_id = ?1 AND tenant_id = ?2")?
            .execute(params![m.id, id])?;
        conn.prepare_cached("DELETE FROM connections WHERE app_id = ?1 AND tenant_id = ?2")?
            .execute(params![m.id, id])?;
    }
    for (id, note) in &m.tenants {
        conn.prepare_cached(
            "INSERT INTO app_tenants (app_id, tenant_id, note, added_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (app_id, tenant_id) DO UPDATE SET note = excluded.note",
        )?
        .execute(params![m.id, id, note, stamp.at])?;
    }
    Ok(())
}

/// This database's versions of `app_id` up to `version`, as records.
pub(super) fn local_versions(
    conn: &Connection,
    app_id: &str,
    version: i64,
) -> Result<Vec<VersionRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT version, scopes, created_at, created_by FROM versions
         WHERE app_id = ?1 AND version <= ?2 ORDER BY version",
    )?;
    let rows = stmt
        .query_map(params![app_id, version], |r| {
            Ok((r.get(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<Vec<(i64, String, String, String)>>>()?;
    rows.into_iter()
        .map(|(version, scopes, created_at, created_by)| {
            Ok(VersionRecord {
                version,
                scopes: rows::decode_column(&scopes, "versions", app_id, "scopes")?,
                created_at,
                created_by,
            })
        })
        .collect()
}

/// Deletes a local app the portal deleted: a tombstone keeps its key retired
/// (R9), and the activity log says it came from the portal. No intent.
pub(super) fn delete_local(
    conn: &Connection,
    row: &AppRow,
    stamp: &Stamp,
    remote: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO tombstones (app_id, app_key, name, revision, deleted_at, deleted_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        row.id,
        row.app_key,
        row.name,
        row.revision,
        stamp.at,
        stamp.user
    ])?;
    conn.prepare_cached("DELETE FROM apps WHERE id = ?1")?
        .execute([&row.id])?;
    let summary = format!("deleted on {remote}");
    activity::record(conn, stamp, (&row.id, &row.name), Action::Sync, &summary)
}
