//! Reading rows into the domain's views. Shared by every area of the store.

use std::str::FromStr;

use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::model::{App, AppInput, AppStatus, Audience, Credentials, TenantEntry};
use crate::scope::Scope;
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

    /// A draft's content as typed; a draft column that is not the JSON it was
    /// written as is corruption, not an empty list.
    pub fn draft_input(&self) -> Result<AppInput> {
        Ok(AppInput {
            name: self.name.clone(),
            organization: self.organization.clone(),
            homepage_url: self.homepage_url.clone(),
            audience: self.audience,
            credentials: self.credentials,
            tenants: decode_column(&self.draft_tenants, "apps", &self.id, "draft_tenants")?,
            scopes: decode_column(&self.draft_scopes, "apps", &self.id, "draft_scopes")?,
        })
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

/// Finds the one app whose id, app key or exact name is `query`.
///
/// A name may look like another app's id or key; so id, key and name are
/// matched at once, and a query that matches more than one app is refused with
/// the matches listed, rather than one of them being picked silently.
pub(super) fn resolve(conn: &Connection, query: &str) -> Result<AppRow> {
    /// Matches listed in the error; the count says how many there are in all.
    const LISTED: usize = 10;
    let query = query.trim();
    // `name` has no index of its own, so it is matched through `name_folded`
    // (implied by `name = ?1`), and each arm of the OR uses an index: without
    // it, every lookup scans the table (about 30 ms at 100k apps). A row whose
    // `name_folded` is out of step (written by another tool) is not found by
    // name, as search does not find it either.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {APP_COLUMNS} FROM apps
         WHERE id = ?1 OR app_key = ?1 OR (name_folded = ?2 AND name = ?1)
         ORDER BY created_at, id"
    ))?;
    let mut rows: Vec<AppRow> = stmt
        .query_map(params![query, fold(query)], AppRow::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    match rows.len() {
        0 => Err(Error::AppNotFound(query.to_owned())),
        1 => Ok(rows.remove(0)),
        count => Err(Error::AmbiguousApp {
            query: query.to_owned(),
            count,
            matches: rows
                .iter()
                .take(LISTED)
                .map(|row| describe_match(row, query))
                .collect(),
        }),
    }
}

/// How one of several matches of `query` is told apart: what matched, and the
/// id to give instead.
fn describe_match(row: &AppRow, query: &str) -> String {
    let how = if row.id == query {
        "its id"
    } else if row.app_key.as_deref() == Some(query) {
        "its app key"
    } else {
        "its name"
    };
    format!("{:?} (id {}, by {how})", row.name, row.id)
}

/// The scope strings of one version, as stored (sorted).
pub(super) fn version_scopes(conn: &Connection, app_id: &str, version: i64) -> Result<Vec<String>> {
    let json: String = conn
        .prepare_cached("SELECT scopes FROM versions WHERE app_id = ?1 AND version = ?2")?
        .query_row(params![app_id, version], |r| r.get(0))?;
    decode_scopes(&json, app_id, version)
}

/// The `scopes` column of one version, or a corruption error naming the row:
/// a version was stored canonical, so text that is not a list of scopes (which
/// `ScopeSet::from_stored` would skip) is corruption too.
pub(super) fn decode_scopes(json: &str, app_id: &str, version: i64) -> Result<Vec<String>> {
    let row = format!("{app_id} version {version}");
    let scopes: Vec<String> = decode_column(json, "versions", &row, "scopes")?;
    if let Some(Err(reason)) = scopes
        .iter()
        .map(|s| Scope::parse_many(s))
        .find(Result::is_err)
    {
        return Err(Error::Corrupt {
            table: "versions".into(),
            row,
            column: "scopes".into(),
            reason,
        });
    }
    Ok(scopes)
}

/// A JSON column of a stored row. Appdesk wrote it, so text that does not
/// decode is corruption: the error names the table, the row and the column.
pub(super) fn decode_column<T: serde::de::DeserializeOwned>(
    json: &str,
    table: &str,
    row: &str,
    column: &str,
) -> Result<T> {
    serde_json::from_str(json).map_err(|e| Error::Corrupt {
        table: table.to_owned(),
        row: row.to_owned(),
        column: column.to_owned(),
        reason: e.to_string(),
    })
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
            let input = row.draft_input()?;
            let problems = validate::app(&input, catalog).err().unwrap_or_default();
            let scopes = crate::scope::canonical_strings(&input.scopes);
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

/// A name as search, sorting and the same-name warning see it: trimmed, in
/// Unicode compatibility composition (NFKC), lower case. Names that display
/// alike fold alike: "Café" precomposed or as `e` + U+0301, or in full-width
/// letters. The name itself is stored as given; only this key is folded.
pub(super) fn fold(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.trim().nfkc().collect::<String>().to_lowercase()
}
