//! The scope catalog as versioned data in the database (issue 12, part 4):
//! the catalog in use is the newest stored one (else the built-in one), with
//! the resources earlier catalogs had and it dropped, kept as retired.
//! What changes and what retires is decided by [`decide::catalog_diff`] and
//! [`decide::retired_by`]; this module only stores it.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::Store;
use crate::catalog::{Catalog, RetiredResource};
use crate::decide::{self, CatalogDiff};
use crate::error::{Error, Result};

/// A retired resource and the apps whose versions hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetiredUse {
    pub resource: String,
    #[serde(flatten)]
    pub retired: RetiredResource,
    /// Names of the apps (any version) holding one of its scopes.
    pub apps: Vec<String>,
}

/// What `catalog update` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogUpdate {
    pub diff: CatalogDiff,
    /// Every retired resource after the update.
    pub retired: Vec<RetiredUse>,
}

/// The newest stored catalog with its retired resources; `None` before any
/// update (the built-in catalog is in use).
pub(super) fn stored(conn: &Connection) -> Result<Option<Catalog>> {
    // A read-only database at an older schema has no catalogs table yet.
    let has_table: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalogs')",
        [],
        |r| r.get(0),
    )?;
    if !has_table {
        return Ok(None);
    }
    let body: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, body FROM catalogs ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((seq, body)) = body else {
        return Ok(None);
    };
    let catalog = Catalog::from_json(&body).map_err(|e| Error::Corrupt {
        table: "catalogs".into(),
        row: seq.to_string(),
        column: "body".into(),
        reason: e.to_string(),
    })?;
    Ok(Some(catalog.with_retired(retired(conn)?)))
}

fn retired(conn: &Connection) -> Result<BTreeMap<String, RetiredResource>> {
    let mut stmt = conn
        .prepare_cached("SELECT resource, module, display_name, retired_in FROM retired_scopes")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                RetiredResource {
                    module: r.get(1)?,
                    display_name: r.get(2)?,
                    retired_in: r.get(3)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

impl Store {
    /// What `new` would change against the catalog in use.
    pub fn catalog_diff(&self, new: &Catalog) -> CatalogDiff {
        decide::catalog_diff(self.catalog(), new)
    }

    /// Makes `new` (already parsed and checked) the catalog in use: stored
    /// whole, after the one in use if none was stored yet; the resources it
    /// drops are kept as retired. Takes effect for stores opened afterwards.
    pub fn update_catalog(&self, new: &Catalog) -> Result<CatalogUpdate> {
        let current = self.catalog().clone();
        let stamp = self.stamp();
        let body = |c: &Catalog| {
            serde_json::to_string(c).map_err(|e| Error::Catalog(format!("cannot store: {e}")))
        };
        let (first, next) = (body(&current)?, body(new)?);
        self.write(|conn| {
            if stored(conn)?.is_none() {
                insert(conn, &current.catalog_version, &first, &stamp)?;
            }
            insert(conn, &new.catalog_version, &next, &stamp)?;
            let retired = decide::retired_by(&current, new);
            conn.execute("DELETE FROM retired_scopes", [])?;
            for (name, r) in &retired {
                conn.execute(
                    "INSERT INTO retired_scopes (resource, module, display_name, retired_in)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![name, r.module, r.display_name, r.retired_in],
                )?;
            }
            // R10: the update is in the log, about no app.
            conn.execute(
                "INSERT INTO activity (at, user, app_id, app_name, action, summary)
                 VALUES (?1, ?2, NULL, NULL, ?3, ?4)",
                params![
                    stamp.at,
                    stamp.user,
                    decide::Action::CatalogUpdate.as_str(),
                    format!(
                        "scope catalog {} replaced {}; {} resource(s) retired",
                        new.catalog_version,
                        current.catalog_version,
                        retired.len()
                    )
                ],
            )?;
            let retired = retired
                .into_iter()
                .map(|(resource, retired)| {
                    let apps = holders(conn, &resource)?;
                    Ok(RetiredUse {
                        resource,
                        retired,
                        apps,
                    })
                })
                .collect::<Result<_>>()?;
            Ok(CatalogUpdate {
                diff: decide::catalog_diff(&current, new),
                retired,
            })
        })
    }
}

fn insert(conn: &Connection, version: &str, body: &str, stamp: &decide::Stamp) -> Result<()> {
    conn.execute(
        "INSERT INTO catalogs (catalog_version, body, applied_at, applied_by)
         VALUES (?1, ?2, ?3, ?4)",
        params![version, body, stamp.at, stamp.user],
    )?;
    Ok(())
}

/// The apps with a version holding a scope of `resource`, by name.
fn holders(conn: &Connection, resource: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT a.name FROM versions v JOIN apps a ON a.id = v.app_id
         WHERE EXISTS (SELECT 1 FROM json_each(v.scopes) s
                       WHERE s.value = ?1 || ':r' OR s.value = ?1 || ':w')
         ORDER BY a.name",
    )?;
    Ok(stmt
        .query_map([resource], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}
