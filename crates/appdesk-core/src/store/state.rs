//! Loading an app's [`AppState`] for a decision, and persisting what the
//! decision returned, with plain INSERT, UPDATE and DELETE.
//!
//! No rule goes in here: what to write, and whether, is the decision's
//! ([`crate::decide`]). This module only maps its result onto tables.

use rusqlite::{Connection, params};

use super::drafts::json;
use super::rows::{self, AppRow};
use super::{activity, in_effect};
use crate::decide::{
    Activity, AppFields, AppState, Change, ConnectionWrite, Deletion, Stamp, TenantWrite,
};
use crate::error::{Error, Result};
use crate::scope::ScopeSet;
use crate::secrets::SecretKey;

/// The state of a created app as the decisions read it, with its connections
/// in effect (the portal's in a linked database); for a draft, the
/// `not_allowed` error of [`AppRow::version`].
pub(super) fn load(conn: &Connection, row: &AppRow) -> Result<AppState> {
    let version = row.version()?;
    let connections = in_effect::states(conn, &row.id, None, None)?;
    Ok(AppState {
        id: row.id.clone(),
        fields: AppFields {
            name: row.name.clone(),
            organization: row.organization.clone(),
            homepage_url: row.homepage_url.clone(),
            audience: row.audience,
            credentials: row.credentials,
        },
        app_key: row.app_key.clone().unwrap_or_default(),
        version,
        scopes: ScopeSet::from_stored(&rows::version_scopes(conn, &row.id, version)?),
        tenants: rows::tenants(conn, &row.id)?,
        revision: row.revision,
        connections,
    })
}

/// Writes a [`Change`]; an empty one writes nothing. Secrets are sealed with
/// `key`, which a change that carries one needs.
pub(super) fn persist(conn: &Connection, change: &Change, key: Option<&SecretKey>) -> Result<()> {
    if change.is_empty() {
        return Ok(());
    }
    // In a linked database, queue its intents (read from the state before
    // the write); a refused change below rolls them back with it.
    super::outbox::record_change(conn, change)?;
    let id = &change.app_id;
    let at = &change.stamp.at;
    // First: the revision the decision read must still be there; a change
    // decided on a stale state is refused rather than written over a newer one.
    let bumped = conn
        .prepare_cached(
            "UPDATE apps SET revision = ?2, updated_at = ?3 WHERE id = ?1 AND revision = ?2 - 1",
        )?
        .execute(params![id, change.revision, at])?;
    if bumped != 1 {
        return Err(Error::conflict(
            "app",
            format!("app {id} changed while this change was being decided; try again"),
        ));
    }
    if let Some(f) = &change.fields {
        conn.prepare_cached(
            "UPDATE apps SET name = ?2, organization = ?3, homepage_url = ?4, audience = ?5,
                 credentials = ?6, name_folded = ?7
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            f.name,
            f.organization,
            f.homepage_url,
            f.audience.as_str(),
            f.credentials.as_str(),
            rows::fold(&f.name),
        ])?;
    }
    if let Some(v) = &change.version {
        conn.prepare_cached(
            "INSERT INTO versions (app_id, version, scopes, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            id,
            v.version,
            json(&v.scopes),
            v.created_at,
            v.created_by
        ])?;
        conn.prepare_cached("UPDATE apps SET current_version = ?2 WHERE id = ?1")?
            .execute(params![id, v.version])?;
    }
    for w in &change.tenants {
        write_tenant(conn, id, at, w)?;
    }
    for w in &change.connections {
        write_connection(conn, id, at, w, key)?;
    }
    record_all(conn, &change.stamp, &change.activity)
}

fn write_tenant(conn: &Connection, app_id: &str, at: &str, w: &TenantWrite) -> Result<()> {
    match w {
        TenantWrite::Insert(t) => conn
            .prepare_cached(
                "INSERT INTO app_tenants (app_id, tenant_id, note, added_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![app_id, t.id, t.note, at])?,
        TenantWrite::SetNote(t) => conn
            .prepare_cached(
                "UPDATE app_tenants SET note = ?3 WHERE app_id = ?1 AND tenant_id = ?2",
            )?
            .execute(params![app_id, t.id, t.note])?,
        TenantWrite::Delete(tenant) => {
            conn.prepare_cached("DELETE FROM app_tenants WHERE app_id = ?1 AND tenant_id = ?2")?
                .execute(params![app_id, tenant])?;
            // A tenant's local connections go with it, also in a linked
            // database: there the decision ended the portal's (those in
            // effect), and the local table must not keep a connection of a
            // tenant the app no longer lists (R8) for when it is unlinked.
            conn.prepare_cached("DELETE FROM connections WHERE app_id = ?1 AND tenant_id = ?2")?
                .execute(params![app_id, tenant])?
        }
    };
    Ok(())
}

fn write_connection(
    conn: &Connection,
    app_id: &str,
    at: &str,
    w: &ConnectionWrite,
    key: Option<&SecretKey>,
) -> Result<()> {
    let seal = |secret: &crate::decide::ClientSecret, id: &str| -> Result<Vec<u8>> {
        key.ok_or_else(|| Error::Secrets("no key to seal a client secret with".to_owned()))?
            .seal(secret.expose(), id)
    };
    match w {
        ConnectionWrite::Insert(c) => conn
            .prepare_cached(
                "INSERT INTO connections (id, app_id, tenant_id, environment, version, status,
                     client_id, secret_sealed, connected_at, updated_at, secret_created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?9)",
            )?
            .execute(params![
                c.id,
                app_id,
                c.tenant_id,
                c.environment.as_str(),
                c.version,
                c.status.as_str(),
                c.client_id,
                seal(&c.secret, &c.id)?,
                at
            ])?,
        ConnectionWrite::SetVersion { id, version } => conn
            .prepare_cached("UPDATE connections SET version = ?2, updated_at = ?3 WHERE id = ?1")?
            .execute(params![id, version, at])?,
        ConnectionWrite::SetStatus { id, status } => conn
            .prepare_cached("UPDATE connections SET status = ?2, updated_at = ?3 WHERE id = ?1")?
            .execute(params![id, status.as_str(), at])?,
        ConnectionWrite::SetSecret { id, secret } => conn
            .prepare_cached(
                "UPDATE connections SET secret_sealed = ?2, updated_at = ?3,
                     secret_created_at = ?3, previous_secret_sealed = NULL,
                     previous_secret_created_at = NULL
                 WHERE id = ?1",
            )?
            .execute(params![id, seal(secret, id)?, at])?,
        ConnectionWrite::RotateSecret { id, secret } => conn
            .prepare_cached(
                "UPDATE connections SET previous_secret_sealed = secret_sealed,
                     previous_secret_created_at = secret_created_at, secret_sealed = ?2,
                     secret_created_at = ?3, updated_at = ?3
                 WHERE id = ?1",
            )?
            .execute(params![id, seal(secret, id)?, at])?,
        ConnectionWrite::RetirePrevious { id } => conn
            .prepare_cached(
                "UPDATE connections SET previous_secret_sealed = NULL,
                     previous_secret_created_at = NULL, updated_at = ?2
                 WHERE id = ?1",
            )?
            .execute(params![id, at])?,
        ConnectionWrite::Delete { id } => conn
            .prepare_cached("DELETE FROM connections WHERE id = ?1")?
            .execute([id])?,
    };
    Ok(())
}

/// Writes a [`Deletion`]: the tombstone that retires the key, the app gone
/// (its tenants, versions and connections cascade), the activity entry.
pub(super) fn persist_deletion(conn: &Connection, d: &Deletion) -> Result<()> {
    super::outbox::record_deletion(conn, d)?;
    conn.prepare_cached(
        "INSERT INTO tombstones (app_id, app_key, name, revision, deleted_at, deleted_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        d.app_id,
        d.app_key,
        d.name,
        d.revision,
        d.stamp.at,
        d.stamp.user
    ])?;
    conn.prepare_cached("DELETE FROM apps WHERE id = ?1")?
        .execute([&d.app_id])?;
    record_all(conn, &d.stamp, std::slice::from_ref(&d.activity))
}

pub(super) fn record_all(conn: &Connection, stamp: &Stamp, entries: &[Activity]) -> Result<()> {
    for a in entries {
        activity::record(conn, stamp, (&a.app_id, &a.app_name), a.action, &a.summary)?;
    }
    Ok(())
}

/// A valid app to create, for the store's unit tests (here and in `outbox`).
#[cfg(test)]
pub(super) fn dispatch_board() -> crate::model::AppInput {
    use crate::model::{AppInput, TenantEntry};
    AppInput {
        name: "Dispatch Board".into(),
        organization: "Acme HVAC".into(),
        homepage_url: "https://acme.example".into(),
        tenants: vec![TenantEntry::new("1234", "")],
        scopes: vec!["tn.crm.customers:r".into()],
        ..AppInput::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide;
    use crate::model::AppEdit;
    use crate::store::{Store, StoreOptions};

    #[test]
    fn a_change_decided_on_a_stale_state_is_refused_and_writes_nothing() {
        let store = Store::open_in_memory(StoreOptions::default()).unwrap();
        let app = store.create_app(&dispatch_board()).unwrap();
        let stale = store
            .read(|conn| load(conn, &rows::app_row(conn, &app.id)?))
            .unwrap();
        let rename = |name: &str| AppEdit {
            name: Some(name.into()),
            ..AppEdit::default()
        };
        store.edit_app(&app.id, &rename("Field Pro")).unwrap();
        let late = decide::edit(&stale, &rename("Late"), &store.stamp()).unwrap();
        let refused = store.write(|conn| persist(conn, &late, None)).unwrap_err();
        assert_eq!(refused.code(), "conflict", "{refused}");
        let now = store.app(&app.id).unwrap();
        assert_eq!(
            (now.name.as_str(), now.revision),
            ("Field Pro", stale.revision + 1)
        );
    }
}
