//! Tenants' connections to an app (R8).
//!
//! A tenant in the app's list connects in one environment at the app's latest
//! version and gets a client ID and secret. Later versions come into play for it
//! only when its admin upgrades, which keeps its client ID and secret. The secret
//! is sealed before it is stored (see [`crate::secrets`]) and is only shown on
//! connect, on regenerate, or when explicitly revealed.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::activity::Stamp;
use super::keys::{self, Purpose};
use super::rows::{self, AppRow, parse_col};
use super::{Store, portal_connections, state};
use crate::decide::{self, AppState, Change};
use crate::error::{Error, Result};
use crate::model::{ConnectionStatus, ConnectionView, Environment};
use crate::scope::ScopeSet;
use crate::secrets::SecretKey;

/// A connection after an action, and whether the action changed anything
/// (upgrading a connection already on the latest version does not). Serialized
/// flat, the connection's fields and `changed`, for the CLI's `--json` and the
/// window alike.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConnectionOutcome {
    #[serde(flatten)]
    pub connection: ConnectionView,
    pub changed: bool,
}

struct ConnRow {
    pub id: String,
    pub tenant_id: String,
    pub environment: Environment,
    pub version: i64,
    pub status: ConnectionStatus,
    pub client_id: String,
    connected_at: String,
    secret_created_at: String,
    previous_secret_created_at: Option<String>,
}

const CONN_COLUMNS: &str = "id, tenant_id, environment, version, status, client_id, connected_at, secret_created_at, \
     previous_secret_created_at";

fn conn_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConnRow> {
    Ok(ConnRow {
        id: r.get(0)?,
        tenant_id: r.get(1)?,
        environment: parse_col(r, 2)?,
        version: r.get(3)?,
        status: parse_col(r, 4)?,
        client_id: r.get(5)?,
        connected_at: r.get(6)?,
        secret_created_at: r.get(7)?,
        previous_secret_created_at: r.get(8)?,
    })
}

impl Store {
    /// Connects a tenant of the app's list, at the latest version, with a new
    /// client ID and secret. The secret is in the returned view, once.
    pub fn connect(&self, app: &str, tenant: &str, env: Environment) -> Result<ConnectionView> {
        let tenant = decide::tenant_id(tenant)?;
        let key = self.secret_key(Purpose::Seal)?;
        let stamp = self.stamp();
        self.write(|conn| {
            portal_connections::refuse_if_linked(conn)?;
            keys::bind(conn, &key)?;
            let row = rows::resolve(conn, app)?;
            let change = decide::connect(&state::load(conn, &row)?, &tenant, env, &stamp)?;
            state::persist(conn, &change, Some(&key))?;
            let found = required(find(conn, &row.id, &tenant, env)?, &tenant, env)?;
            let mut view = view(conn, &row, found)?;
            view.client_secret = change.shown_secret().map(|s| s.expose().to_owned());
            Ok(view)
        })
    }

    /// Every connection of the app, by tenant and environment.
    pub fn connections(&self, app: &str) -> Result<Vec<ConnectionView>> {
        self.read(|conn| {
            let row = rows::resolve(conn, app)?;
            if let Some(pulled) = portal_connections::list(conn, &row.id)? {
                return Ok(pulled);
            }
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {CONN_COLUMNS} FROM connections WHERE app_id = ?1
                 ORDER BY tenant_id, environment"
            ))?;
            let found: Vec<ConnRow> = stmt
                .query_map([&row.id], conn_row)?
                .collect::<rusqlite::Result<_>>()?;
            let mut cache = VersionCache::default();
            found
                .into_iter()
                .map(|c| view_cached(conn, &row, c, &mut cache))
                .collect()
        })
    }

    /// One connection; with `reveal`, its client secret too.
    pub fn connection(
        &self,
        app: &str,
        tenant: &str,
        env: Environment,
        reveal: bool,
    ) -> Result<ConnectionView> {
        let key = if reveal {
            Some(self.secret_key(Purpose::Reveal)?)
        } else {
            None
        };
        self.read(|conn| {
            let row = rows::resolve(conn, app)?;
            if let Some(pulled) = portal_connections::find(conn, &row.id, tenant, env)? {
                if reveal {
                    return Err(Error::not_allowed(
                        Some("reveal"),
                        "a linked app's client secrets stay on the portal: they are never \
                         pulled, and the portal shows a secret once, on connect or regenerate",
                    ));
                }
                return pulled.ok_or_else(|| no_connection(tenant, env));
            }
            let c = required(find(conn, &row.id, tenant, env)?, tenant, env)?;
            let id = c.id.clone();
            let mut view = view(conn, &row, c)?;
            if let Some(key) = key {
                let (sealed, previous): (Vec<u8>, Option<Vec<u8>>) = conn.query_row(
                    "SELECT secret_sealed, previous_secret_sealed FROM connections WHERE id = ?1",
                    [&id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                let current = key.open(&sealed, &id)?;
                view.client_secret = Some(current.clone());
                let opened = [
                    Some(current),
                    previous.map(|p| key.open(&p, &id)).transpose()?,
                ];
                for (secret, value) in view.secrets.iter_mut().zip(opened) {
                    secret.value = value;
                }
            }
            Ok(view)
        })
    }

    /// Moves the connection to the latest version; client ID and secret stay.
    pub fn upgrade(&self, app: &str, tenant: &str, env: Environment) -> Result<ConnectionOutcome> {
        self.connection_action(app, tenant, env, None, |_, a, s| {
            decide::upgrade(a, tenant, env, s)
        })
    }

    pub fn disable(&self, app: &str, tenant: &str, env: Environment) -> Result<ConnectionOutcome> {
        self.connection_action(app, tenant, env, None, |_, a, s| {
            decide::disable(a, tenant, env, s)
        })
    }

    pub fn enable(&self, app: &str, tenant: &str, env: Environment) -> Result<ConnectionOutcome> {
        self.connection_action(app, tenant, env, None, |_, a, s| {
            decide::enable(a, tenant, env, s)
        })
    }

    /// A new client secret; the old one stops being valid. Shown once.
    pub fn regenerate_secret(
        &self,
        app: &str,
        tenant: &str,
        env: Environment,
    ) -> Result<ConnectionOutcome> {
        let key = self.secret_key(Purpose::Seal)?;
        self.connection_action(app, tenant, env, Some(key), |_, a, s| {
            decide::regenerate(a, tenant, env, s)
        })
    }

    /// The frame of every action on an existing connection: load, decide,
    /// persist, and return the connection as it is now (with a new secret to
    /// show, if the decision made one).
    pub(super) fn connection_action(
        &self,
        app: &str,
        tenant: &str,
        env: Environment,
        key: Option<SecretKey>,
        decision: impl FnOnce(&Connection, &AppState, &Stamp) -> Result<Change>,
    ) -> Result<ConnectionOutcome> {
        let stamp = self.stamp();
        self.write(|conn| {
            portal_connections::refuse_if_linked(conn)?;
            if let Some(key) = &key {
                keys::bind(conn, key)?;
            }
            let row = rows::resolve(conn, app)?;
            let change = decision(conn, &state::load(conn, &row)?, &stamp)?;
            state::persist(conn, &change, key.as_ref())?;
            let found = required(find(conn, &row.id, tenant, env)?, tenant, env)?;
            let mut connection = view(conn, &row, found)?;
            connection.client_secret = change.shown_secret().map(|s| s.expose().to_owned());
            Ok(ConnectionOutcome {
                connection,
                changed: !change.is_empty(),
            })
        })
    }
}

fn find(
    conn: &Connection,
    app_id: &str,
    tenant: &str,
    env: Environment,
) -> Result<Option<ConnRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {CONN_COLUMNS} FROM connections
             WHERE app_id = ?1 AND tenant_id = ?2 AND environment = ?3"
        ))?
        .query_row(params![app_id, tenant.trim(), env.as_str()], conn_row)
        .optional()?)
}

fn required(found: Option<ConnRow>, tenant: &str, env: Environment) -> Result<ConnRow> {
    found.ok_or_else(|| no_connection(tenant, env))
}

fn no_connection(tenant: &str, env: Environment) -> Error {
    Error::not_allowed(
        Some("tenant"),
        format!("tenant {} has no connection in {env}", tenant.trim()),
    )
}

/// Version scope sets read once per call, however many connections share them.
#[derive(Default)]
struct VersionCache(HashMap<i64, ScopeSet>);

impl VersionCache {
    fn get(&mut self, conn: &Connection, app_id: &str, version: i64) -> Result<ScopeSet> {
        if let Some(set) = self.0.get(&version) {
            return Ok(set.clone());
        }
        let set = ScopeSet::from_stored(&rows::version_scopes(conn, app_id, version)?);
        self.0.insert(version, set.clone());
        Ok(set)
    }
}

fn view(conn: &Connection, app: &AppRow, c: ConnRow) -> Result<ConnectionView> {
    view_cached(conn, app, c, &mut VersionCache::default())
}

fn view_cached(
    conn: &Connection,
    app: &AppRow,
    c: ConnRow,
    cache: &mut VersionCache,
) -> Result<ConnectionView> {
    let latest = app.version()?;
    let in_play = cache.get(conn, &app.id, c.version)?;
    let notice = decide::upgrade_notice(
        c.version,
        &in_play,
        latest,
        &cache.get(conn, &app.id, latest)?,
    );
    let upgrade_available = notice.is_some();
    let secrets = decide::secret_ages(
        &c.secret_created_at,
        c.previous_secret_created_at.as_deref(),
        &super::now(),
        super::rotation::secret_max_age(conn)?,
    )?;
    let pending = notice.unwrap_or_default();
    Ok(ConnectionView {
        tenant_id: c.tenant_id,
        environment: c.environment,
        status: c.status,
        version: c.version,
        latest_version: latest,
        upgrade_available,
        scopes_in_play: in_play.to_strings(),
        pending_added: pending.added.to_strings(),
        pending_removed: pending.removed.to_strings(),
        client_id: c.client_id,
        connected_at: c.connected_at,
        secrets,
        client_secret: None,
    })
}
