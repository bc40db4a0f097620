//! Creating an app (R1–R5) and deleting it (R9): the inserts and the tombstone
//! that [`appdesk_core::decide::create`] and [`appdesk_core::decide::delete`]
//! ask for, and the lookups `create` needs (is an id or key used or retired).

use std::collections::HashMap;

use appdesk_core::decide::{ConnectionState, Creation, Deletion};
use appdesk_protocol::{Change, Tombstone};
use deadpool_postgres::Transaction;
use serde_json::json;

use super::persist::activity;
use super::{Loaded, Unpublished, views};
use crate::cached;
use crate::error::AppError;
use crate::feed;

/// Whether a live app or a tombstone has this id (`column = "id"`) or key.
pub async fn taken(tx: &Transaction<'_>, column: &str, value: &str) -> Result<bool, AppError> {
    let sql = match column {
        "id" => {
            "SELECT EXISTS (SELECT 1 FROM apps WHERE id = $1) \
                 OR EXISTS (SELECT 1 FROM deleted_apps WHERE id = $1)"
        }
        _ => {
            "SELECT EXISTS (SELECT 1 FROM apps WHERE app_key = $1) \
              OR EXISTS (SELECT 1 FROM deleted_apps WHERE app_key = $1)"
        }
    };
    Ok(cached::query_one(tx, sql, &[&value]).await?.get(0))
}

/// Inserts a new app (R1–R5) and returns it as loaded, its feed entry owed.
pub async fn creation(
    tx: &Transaction<'_>,
    workspace: &uuid::Uuid,
    c: &Creation,
) -> Result<Loaded, AppError> {
    let app = &c.app;
    let at = &c.stamp.at;
    cached::execute(
        tx,
        "INSERT INTO apps (id, workspace_id, app_key, name, organization, homepage_url, audience, \
         credentials, current_version, revision, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        &[
            &c.id,
            workspace,
            &c.app_key,
            &app.name,
            &app.organization,
            &app.homepage_url,
            &app.audience.as_str(),
            &app.credentials.as_str(),
            &c.version.version,
            &c.revision,
            at,
        ],
    )
    .await?;
    let (ids, notes): (Vec<&str>, Vec<&str>) = app
        .tenants
        .iter()
        .map(|t| (t.id.as_str(), t.note.as_str()))
        .unzip();
    cached::execute(
        tx,
        "INSERT INTO app_tenants (app_id, tenant_id, note) \
         SELECT $1, t.id, t.note FROM unnest($2::text[], $3::text[]) AS t (id, note)",
        &[&c.id, &ids, &notes],
    )
    .await?;
    let v = &c.version;
    cached::execute(
        tx,
        "INSERT INTO versions (app_id, version, scopes, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &c.id,
            &v.version,
            &json!(v.scopes),
            &v.created_at,
            &v.created_by,
        ],
    )
    .await?;
    activity(tx, workspace, &c.stamp, std::slice::from_ref(&c.activity)).await?;
    let loaded = Loaded {
        state: appdesk_core::decide::AppState {
            id: c.id.clone(),
            fields: appdesk_core::decide::AppFields {
                name: app.name.clone(),
                organization: app.organization.clone(),
                homepage_url: app.homepage_url.clone(),
                audience: app.audience,
                credentials: app.credentials,
            },
            app_key: c.app_key.clone(),
            version: v.version,
            scopes: app.scopes.clone(),
            tenants: app.tenants.clone(),
            revision: c.revision,
            connections: Vec::new(),
        },
        created_at: at.clone(),
        updated_at: at.clone(),
        connected_at: HashMap::new(),
        secret_times: HashMap::new(),
        version_scopes: HashMap::from([(v.version, v.scopes.clone())]),
        unpublished: Unpublished {
            changed: true,
            versions: vec![v.into()],
            ..Unpublished::default()
        },
    };
    Ok(loaded)
}

/// Deletes the app and its connections, keeping a tombstone whose key is
/// retired for good (R9); the feed gets an end for each of its connections
/// (`ended`), then a `deleted` entry.
pub async fn deletion(
    tx: &Transaction<'_>,
    workspace: &uuid::Uuid,
    d: &Deletion,
    connections: &[ConnectionState],
) -> Result<(), AppError> {
    let key = d.app_key.as_deref().unwrap_or_default();
    cached::execute(
        tx,
        "INSERT INTO deleted_apps (id, workspace_id, app_key, name, deleted_at, deleted_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &d.app_id,
            workspace,
            &key,
            &d.name,
            &d.stamp.at,
            &d.stamp.user,
        ],
    )
    .await?;
    cached::execute(tx, "DELETE FROM apps WHERE id = $1", &[&d.app_id]).await?;
    activity(tx, workspace, &d.stamp, std::slice::from_ref(&d.activity)).await?;
    let mut entries: Vec<Change> = connections
        .iter()
        .map(|c| views::ended_connection(&d.app_id, c, &d.stamp.at))
        .collect();
    entries.push(Change::Deleted(Tombstone {
        app_id: d.app_id.clone(),
        app_key: key.to_owned(),
        revision: d.revision,
        mutation_id: None,
    }));
    feed::append(tx, workspace, &d.app_id, &entries).await?;
    Ok(())
}
