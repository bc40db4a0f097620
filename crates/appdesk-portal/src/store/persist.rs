//! Writes what a decision returned, in the caller's transaction, and keeps the
//! loaded state in step so the answer is built without reading again.
//!
//! The order is the one `appdesk_core::decide` documents: the decision's parts
//! in order, then the app row (revision, `updated_at`) and the activity
//! entries; last, once per request, the change feed ([`publish`]). Client
//! secrets are sealed with the portal's key, bound to the connection id,
//! exactly as the desktop store does. Creating and deleting an app are in
//! [`super::lifecycle`].

use appdesk_core::ScopeSet;
use appdesk_core::decide::{
    Activity, Change, ConnectionState, ConnectionWrite, Stamp, TenantWrite,
};
use appdesk_core::secrets::SecretKey;
use deadpool_postgres::Transaction;
use serde_json::json;

use super::{Loaded, views};
use crate::cached;
use crate::error::AppError;
use crate::feed;

/// Persists `change` (a no-op when empty); returns the secret it generated,
/// to show once.
pub async fn change(
    tx: &Transaction<'_>,
    workspace: &uuid::Uuid,
    loaded: &mut Loaded,
    change: &Change,
    key: &SecretKey,
) -> Result<Option<String>, AppError> {
    if change.is_empty() {
        return Ok(None);
    }
    let app_id = &loaded.state.id.clone();
    let stamp = &change.stamp;
    let state = &mut loaded.state;
    if let Some(fields) = &change.fields {
        state.fields = fields.clone();
    }
    if let Some(v) = &change.version {
        cached::execute(
            tx,
            "INSERT INTO versions (app_id, version, scopes, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5)",
            &[
                app_id,
                &v.version,
                &json!(v.scopes),
                &v.created_at,
                &v.created_by,
            ],
        )
        .await?;
        state.version = v.version;
        state.scopes = ScopeSet::from_stored(&v.scopes);
        loaded.version_scopes.insert(v.version, v.scopes.clone());
    }
    for write in &change.tenants {
        tenant(tx, app_id, write, &mut state.tenants).await?;
    }
    let mut touched = Vec::new();
    let mut secret = None;
    for write in &change.connections {
        let (id, shown) = connection(tx, app_id, write, state, stamp, key).await?;
        if let Some(at) = shown.1 {
            loaded.connected_at.insert(id.clone(), at);
        }
        secret = shown.0.or(secret);
        touched.push(id);
    }
    state.revision = change.revision;
    loaded.updated_at = stamp.at.clone();
    let f = &state.fields;
    cached::execute(
        tx,
        "UPDATE apps SET name = $2, organization = $3, homepage_url = $4, audience = $5, \
         credentials = $6, current_version = $7, revision = $8, updated_at = $9 WHERE id = $1",
        &[
            app_id,
            &f.name,
            &f.organization,
            &f.homepage_url,
            &f.audience.as_str(),
            &f.credentials.as_str(),
            &state.version,
            &state.revision,
            &stamp.at,
        ],
    )
    .await?;
    activity(tx, workspace, stamp, &change.activity).await?;
    let owed = &mut loaded.unpublished;
    owed.changed = true;
    owed.new_version |= change.version.is_some();
    owed.connections.extend(touched);
    Ok(secret)
}

/// Appends the feed entries the write owes (nothing if it changed nothing).
/// Called once per request, by the idempotency runner.
pub async fn publish(
    tx: &Transaction<'_>,
    workspace: &uuid::Uuid,
    loaded: &Loaded,
) -> Result<(), AppError> {
    let owed = &loaded.unpublished;
    if !owed.changed {
        return Ok(());
    }
    let app_id = &loaded.state.id;
    let mut bodies = vec![views::change("app", app_id, views::app(loaded))];
    for c in &loaded.state.connections {
        if owed.new_version || owed.connections.contains(&c.id) {
            let view = views::connection(loaded, c, None);
            bodies.push(views::change("connection", app_id, view));
        }
    }
    feed::append(tx, workspace, app_id, bodies).await
}

async fn tenant(
    tx: &Transaction<'_>,
    app_id: &str,
    write: &TenantWrite,
    tenants: &mut Vec<appdesk_core::TenantEntry>,
) -> Result<(), AppError> {
    match write {
        TenantWrite::Insert(t) => {
            cached::execute(
                tx,
                "INSERT INTO app_tenants (app_id, tenant_id, note) VALUES ($1, $2, $3)",
                &[&app_id, &t.id, &t.note],
            )
            .await?;
            tenants.push(t.clone());
        }
        TenantWrite::SetNote(t) => {
            cached::execute(
                tx,
                "UPDATE app_tenants SET note = $3 WHERE app_id = $1 AND tenant_id = $2",
                &[&app_id, &t.id, &t.note],
            )
            .await?;
            tenants
                .iter_mut()
                .filter(|e| e.id == t.id)
                .for_each(|e| e.note.clone_from(&t.note));
        }
        TenantWrite::Delete(id) => {
            cached::execute(
                tx,
                "DELETE FROM app_tenants WHERE app_id = $1 AND tenant_id = $2",
                &[&app_id, id],
            )
            .await?;
            tenants.retain(|e| &e.id != id);
        }
    }
    Ok(())
}

/// The connection's id, and (secret shown, connected_at) where it has them.
async fn connection(
    tx: &Transaction<'_>,
    app_id: &str,
    write: &ConnectionWrite,
    state: &mut appdesk_core::decide::AppState,
    stamp: &Stamp,
    key: &SecretKey,
) -> Result<(String, (Option<String>, Option<String>)), AppError> {
    let find = |state: &mut appdesk_core::decide::AppState, id: &str| {
        state.connections.iter_mut().position(|c| c.id == id)
    };
    Ok(match write {
        ConnectionWrite::Insert(c) => {
            let sealed = key.seal(c.secret.expose(), &c.id)?;
            cached::execute(
                tx,
                "INSERT INTO connections (id, app_id, tenant_id, environment, status, version, \
                 client_id, secret, connected_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                &[
                    &c.id,
                    &app_id,
                    &c.tenant_id,
                    &c.environment.as_str(),
                    &c.status.as_str(),
                    &c.version,
                    &c.client_id,
                    &sealed,
                    &stamp.at,
                ],
            )
            .await?;
            state.connections.push(ConnectionState {
                id: c.id.clone(),
                tenant_id: c.tenant_id.clone(),
                environment: c.environment,
                version: c.version,
                status: c.status,
                client_id: c.client_id.clone(),
            });
            let shown = (Some(c.secret.expose().to_owned()), Some(stamp.at.clone()));
            (c.id.clone(), shown)
        }
        ConnectionWrite::SetVersion { id, version } => {
            cached::execute(
                tx,
                "UPDATE connections SET version = $2 WHERE id = $1",
                &[id, version],
            )
            .await?;
            if let Some(i) = find(state, id) {
                state.connections[i].version = *version;
            }
            (id.clone(), (None, None))
        }
        ConnectionWrite::SetStatus { id, status } => {
            cached::execute(
                tx,
                "UPDATE connections SET status = $2 WHERE id = $1",
                &[id, &status.as_str()],
            )
            .await?;
            if let Some(i) = find(state, id) {
                state.connections[i].status = *status;
            }
            (id.clone(), (None, None))
        }
        ConnectionWrite::SetSecret { id, secret } => {
            let sealed = key.seal(secret.expose(), id)?;
            cached::execute(
                tx,
                "UPDATE connections SET secret = $2 WHERE id = $1",
                &[id, &sealed],
            )
            .await?;
            (id.clone(), (Some(secret.expose().to_owned()), None))
        }
        ConnectionWrite::Delete { id } => {
            cached::execute(tx, "DELETE FROM connections WHERE id = $1", &[id]).await?;
            state.connections.retain(|c| &c.id != id);
            (id.clone(), (None, None))
        }
    })
}

pub(super) async fn activity(
    tx: &Transaction<'_>,
    workspace: &uuid::Uuid,
    stamp: &Stamp,
    entries: &[Activity],
) -> Result<(), AppError> {
    let ids: Vec<&str> = entries.iter().map(|a| a.app_id.as_str()).collect();
    let names: Vec<&str> = entries.iter().map(|a| a.app_name.as_str()).collect();
    let actions: Vec<&str> = entries.iter().map(|a| a.action.as_str()).collect();
    let summaries: Vec<&str> = entries.iter().map(|a| a.summary.as_str()).collect();
    cached::execute(tx,
        "INSERT INTO activity (workspace_id, at, user_name, app_id, app_name, action, summary) \
         SELECT $1, $2, $3, a.id, a.name, a.action, a.summary \
         FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) AS a (id, name, action, summary)",
        &[workspace, &stamp.at, &stamp.user, &ids, &names, &actions, &summaries],
    )
    .await?;
    Ok(())
}
