//! Drafts (R3): apps that are not created yet. A draft is saved exactly as typed,
//! however incomplete or invalid, so that nothing a user typed is lost; it has no
//! app key and no versions until it is created, which validates everything.

use rusqlite::{Connection, params};

use super::activity::{self, Action, Stamp};
use super::{Store, new_id, rows};
use crate::decide;
use crate::error::{Error, Result};
use crate::model::{App, AppInput};

impl Store {
    /// Saves a new draft as it is.
    pub fn save_draft(&self, input: &AppInput) -> Result<App> {
        let stamp = self.stamp();
        self.write(|conn| {
            let id = new_id();
            insert_draft(conn, &stamp, &id, input, Action::Draft, "draft started")?;
            rows::to_app(conn, rows::app_row(conn, &id)?, self.catalog())
        })
    }

    /// Replaces a draft's content with `input`, as typed.
    pub fn update_draft(&self, app: &str, input: &AppInput) -> Result<App> {
        let stamp = self.stamp();
        self.write(|conn| {
            let row = rows::resolve(conn, app)?;
            if row.current_version.is_some() {
                return Err(Error::not_allowed(
                    Some("app"),
                    format!(
                        "{:?} is already created; edit it instead of its draft",
                        row.name
                    ),
                ));
            }
            write_draft(conn, &stamp, &row.id, input)?;
            rows::to_app(conn, rows::app_row(conn, &row.id)?, self.catalog())
        })
    }

    /// Turns a draft into an app: validates R1 and R2 (reporting every problem at
    /// once), generates the app key and makes version 1.
    pub fn create_draft(&self, app: &str) -> Result<App> {
        let stamp = self.stamp();
        self.write(|conn| {
            let row = rows::resolve(conn, app)?;
            if row.current_version.is_some() {
                return Err(Error::Conflict(format!(
                    "{:?} is already created (version {})",
                    row.name,
                    row.current_version.unwrap_or_default()
                )));
            }
            let input = row.draft_input();
            let decide =
                || decide::create_draft(&row.id, row.revision, &input, self.catalog(), &stamp);
            super::apps::insert_created(conn, decide()?, true, decide)
        })
    }
}

pub(super) fn insert_draft(
    conn: &Connection,
    stamp: &Stamp,
    id: &str,
    input: &AppInput,
    action: Action,
    summary: &str,
) -> Result<()> {
    execute_with_draft(
        conn,
        "INSERT INTO apps (id, status, name, organization, homepage_url, audience,
             credentials, draft_scopes, draft_tenants, created_at, updated_at, name_folded)
         VALUES (?1, 'draft', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
        id,
        input,
        &stamp.at,
    )?;
    activity::record(conn, stamp, (id, &input.name), action, summary)
}

pub(super) fn write_draft(
    conn: &Connection,
    stamp: &Stamp,
    id: &str,
    input: &AppInput,
) -> Result<()> {
    execute_with_draft(
        conn,
        "UPDATE apps SET name = ?2, organization = ?3, homepage_url = ?4, audience = ?5,
             credentials = ?6, draft_scopes = ?7, draft_tenants = ?8,
             revision = revision + 1, updated_at = ?9, name_folded = ?10
         WHERE id = ?1",
        id,
        input,
        &stamp.at,
    )?;
    activity::record_draft_edit(conn, stamp, (id, &input.name))
}

/// Runs `sql` with a draft's columns bound as both statements number them:
/// ?1 id, ?2–?6 the fields, ?7 scopes, ?8 tenants (as typed), ?9 the time,
/// ?10 the folded name.
fn execute_with_draft(
    conn: &Connection,
    sql: &str,
    id: &str,
    input: &AppInput,
    at: &str,
) -> Result<()> {
    conn.prepare_cached(sql)?.execute(params![
        id,
        input.name,
        input.organization,
        input.homepage_url,
        input.audience.as_str(),
        input.credentials.as_str(),
        json(&input.scopes),
        json(&input.tenants),
        at,
        rows::fold(&input.name),
    ])?;
    Ok(())
}

pub(super) fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_owned())
}
