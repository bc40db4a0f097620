//! Tenants' connections to an app (R8).
//!
//! A tenant in the app's list connects in one environment at the app's latest
//! version and gets a client ID and secret. Later versions come into play for it
//! only when its admin upgrades, which keeps its client ID and secret. The secret
//! is sealed before it is stored (see [`crate::secrets`]) and is only shown on
//! connect, on regenerate, or when explicitly revealed.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::activity::{self, Action, Stamp};
use super::keys::{self, Purpose};
use super::rows::{self, AppRow, parse_col};
use super::{Store, new_id};
use crate::error::{Error, Result};
use crate::model::{ConnectionStatus, ConnectionView, Environment};
use crate::scope::ScopeSet;
use crate::secrets;
use crate::validate;

/// A connection after an action, and whether the action changed anything
/// (upgrading a connection already on the latest version does not).
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConnectionOutcome {
    pub connection: ConnectionView,
    pub changed: bool,
}

struct ConnRow {
    id: String,
    tenant_id: String,
    environment: Environment,
    version: i64,
    status: ConnectionStatus,
    client_id: String,
    connected_at: String,
}

const CONN_COLUMNS: &str = "id, tenant_id, environment, version, status, client_id, connected_at";

fn conn_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConnRow> {
    Ok(ConnRow {
        id: r.get(0)?,
        tenant_id: r.get(1)?,
        environment: parse_col(r, 2)?,
        version: r.get(3)?,
        status: parse_col(r, 4)?,
        client_id: r.get(5)?,
        connected_at: r.get(6)?,
    })
}

impl Store {
    /// Connects a tenant of the app's list, at the latest version, with a new
    /// client ID and secret. The secret is in the returned view, once.
    pub fn connect(&self, app: &str, tenant: &str, env: Environment) -> Result<ConnectionView> {
        let tenant = validate::tenant_id(tenant, "tenant").map_err(|p| Error::Invalid(vec![p]))?;
        let key = self.secret_key(Purpose::Seal)?;
        let stamp = self.stamp();
        self.write(|conn| {
            keys::bind(conn, &key)?;
            let row = rows::resolve(conn, app)?;
            let version = row.version()?;
            let listed: Option<i64> = conn
                .query_row(
                    "SELECT 1 FROM app_tenants WHERE app_id = ?1 AND tenant_id = ?2",
                    params![row.id, tenant],
                    |r| r.get(0),
                )
                .optional()?;
            if listed.is_none() {
                return Err(Error::not_allowed(
                    Some("tenant"),
                    format!(
                        "tenant {tenant} is not in {:?}'s tenant list; add it first",
                        row.name
                    ),
                ));
            }
            if find(conn, &row.id, &tenant, env)?.is_some() {
                return Err(Error::Conflict(format!(
                    "tenant {tenant} is already connected to {:?} in {env}",
                    row.name
                )));
            }
            let id = new_id();
            let client_id = secrets::new_client_id()?;
            let secret = secrets::new_client_secret()?;
            conn.execute(
                "INSERT INTO connections (id, app_id, tenant_id, environment, version, status,
                     client_id, secret_sealed, connected_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'active', ?6, ?7, ?8, ?8)",
                params![
                    id,
                    row.id,
                    tenant,
                    env.as_str(),
                    version,
                    client_id,
                    key.seal(&secret, &id)?,
                    stamp.at
                ],
            )?;
            rows::touch(conn, &row.id, &stamp.at)?;
            let summary = format!(
                "tenant {tenant} connected in {env} at version {version}; client ID {client_id}"
            );
            activity::record(
                conn,
                &stamp,
                (&row.id, &row.name),
                Action::Connect,
                &summary,
            )?;
            let mut view = view(
                conn,
                &row,
                required(find(conn, &row.id, &tenant, env)?, &tenant, env)?,
            )?;
            view.client_secret = Some(secret);
            Ok(view)
        })
    }

    /// Every connection of the app, by tenant and environment.
    pub fn connections(&self, app: &str) -> Result<Vec<ConnectionView>> {
        self.read(|conn| {
            let row = rows::resolve(conn, app)?;
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {CONN_COLUMNS} FROM connections WHERE app_id = ?1 ORDER BY tenant_id, environment"
            ))?;
            let found: Vec<ConnRow> = stmt.query_map([&row.id], conn_row)?.collect::<rusqlite::Result<_>>()?;
            let mut cache = VersionCache::default();
            found.into_iter().map(|c| view_cached(conn, &row, c, &mut cache)).collect()
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
            let c = required(find(conn, &row.id, tenant, env)?, tenant, env)?;
            let id = c.id.clone();
            let mut view = view(conn, &row, c)?;
            if let Some(key) = key {
                let sealed: Vec<u8> = conn.query_row(
                    "SELECT secret_sealed FROM connections WHERE id = ?1",
                    [&id],
                    |r| r.get(0),
                )?;
                view.client_secret = Some(key.open(&sealed, &id)?);
            }
            Ok(view)
        })
    }

    /// Moves the connection to the latest version; client ID and secret stay.
    pub fn upgrade(&self, app: &str, tenant: &str, env: Environment) -> Result<ConnectionOutcome> {
        self.update_connection(app, tenant, env, |conn, stamp, row, c| {
            let latest = row.version()?;
            if c.version == latest {
                return Ok(None);
            }
            conn.execute(
                "UPDATE connections SET version = ?2, updated_at = ?3 WHERE id = ?1",
                params![c.id, latest, stamp.at],
            )?;
            Ok(Some((
                Action::Upgrade,
                format!("upgraded from version {} to {latest}", c.version),
                None,
            )))
        })
    }

    pub fn disable(&self, app: &str, tenant: &str, env: Environment) -> Result<ConnectionOutcome> {
        self.set_status(app, tenant, env, ConnectionStatus::Disabled)
    }

    pub fn enable(&self, app: &str, tenant: &str, env: Environment) -> Result<ConnectionOutcome> {
        self.set_status(app, tenant, env, ConnectionStatus::Active)
    }

    /// A new client secret; the old one stops being valid. Shown once.
    pub fn regenerate_secret(
        &self,
        app: &str,
        tenant: &str,
        env: Environment,
    ) -> Result<ConnectionOutcome> {
        let key = self.secret_key(Purpose::Seal)?;
        self.update_connection(app, tenant, env, |conn, stamp, _, c| {
            keys::bind(conn, &key)?;
            let secret = secrets::new_client_secret()?;
            conn.execute(
                "UPDATE connections SET secret_sealed = ?2, updated_at = ?3 WHERE id = ?1",
                params![c.id, key.seal(&secret, &c.id)?, stamp.at],
            )?;
            Ok(Some((
                Action::Regenerate,
                "client secret regenerated".to_owned(),
                Some(secret),
            )))
        })
    }

    fn set_status(
        &self,
        app: &str,
        tenant: &str,
        env: Environment,
        to: ConnectionStatus,
    ) -> Result<ConnectionOutcome> {
        self.update_connection(app, tenant, env, |conn, stamp, _, c| {
            if c.status == to {
                return Ok(None);
            }
            conn.execute(
                "UPDATE connections SET status = ?2, updated_at = ?3 WHERE id = ?1",
                params![c.id, to.as_str(), stamp.at],
            )?;
            Ok(Some(match to {
                ConnectionStatus::Active => (Action::Enable, "enabled".to_owned(), None),
                ConnectionStatus::Disabled => (Action::Disable, "disabled".to_owned(), None),
            }))
        })
    }

    /// The frame of every connection action: find it, let `change` act (returning
    /// the activity to record and maybe a new secret to show, or `None` for no
    /// change), record, and return the connection as it is now.
    fn update_connection(
        &self,
        app: &str,
        tenant: &str,
        env: Environment,
        change: impl FnOnce(
            &Connection,
            &Stamp,
            &AppRow,
            &ConnRow,
        ) -> Result<Option<(Action, String, Option<String>)>>,
    ) -> Result<ConnectionOutcome> {
        let stamp = self.stamp();
        self.write(|conn| {
            let row = rows::resolve(conn, app)?;
            let c = required(find(conn, &row.id, tenant, env)?, tenant, env)?;
            let outcome = change(conn, &stamp, &row, &c)?;
            let changed = outcome.is_some();
            let mut secret = None;
            if let Some((action, what, new_secret)) = outcome {
                rows::touch(conn, &row.id, &stamp.at)?;
                let summary = format!("tenant {} in {}: {what}", c.tenant_id, c.environment);
                activity::record(conn, &stamp, (&row.id, &row.name), action, &summary)?;
                secret = new_secret;
            }
            let mut connection = view(
                conn,
                &row,
                required(find(conn, &row.id, tenant, env)?, tenant, env)?,
            )?;
            connection.client_secret = secret;
            Ok(ConnectionOutcome {
                connection,
                changed,
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
            "SELECT {CONN_COLUMNS} FROM connections WHERE app_id = ?1 AND tenant_id = ?2 AND environment = ?3"
        ))?
        .query_row(params![app_id, tenant.trim(), env.as_str()], conn_row)
        .optional()?)
}

fn required(found: Option<ConnRow>, tenant: &str, env: Environment) -> Result<ConnRow> {
    found.ok_or_else(|| {
        Error::not_allowed(
            Some("tenant"),
            format!("tenant {} has no connection in {env}", tenant.trim()),
        )
    })
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
    let pending = in_play.diff(&cache.get(conn, &app.id, latest)?);
    Ok(ConnectionView {
        tenant_id: c.tenant_id,
        environment: c.environment,
        status: c.status,
        version: c.version,
        latest_version: latest,
        upgrade_available: c.version < latest,
        scopes_in_play: in_play.to_strings(),
        pending_added: pending.added.to_strings(),
        pending_removed: pending.removed.to_strings(),
        client_id: c.client_id,
        connected_at: c.connected_at,
        client_secret: None,
    })
}
