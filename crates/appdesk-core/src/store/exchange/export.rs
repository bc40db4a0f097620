//! Export: the documents of one app or of all apps, read in one snapshot.

use std::collections::HashMap;

use rusqlite::Connection;

use super::super::Store;
use super::super::rows::{self, APP_COLUMNS, AppRow};
use crate::error::Result;
use crate::exchange::{AppDocument, FORMAT_V1, VersionRecord};
use crate::model::TenantEntry;

impl Store {
    /// The documents of one app, or of all apps and drafts sorted by name.
    pub fn export_documents(&self, app: Option<&str>, history: bool) -> Result<Vec<AppDocument>> {
        self.read(|conn| {
            let only = app
                .map(|q| rows::resolve(conn, q))
                .transpose()?
                .map(|r| r.id);
            let apps: Vec<AppRow> = conn
                .prepare(&format!(
                    "SELECT {APP_COLUMNS} FROM apps WHERE ?1 IS NULL OR id = ?1
                     ORDER BY name_folded, id"
                ))?
                .query_map([&only], AppRow::from_row)?
                .collect::<rusqlite::Result<_>>()?;
            let mut tenants: HashMap<String, Vec<TenantEntry>> = HashMap::new();
            let mut stmt = conn.prepare(
                "SELECT app_id, tenant_id, note FROM app_tenants WHERE ?1 IS NULL OR app_id = ?1
                 ORDER BY app_id, tenant_id",
            )?;
            let mut found = stmt.query([&only])?;
            while let Some(r) = found.next()? {
                tenants.entry(r.get(0)?).or_default().push(TenantEntry {
                    id: r.get(1)?,
                    note: r.get(2)?,
                });
            }
            let versions = versions_by_app(conn, only.as_deref(), history)?;
            apps.into_iter()
                .map(|row| document(row, &mut tenants, &versions, history))
                .collect()
        })
    }
}

/// Versions of all apps (or one), by app id: every version with `history`, else
/// only the current one.
fn versions_by_app(
    conn: &Connection,
    only: Option<&str>,
    history: bool,
) -> Result<HashMap<String, Vec<VersionRecord>>> {
    let sql = if history {
        "SELECT app_id, version, scopes, created_at, created_by FROM versions
         WHERE ?1 IS NULL OR app_id = ?1 ORDER BY app_id, version"
    } else {
        "SELECT v.app_id, v.version, v.scopes, v.created_at, v.created_by
         FROM versions v JOIN apps a ON a.id = v.app_id AND a.current_version = v.version
         WHERE ?1 IS NULL OR v.app_id = ?1"
    };
    let mut out: HashMap<String, Vec<VersionRecord>> = HashMap::new();
    let mut stmt = conn.prepare(sql)?;
    let mut found = stmt.query([only])?;
    while let Some(r) = found.next()? {
        let json: String = r.get(2)?;
        let (app_id, version): (String, i64) = (r.get(0)?, r.get(1)?);
        let scopes = rows::decode_scopes(&json, &app_id, version)?;
        out.entry(app_id).or_default().push(VersionRecord {
            version,
            scopes,
            created_at: r.get(3)?,
            created_by: r.get(4)?,
        });
    }
    Ok(out)
}

fn document(
    row: AppRow,
    tenants: &mut HashMap<String, Vec<TenantEntry>>,
    versions: &HashMap<String, Vec<VersionRecord>>,
    history: bool,
) -> Result<AppDocument> {
    let (scopes, app_tenants, history) = match row.current_version {
        Some(_) => {
            let own = versions.get(&row.id).map(Vec::as_slice).unwrap_or_default();
            let scopes = own.last().map(|v| v.scopes.clone()).unwrap_or_default();
            (
                scopes,
                tenants.remove(&row.id).unwrap_or_default(),
                history.then(|| own.to_vec()),
            )
        }
        None => {
            let mut input = row.draft_input()?;
            input.scopes.sort();
            input.scopes.dedup();
            input.tenants.sort_by(|a, b| a.id.cmp(&b.id));
            (input.scopes, input.tenants, None)
        }
    };
    Ok(AppDocument {
        format: FORMAT_V1.into(),
        id: row.id,
        status: row.status,
        name: row.name,
        organization: row.organization,
        homepage_url: row.homepage_url,
        audience: row.audience,
        credentials: row.credentials,
        app_key: row.app_key,
        version: row.current_version,
        scopes,
        tenants: app_tenants,
        history,
    })
}
