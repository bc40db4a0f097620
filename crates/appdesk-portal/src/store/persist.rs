//! Writes what a decision returned, in the caller's transaction, and keeps the
//! loaded state in step so the answer is built without reading again.
//!
//! The order is the one `appdesk_core::decide` documents: the decision's parts
//! in order, then the app row (revision, `updated_at`) and the activity
//! entries; last, once per request, the change feed ([`publish`]), where a
//! connection the write ended (its tenant removed) gets an entry of its own,
//! so that every client drops it (see [`views::ended_connection`]). Client
//! secrets are sealed with the portal's key, bound to the connection id,
//! exactly as the desktop store does; so is a rotation's previous secret,
//! which is the current one's sealed bytes moved aside, never opened. Creating
//! and deleting an app are in [`super::lifecycle`].

use appdesk_core::decide::{Activity, Change, ConnectionWrite, Stamp, TenantWrite};
use appdesk_core::secrets::SecretKey;
use appdesk_protocol::Change as FeedEntry;
use deadpool_postgres::Transaction;
use serde_json::json;

use super::{Loaded, SecretTimes, views};
use crate::cached;
use crate::error::AppError;
use crate::feed;

/// Persists `change` (a no-op when empty), then replays it on the loaded
/// state (`AppState::apply`, the core's own mirror of these writes); returns
/// the secret it generated, to show once.
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
        loaded.version_scopes.insert(v.version, v.scopes.clone());
    }
    for write in &change.tenants {
        tenant(tx, app_id, write).await?;
    }
    for write in &change.connections {
        if let ConnectionWrite::Delete { id } = write {
            let ending = loaded.state.connections.iter().find(|c| &c.id == id);
            let ended = ending.map(|c| views::ended_connection(app_id, c, &stamp.at));
            loaded.unpublished.ended.extend(ended);
        }
        let id = connection(tx, app_id, write, stamp, key).await?;
        if let ConnectionWrite::Insert(_) = write {
            loaded.connected_at.insert(id.clone(), stamp.at.clone());
        }
        track_secret_times(loaded, write, &stamp.at);
        loaded.unpublished.connections.push(id);
    }
    loaded.state.apply(change);
    loaded.updated_at = stamp.at.clone();
    let state = &loaded.state;
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
    owed.versions.extend(change.version.iter().map(Into::into));
    Ok(change.shown_secret().map(|s| s.expose().to_owned()))
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
    let mut app = views::app(loaded);
    app.versions = owed.versions.clone();
    let mut entries = vec![FeedEntry::app(app)];
    entries.extend(owed.ended.iter().cloned());
    for c in &loaded.state.connections {
        if owed.new_version || owed.connections.contains(&c.id) {
            let view = views::connection(loaded, c, None);
            entries.push(FeedEntry::connection(app_id, view));
        }
    }
    feed::append(tx, workspace, app_id, &entries).await
}

async fn tenant(tx: &Transaction<'_>, app_id: &str, write: &TenantWrite) -> Result<(), AppError> {
    match write {
        TenantWrite::Insert(t) => {
            cached::execute(
                tx,
                "INSERT INTO app_tenants (app_id, tenant_id, note) VALUES ($1, $2, $3)",
                &[&app_id, &t.id, &t.note],
            )
            .await?;
        }
        TenantWrite::SetNote(t) => {
            cached::execute(
                tx,
                "UPDATE app_tenants SET note = $3 WHERE app_id = $1 AND tenant_id = $2",
                &[&app_id, &t.id, &t.note],
            )
            .await?;
        }
        TenantWrite::Delete(id) => {
            cached::execute(
                tx,
                "DELETE FROM app_tenants WHERE app_id = $1 AND tenant_id = $2",
                &[&app_id, id],
            )
            .await?;
        }
    }
    Ok(())
}

/// Writes one connection change; returns the connection's id.
async fn connection(
    tx: &Transaction<'_>,
    app_id: &str,
    write: &ConnectionWrite,
    stamp: &Stamp,
    key: &SecretKey,
) -> Result<String, AppError> {
    Ok(match write {
        ConnectionWrite::Insert(c) => {
            let sealed = key.seal(c.secret.expose(), &c.id)?;
            cached::execute(
                tx,
                "INSERT INTO connections (id, app_id, tenant_id, environment, status, version, \
                 client_id, secret, connected_at, secret_created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
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
            c.id.clone()
        }
        ConnectionWrite::SetVersion { id, version } => {
            let sql = "UPDATE connections SET version = $2 WHERE id = $1";
            cached::execute(tx, sql, &[id, version]).await?;
            id.clone()
        }
        ConnectionWrite::SetStatus { id, status } => {
            let sql = "UPDATE connections SET status = $2 WHERE id = $1";
            cached::execute(tx, sql, &[id, &status.as_str()]).await?;
            id.clone()
        }
        // A regenerate ends the old secret at once, a rotation's previous too.
        ConnectionWrite::SetSecret { id, secret } => {
            let sealed = key.seal(secret.expose(), id)?;
            let sql = "UPDATE connections SET secret = $2, secret_created_at = $3, \
                       previous_secret = NULL, previous_secret_created_at = NULL WHERE id = $1";
            cached::execute(tx, sql, &[id, &sealed, &stamp.at]).await?;
            id.clone()
        }
        // The current secret becomes the previous one, still valid. The rule
        // allowed it because there was no previous secret; the guard makes
        // sure none is ever silently replaced should that no longer hold.
        ConnectionWrite::RotateSecret { id, secret } => {
            let sealed = key.seal(secret.expose(), id)?;
            let sql = "UPDATE connections SET previous_secret = secret, \
                       previous_secret_created_at = secret_created_at, secret = $2, \
                       secret_created_at = $3 WHERE id = $1 AND previous_secret IS NULL";
            if cached::execute(tx, sql, &[id, &sealed, &stamp.at]).await? != 1 {
                return Err(AppError::Internal(format!(
                    "connection {id}: a rotation found a previous secret still live"
                )));
            }
            id.clone()
        }
        ConnectionWrite::RetirePrevious { id } => {
            let sql = "UPDATE connections SET previous_secret = NULL, \
                       previous_secret_created_at = NULL WHERE id = $1";
            cached::execute(tx, sql, &[id]).await?;
            id.clone()
        }
        ConnectionWrite::Delete { id } => {
            cached::execute(tx, "DELETE FROM connections WHERE id = $1", &[id]).await?;
            id.clone()
        }
    })
}

/// Keeps the loaded secret times in step with what [`connection`] wrote.
fn track_secret_times(loaded: &mut Loaded, write: &ConnectionWrite, at: &str) {
    let times = &mut loaded.secret_times;
    let renewed = |previous| SecretTimes {
        current: at.to_owned(),
        previous,
    };
    match write {
        ConnectionWrite::Insert(c) => {
            times.insert(c.id.clone(), renewed(None));
        }
        ConnectionWrite::SetSecret { id, .. } => {
            times.insert(id.clone(), renewed(None));
        }
        ConnectionWrite::RotateSecret { id, .. } => {
            let before = times.remove(id).map(|t| t.current);
            times.insert(id.clone(), renewed(before));
        }
        ConnectionWrite::RetirePrevious { id } => {
            if let Some(t) = times.get_mut(id) {
                t.previous = None;
            }
        }
        ConnectionWrite::Delete { id } => {
            times.remove(id);
        }
        ConnectionWrite::SetVersion { .. } | ConnectionWrite::SetStatus { .. } => {}
    }
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
