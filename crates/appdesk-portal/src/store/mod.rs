//! The portal's PostgreSQL store: it loads one app's state, hands it to a
//! decision of `appdesk_core::decide`, and persists what the decision returns
//! ([`persist`]). It never decides anything itself: no validation, no version
//! numbering, no key rules. Views are built in [`views`].
//!
//! Every query names the caller's workspace (or, for a tenant admin, their
//! tenants), so an app the caller may not see is not found (404), never
//! forbidden.

pub mod lifecycle;
pub mod pages;
pub mod persist;
pub mod requests;
#[cfg(test)]
pub(crate) mod tests;
pub mod views;

use std::collections::HashMap;

use appdesk_core::decide::{AppFields, AppState, ConnectionState, Stamp};
use appdesk_core::{ScopeSet, TenantEntry};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use crate::cached;
use crate::error::AppError;

/// One app as loaded: the state decisions read, and what views add to it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub state: AppState,
    pub created_at: String,
    pub updated_at: String,
    /// Per connection id: when it connected.
    pub connected_at: HashMap<String, String>,
    /// Per connection id: when its live secrets were made.
    pub secret_times: HashMap<String, SecretTimes>,
    /// Each connection's version's scopes, by version.
    pub version_scopes: HashMap<i64, Vec<String>>,
    /// What the writes so far change in the feed; see [`persist::publish`].
    pub unpublished: Unpublished,
}

/// When a connection's live secrets were made: the current one, and the
/// previous one while a rotation overlaps them (until it is retired; see
/// `appdesk_core::decide::rotate`). Never a secret's value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretTimes {
    pub current: String,
    pub previous: Option<String>,
}

impl Loaded {
    /// Whether `tenant`'s connection in `env` has a previous secret still
    /// valid: what the core's rotation rules ask of storage. No connection:
    /// `false` (the rule itself then refuses, naming the tenant).
    pub fn has_previous_secret(&self, tenant: &str, env: appdesk_core::Environment) -> bool {
        self.state
            .connections
            .iter()
            .find(|c| c.tenant_id == tenant && c.environment == env)
            .and_then(|c| self.secret_times.get(&c.id))
            .is_some_and(|t| t.previous.is_some())
    }
}

/// The feed entries a write owes: the app's snapshot if anything changed, and
/// the snapshots of the connections it touched (all of them after a new
/// version, which changes every connection's upgrade notice), and an end for
/// each connection it ended.
#[derive(Debug, Clone, Default)]
pub struct Unpublished {
    pub changed: bool,
    pub new_version: bool,
    pub connections: Vec<String>,
    /// The `connection` entries, with status `ended`, of the connections the
    /// write ended (a tenant removed): built before the connection leaves the
    /// loaded state, so the feed can still name it.
    pub ended: Vec<appdesk_protocol::Change>,
    /// The versions the write made, carried by its feed entry so that a
    /// client following the feed has the history without asking for it app
    /// by app.
    pub versions: Vec<appdesk_protocol::VersionRecord>,
}

/// The columns [`decode`] reads, in its order (a macro so that the paged
/// listings can add their sort key after them).
macro_rules! app_columns {
    () => {
        "
    SELECT a.id, a.name, a.organization, a.homepage_url, a.audience, a.credentials, a.app_key,
           a.current_version, a.revision, a.created_at, a.updated_at, v.scopes,
           (SELECT coalesce(jsonb_agg(jsonb_build_array(t.tenant_id, t.note) ORDER BY t.tenant_id),
                            '[]'::jsonb)
              FROM app_tenants t WHERE t.app_id = a.id),
           (SELECT coalesce(jsonb_agg(jsonb_build_array(c.id, c.tenant_id, c.environment, c.status,
                                       c.version, c.client_id, c.connected_at, cv.scopes,
                                       c.secret_created_at, c.previous_secret_created_at)
                                      ORDER BY c.tenant_id, c.environment), '[]'::jsonb)
              FROM connections c
              JOIN versions cv ON cv.app_id = c.app_id AND cv.version = c.version
             WHERE c.app_id = a.id)"
    };
}
pub(crate) use app_columns;

/// Where [`app_columns`] come from.
macro_rules! app_from {
    () => {
        "
    FROM apps a
    JOIN versions v ON v.app_id = a.id AND v.version = a.current_version"
    };
}
pub(crate) use app_from;

const SELECT_APP: &str = concat!(app_columns!(), app_from!());

/// Loads the app `id` of `workspace`, first locking its row when `for_update`
/// (every write does: that serialises writers per app, so versions have no
/// gaps).
///
/// The lock is its own statement on purpose: under READ COMMITTED a statement
/// reads from the snapshot it started with, so a load that waited for the lock
/// inside one statement would see the app row as the previous writer left it
/// but its tenants, versions and connections as they were before. The load
/// after the lock starts a fresh snapshot that sees the previous writer's
/// commit whole.
pub async fn load(
    client: &impl GenericClient,
    workspace: &uuid::Uuid,
    id: &str,
    for_update: bool,
) -> Result<Loaded, AppError> {
    if for_update {
        cached::query_opt(
            client,
            "SELECT 1 FROM apps WHERE id = $1 AND workspace_id = $2 FOR UPDATE",
            &[&id, workspace],
        )
        .await?
        .ok_or_else(|| AppError::not_found(id))?;
    }
    let sql = format!("{SELECT_APP} WHERE a.id = $1 AND a.workspace_id = $2");
    let row = cached::query_opt(client, &sql, &[&id, workspace])
        .await?
        .ok_or_else(|| AppError::not_found(id))?;
    decode(&row)
}

/// Every app of `workspace`, by name.
pub async fn load_all(
    client: &impl GenericClient,
    workspace: &uuid::Uuid,
) -> Result<Vec<Loaded>, AppError> {
    let sql = format!("{SELECT_APP} WHERE a.workspace_id = $1 ORDER BY lower(a.name), a.id");
    cached::query(client, &sql, &[workspace])
        .await?
        .iter()
        .map(decode)
        .collect()
}

/// Every app, in any workspace, that lists one of `tenants`, by name: a
/// tenant admin's apps ([`crate::tenant_admin`] decides what of them is shown).
pub async fn load_for_tenants(
    client: &impl GenericClient,
    tenants: &[String],
) -> Result<Vec<Loaded>, AppError> {
    let sql = format!(
        "{SELECT_APP} WHERE a.id IN (SELECT t.app_id FROM app_tenants t \
         WHERE t.tenant_id = ANY($1)) ORDER BY lower(a.name), a.id"
    );
    cached::query(client, &sql, &[&tenants])
        .await?
        .iter()
        .map(decode)
        .collect()
}

pub(crate) fn decode(row: &Row) -> Result<Loaded, AppError> {
    let id: String = row.get(0);
    let corrupt = |what: &str| AppError::Internal(format!("app {id}: stored {what} is damaged"));
    let scopes: Vec<String> =
        serde_json::from_value(row.get(11)).map_err(|_| corrupt("scope set"))?;
    let tenants: Vec<(String, String)> =
        serde_json::from_value(row.get(12)).map_err(|_| corrupt("tenant list"))?;
    type ConnRow = (
        String,
        String,
        String,
        String,
        i64,
        String,
        String,
        Vec<String>,
        String,
        Option<String>,
    );
    let connections: Vec<ConnRow> =
        serde_json::from_value(row.get(13)).map_err(|_| corrupt("connections"))?;
    let mut connected_at = HashMap::new();
    let mut secret_times = HashMap::new();
    let mut version_scopes = HashMap::new();
    let mut states = Vec::with_capacity(connections.len());
    for (cid, tenant, env, status, version, client_id, at, scopes, current, previous) in connections
    {
        states.push(ConnectionState {
            id: cid.clone(),
            tenant_id: tenant,
            environment: env.parse().map_err(|_| corrupt("environment"))?,
            version,
            status: status.parse().map_err(|_| corrupt("status"))?,
            client_id,
        });
        secret_times.insert(cid.clone(), SecretTimes { current, previous });
        connected_at.insert(cid, at);
        version_scopes.insert(version, scopes);
    }
    let version: i64 = row.get(7);
    version_scopes.insert(version, scopes.clone());
    let audience: String = row.get(4);
    let credentials: String = row.get(5);
    Ok(Loaded {
        state: AppState {
            id: id.clone(),
            fields: AppFields {
                name: row.get(1),
                organization: row.get(2),
                homepage_url: row.get(3),
                audience: audience.parse().map_err(|_| corrupt("audience"))?,
                credentials: credentials.parse().map_err(|_| corrupt("credentials"))?,
            },
            app_key: row.get(6),
            version,
            scopes: ScopeSet::from_stored(&scopes),
            tenants: tenants
                .into_iter()
                .map(|(id, note)| TenantEntry { id, note })
                .collect(),
            revision: row.get(8),
            connections: states,
        },
        created_at: row.get(9),
        updated_at: row.get(10),
        connected_at,
        secret_times,
        version_scopes,
        unpublished: Unpublished::default(),
    })
}

/// Who and when, for a change by `user` now (R10).
pub fn stamp(user: &str) -> Stamp {
    Stamp {
        user: user.to_owned(),
        at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    }
}
