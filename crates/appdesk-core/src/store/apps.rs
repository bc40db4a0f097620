//! Created apps: creation (R1, R4, R5), edits, look-up, listing and deletion (R9).

use rusqlite::{Connection, OptionalExtension, params};

use super::Store;
use super::activity::{self, Action, Stamp};
use super::drafts::{json, write_draft};
use super::in_effect::InEffect;
use super::rows::{self, AppRow};
use super::state;
use crate::decide::{self, Creation, Proposed};
use crate::error::{Error, Problem, Result};
use crate::exchange::VersionRecord;
use crate::model::{App, AppEdit, AppInput, AppStatus, AppSummary, ListQuery, Page};
use crate::secrets;
use crate::validate::ValidApp;

/// What is left of an app once deleted.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeletedApp {
    pub id: String,
    pub name: String,
    pub app_key: Option<String>,
    pub connections_ended: i64,
}

impl Store {
    /// Validates and creates an app in one step: key, tenants and version 1.
    pub fn create_app(&self, input: &AppInput) -> Result<App> {
        let stamp = self.stamp();
        let decide = || decide::create(input, self.catalog(), &Proposed::default(), &stamp);
        let creation = decide()?;
        self.write(|conn| insert_created(conn, creation, false, decide))
    }

    /// Creates many apps in one transaction: all of them, or (if any is invalid)
    /// none. Problems name the app by index: `apps[3].name`.
    pub fn create_apps(&self, inputs: &[AppInput]) -> Result<Vec<App>> {
        let stamp = self.stamp();
        let decide = |input| decide::create(input, self.catalog(), &Proposed::default(), &stamp);
        let mut creations = Vec::with_capacity(inputs.len());
        let mut problems = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            match decide(input) {
                Ok(c) => creations.push((c, input)),
                Err(Error::Invalid(found)) => problems.extend(
                    found
                        .into_iter()
                        .map(|p| Problem::new(format!("apps[{i}].{}", p.field), p.message)),
                ),
                Err(other) => return Err(other),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        self.write(|conn| {
            creations
                .into_iter()
                .map(|(c, input)| insert_created(conn, c, false, || decide(input)))
                .collect()
        })
    }

    /// An app or draft by id, app key or exact name.
    pub fn app(&self, query: &str) -> Result<App> {
        self.read(|conn| rows::to_app(conn, rows::resolve(conn, query)?, self.catalog()))
    }

    /// Changes an app's fields. For a created app every given field is validated
    /// (all problems at once) and the key and versions are untouched (R4); for a
    /// draft the fields are saved as typed.
    pub fn edit_app(&self, query: &str, edit: &AppEdit) -> Result<App> {
        let stamp = self.stamp();
        self.write(|conn| {
            let row = rows::resolve(conn, query)?;
            if row.current_version.is_none() {
                let mut input = row.draft_input()?;
                apply_raw(&mut input, edit);
                write_draft(conn, &stamp, &row.id, &input)?;
            } else {
                edit_created(conn, &stamp, &row, edit)?;
            }
            rows::to_app(conn, rows::app_row(conn, &row.id)?, self.catalog())
        })
    }

    /// Deletes an app: its key is retired for good (never resolves, never
    /// reused), its connections end, and a tombstone and an activity entry remain.
    pub fn delete_app(&self, query: &str) -> Result<DeletedApp> {
        let stamp = self.stamp();
        self.write(|conn| {
            let row = rows::resolve(conn, query)?;
            let deletion = match row.current_version {
                Some(_) => decide::delete(&state::load(conn, &row)?, &stamp),
                None => decide::delete_draft(&row.id, &row.name, row.revision, &stamp),
            };
            state::persist_deletion(conn, &deletion)?;
            Ok(DeletedApp {
                id: deletion.app_id,
                name: deletion.name,
                app_key: deletion.app_key,
                connections_ended: deletion.connections_ended,
            })
        })
    }

    /// Apps and drafts whose name contains `filter` (case-insensitive, Unicode
    /// lower case), sorted by name that way, with their scopes and tenants.
    pub fn list_apps(&self, query: &ListQuery) -> Result<Page<App>> {
        self.read(|conn| {
            let (rows, total) = self.page_rows(conn, query)?;
            let items = rows
                .into_iter()
                .map(|row| rows::to_app(conn, row, self.catalog()))
                .collect::<Result<_>>()?;
            Ok(Page {
                items,
                total,
                offset: query.offset,
            })
        })
    }

    /// One page of the apps list as the desktop shows it: counts instead of the
    /// full scope and tenant lists, and of the connections in effect.
    pub fn list_summaries(&self, query: &ListQuery) -> Result<Page<AppSummary>> {
        self.read(|conn| {
            let (rows, total) = self.page_rows(conn, query)?;
            let table = InEffect::of(conn)?.table();
            let mut counts = conn.prepare_cached(&format!(
                "SELECT (SELECT count(*) FROM app_tenants WHERE app_id = ?1),
                        (SELECT count(*) FROM {table} WHERE app_id = ?1),
                        (SELECT count(*) FROM {table} WHERE app_id = ?1 AND version < ?2)"
            ))?;
            let mut items = Vec::with_capacity(rows.len());
            for row in rows {
                let (mut tenant_count, connection_count, behind_count) = counts
                    .query_row(params![row.id, row.current_version], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })?;
                if row.status == AppStatus::Draft {
                    tenant_count = row.draft_input()?.tenants.len() as i64;
                }
                items.push(AppSummary {
                    id: row.id,
                    name: row.name,
                    organization: row.organization,
                    status: row.status,
                    app_key: row.app_key,
                    version: row.current_version,
                    tenant_count,
                    connection_count,
                    behind_count,
                    updated_at: row.updated_at,
                });
            }
            Ok(Page {
                items,
                total,
                offset: query.offset,
            })
        })
    }
}

/// Writes a decided [`Creation`]: a new row, or (`replaces_draft`) the draft
/// with its id becoming the app. Should its fresh key be taken already (R4: no
/// app, live or deleted, ever had it; never seen with 129 random bits),
/// `again` decides anew.
pub(super) fn insert_created(
    conn: &Connection,
    mut creation: Creation,
    replaces_draft: bool,
    again: impl Fn() -> Result<Creation>,
) -> Result<App> {
    while key_taken(conn, &creation.app_key)? {
        creation = again()?;
    }
    let new = NewApp {
        id: creation.id.clone(),
        key: creation.app_key.clone(),
        app: &creation.app,
        versions: std::slice::from_ref(&creation.version),
        replaces_draft,
    };
    let a = &creation.activity;
    write_created(conn, &creation.stamp, &new, a.action, &a.summary)
}

/// A created app about to be written: its id and key, and its versions (at
/// least version 1; the last one holds the app's scopes).
pub(super) struct NewApp<'a> {
    pub id: String,
    pub key: String,
    pub app: &'a ValidApp,
    pub versions: &'a [VersionRecord],
    /// The row with this id is a draft that becomes this app.
    pub replaces_draft: bool,
}

pub(super) fn write_created(
    conn: &Connection,
    stamp: &Stamp,
    new: &NewApp<'_>,
    action: Action,
    summary: &str,
) -> Result<App> {
    let app = new.app;
    let version = new.versions.last().map_or(1, |v| v.version);
    let values = params![
        new.id,
        app.name,
        app.organization,
        app.homepage_url,
        app.audience.as_str(),
        app.credentials.as_str(),
        new.key,
        stamp.at,
        rows::fold(&app.name),
        version,
    ];
    if new.replaces_draft {
        conn.prepare_cached(
            "UPDATE apps SET status = 'created', name = ?2, organization = ?3, homepage_url = ?4,
                 audience = ?5, credentials = ?6, app_key = ?7, current_version = ?10,
                 draft_scopes = '[]', draft_tenants = '[]', revision = revision + 1,
                 created_at = ?8, updated_at = ?8, name_folded = ?9
             WHERE id = ?1",
        )?
        .execute(values)?;
    } else {
        conn.prepare_cached(
            "INSERT INTO apps (id, status, name, organization, homepage_url, audience, credentials,
                 app_key, current_version, created_at, updated_at, name_folded)
             VALUES (?1, 'created', ?2, ?3, ?4, ?5, ?6, ?7, ?10, ?8, ?8, ?9)",
        )?
        .execute(values)?;
    }
    let mut add_tenant = conn.prepare_cached(
        "INSERT INTO app_tenants (app_id, tenant_id, note, added_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for t in &app.tenants {
        add_tenant.execute(params![new.id, t.id, t.note, stamp.at])?;
    }
    let mut add_version = conn.prepare_cached(
        "INSERT INTO versions (app_id, version, scopes, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for v in new.versions {
        add_version.execute(params![
            new.id,
            v.version,
            json(&v.scopes),
            v.created_at,
            v.created_by
        ])?;
    }
    activity::record(conn, stamp, (&new.id, &app.name), action, summary)?;
    let revision: i64 = conn
        .prepare_cached("SELECT revision FROM apps WHERE id = ?1")?
        .query_row([&new.id], |r| r.get(0))?;
    let ids = (new.id.as_str(), new.key.as_str());
    super::outbox::record_creation(conn, stamp, ids, app, (revision, version))?;
    Ok(App {
        id: new.id.clone(),
        name: app.name.clone(),
        organization: app.organization.clone(),
        homepage_url: app.homepage_url.clone(),
        audience: app.audience,
        credentials: app.credentials,
        status: AppStatus::Created,
        app_key: Some(new.key.clone()),
        version: Some(version),
        scopes: app.scopes.to_strings(),
        tenants: app.tenants.clone(),
        revision,
        created_at: stamp.at.clone(),
        updated_at: stamp.at.clone(),
        problems: Vec::new(),
    })
}

/// A new app key that no app, live or deleted, has ever had (R4, R9).
pub(super) fn unique_app_key(conn: &Connection) -> Result<String> {
    loop {
        let key = secrets::new_app_key()?;
        if !key_taken(conn, &key)? {
            return Ok(key);
        }
    }
}

/// Whether a live app or a tombstone has `key` (R4, R9): what a proposed or
/// fresh key is looked up against.
pub(super) fn key_taken(conn: &Connection, key: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM apps WHERE app_key = ?1
             UNION ALL SELECT 1 FROM tombstones WHERE app_key = ?1",
        )?
        .query_row([key], |_| Ok(()))
        .optional()?
        .is_some())
}

fn apply_raw(input: &mut AppInput, edit: &AppEdit) {
    if let Some(v) = &edit.name {
        input.name.clone_from(v);
    }
    if let Some(v) = &edit.organization {
        input.organization.clone_from(v);
    }
    if let Some(v) = &edit.homepage_url {
        input.homepage_url.clone_from(v);
    }
    if let Some(v) = edit.audience {
        input.audience = v;
    }
    if let Some(v) = edit.credentials {
        input.credentials = v;
    }
}

/// Edits a created app's fields as [`decide::edit`] decides.
pub(super) fn edit_created(
    conn: &Connection,
    stamp: &Stamp,
    row: &AppRow,
    edit: &AppEdit,
) -> Result<()> {
    let change = decide::edit(&state::load(conn, row)?, edit, stamp)?;
    state::persist(conn, &change, None)
}
