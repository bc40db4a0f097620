//! Reading rows into the domain's views. Shared by every area of the store.

use std::str::FromStr;

use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::model::{App, AppInput, AppStatus, Audience, Credentials, TenantEntry};
use crate::validate;

pub(super) const APP_COLUMNS: &str = "id, status, name, organization, homepage_url, audience, \
     credentials, app_key, current_version, draft_scopes, draft_tenants, revision, created_at, \
     updated_at";

/// One row of `apps`, as stored.
#[derive(Debug, Clone)]
pub(super) struct AppRow {
    pub id: String,
    pub status: AppStatus,
    pub name: String,
    pub organization: String,
    pub homepage_url: String,
    pub audience: Audience,
    pub credentials: Credentials,
    pub app_key: Option<String>,
    pub current_version: Option<i64>,
    pub draft_scopes: String,
    pub draft_tenants: String,
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl AppRow {
    pub fn from_row(r: &Row<'_>) -> rusqlite::Result<AppRow> {
        Ok(AppRow {
            id: r.get(0)?,
            status: parse_col(r, 1)?,
            name: r.get(2)?,
            organization: r.get(3)?,
            homepage_url: r.get(4)?,
            audience: parse_col(r, 5)?,
            credentials: parse_col(r, 6)?,
            app_key: r.get(7)?,
            current_version: r.get(8)?,
            draft_scopes: r.get(9)?,
            draft_tenants: r.get(10)?,
            revision: r.get(11)?,
            created_at: r.get(12)?,
            updated_at: r.get(13)?,
        })
    }

    /// The created app's latest version, or a `not_allowed` error for a draft.
    pub fn version(&self) -> Result<i64> {
        self.current_version.ok_or_else(|| {
            Error::not_allowed(
                Some("app"),
                format!(
                    "{:?} is a draft; create it first (appdesk app create)",
                    self.name
                ),
            )
        })
    }

    /// A draft's content as typed.
    pub fn draft_input(&self) -> AppInput {
        AppInput {
            name: self.name.clone(),
            organization: self.organization.clone(),
            homepage_url: self.homepage_url.clone(),
            audience: self.audience,
            credentials: self.credentials,
            tenants: serde_json::from_str(&self.draft_tenants).unwrap_or_default(),
            scopes: serde_json::from_str(&self.draft_scopes).unwrap_or_default(),
        }
    }
}

pub(super) fn parse_col<T: FromStr<Err = String>>(r: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    text.parse()
        .map_err(|e: String| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, e.into()))
}

pub(super) fn app_row(conn: &Connection, id: &str) -> Result<AppRow> {
    conn.prepare_cached(&format!("SELECT {APP_COLUMNS} FROM apps WHERE id = ?1"))?
        .query_row([id], AppRow::from_row)
        .optional()?
        .ok_or_else(|| Error::AppNotFound(id.to_owned()))
}

/// Finds an app by id, app key, or exact name (in that order).
pub(super) fn resolve(conn: &Connection, query: &str) -> Result<AppRow> {
    let query = query.trim();
    let by_id_or_key = conn
        .prepare_cached(&format!(
            "SELECT {APP_COLUMNS} FROM apps WHERE id = ?1 OR app_key = ?1"
        ))?
        .query_row([query], AppRow::from_row)
        .optional()?;
    if let Some(row) = by_id_or_key {
        return Ok(row);
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {APP_COLUMNS} FROM apps WHERE name = ?1 LIMIT 2"
    ))?;
    let mut rows: Vec<AppRow> = stmt
        .query_map([query], AppRow::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    match rows.len() {
        0 => Err(Error::AppNotFound(query.to_owned())),
        1 => Ok(rows.remove(0)),
        _ => {
            let count: i64 =
                conn.query_row("SELECT count(*) FROM apps WHERE name = ?1", [query], |r| {
                    r.get(0)
                })?;
            Err(Error::AmbiguousApp {
                query: query.to_owned(),
                count: count as usize,
            })
        }
    }
}

/// The scope strings of one version, as stored (sorted).
pub(super) fn version_scopes(conn: &Connection, app_id: &str, version: i64) -> Result<Vec<String>> {
    let json: String = conn
        .prepare_cached("SELECT scopes FROM versions WHERE app_id = ?1 AND version = ?2")?
        .query_row(params![app_id, version], |r| r.get(0))?;
    Ok(decode_scopes(&json))
}

pub(super) fn decode_scopes(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

pub(super) fn tenants(conn: &Connection, app_id: &str) -> Result<Vec<TenantEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT tenant_id, note FROM app_tenants WHERE app_id = ?1 ORDER BY tenant_id",
    )?;
    let rows = stmt.query_map([app_id], |r| {
        Ok(TenantEntry {
            id: r.get(0)?,
            note: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The full view of an app or draft.
pub(super) fn to_app(conn: &Connection, row: AppRow, catalog: &Catalog) -> Result<App> {
    let (scopes, tenants, problems) = match row.current_version {
        Some(version) => (
            version_scopes(conn, &row.id, version)?,
            tenants(conn, &row.id)?,
            vec![],
        ),
        None => {
            let input = row.draft_input();
            let problems = validate::app(&input, catalog).err().unwrap_or_default();
            let mut scopes = input.scopes;
            scopes.sort();
            scopes.dedup();
            let mut tenants = input.tenants;
            tenants.sort_by(|a, b| a.id.cmp(&b.id));
            (scopes, tenants, problems)
        }
    };
    Ok(App {
        id: row.id,
        name: row.name,
        organization: row.organization,
        homepage_url: row.homepage_url,
        audience: row.audience,
        credentials: row.credentials,
        status: row.status,
        app_key: row.app_key,
        version: row.current_version,
        scopes,
        tenants,
        revision: row.revision,
        created_at: row.created_at,
        updated_at: row.updated_at,
        problems,
    })
}

/// A name as search and sorting see it: trimmed, Unicode lower case.
pub(super) fn fold(name: &str) -> String {
    name.trim().to_lowercase()
}
