//! Connections in a linked database (issue 10 §5): the portal's, kept
//! read-only. A pull replaces an app's list in one transaction
//! ([`Store::replace_portal_connections`]); the reads of connections show
//! that list instead of the local table; and every local connection action is
//! refused here, once, so no path (CLI, window, import) can make a connection
//! the portal does not know. An action reaches the portal's tenant-admin
//! endpoint through the sync client instead, which asks this module for the
//! revision to send ([`Store::portal_target`]) and records the answer
//! ([`Store::record_portal_connection`]).
//!
//! There is no column for a client secret: a secret the portal shows once
//! (connect, regenerate, rotate) is printed by the caller and never stored.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Store, outbox, rows};
use crate::error::{Error, Result};
use crate::model::{ConnectionView, Environment};
use crate::sync::PulledConnection;
use crate::sync::connections::check;

/// Where a connection action on a linked app goes: the remote, the app's id
/// on the portal, and the portal revision it was last synced at (sent as
/// `If-Match`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortalTarget {
    pub remote: String,
    pub app_id: String,
    pub revision: i64,
}

const COLUMNS: &str = "tenant_id, environment, status, version, latest_version, \
     upgrade_available, scopes_in_play, pending_added, pending_removed, client_id, connected_at";

impl Store {
    /// The remote this database is linked to, if any.
    pub fn linked_remote(&self) -> Result<Option<String>> {
        self.read(outbox::linked)
    }

    /// Replaces the connections of the app `app_id` with the portal's list,
    /// as pulled. The list is checked whole first; a bad one writes nothing.
    /// Returns how many are kept.
    pub fn replace_portal_connections(
        &self,
        app_id: &str,
        pulled: &[PulledConnection],
    ) -> Result<usize> {
        check(pulled)?;
        let at = super::now();
        self.write(|conn| {
            let remote = outbox::linked(conn)?.ok_or_else(|| {
                Error::not_allowed(
                    Some("remote"),
                    "this database is not linked to a portal; its connections are its own",
                )
            })?;
            let row = rows::app_row(conn, app_id)?;
            replace_in(conn, &remote, &row.id, pulled, &at)?;
            Ok(pulled.len())
        })
    }

    /// A connection action on a linked app: where it goes and the revision to
    /// send. An app the portal has never seen is refused: sync first.
    pub fn portal_target(&self, app: &str) -> Result<PortalTarget> {
        self.read(|conn| {
            let remote = outbox::linked(conn)?.ok_or_else(|| {
                Error::not_allowed(Some("remote"), "this database is not linked to a portal")
            })?;
            let row = rows::resolve(conn, app)?;
            let revision: Option<i64> = conn
                .query_row(
                    "SELECT revision FROM sync_bases WHERE remote = ?1 AND app_id = ?2",
                    params![remote, row.id],
                    |r| r.get(0),
                )
                .optional()?;
            let revision = revision.ok_or_else(|| {
                Error::not_allowed(
                    Some("app"),
                    format!(
                        "the app {:?} is not on the portal {remote:?} yet; run appdesk sync \
                         first, then act on its connections",
                        row.name
                    ),
                )
            })?;
            Ok(PortalTarget {
                remote,
                app_id: row.id,
                revision,
            })
        })
    }

    /// Records the portal's answer to a connection action: the connection as
    /// it is now (its secret, if shown, is not part of it). When the portal
    /// was still at the revision sent, the action changed nothing but this
    /// connection, so the app's synced base moves to the new revision and the
    /// next action is not refused as stale.
    pub fn record_portal_connection(
        &self,
        target: &PortalTarget,
        new_revision: Option<i64>,
        connection: &PulledConnection,
    ) -> Result<()> {
        check(std::slice::from_ref(connection))?;
        let at = super::now();
        self.write(|conn| {
            upsert(conn, &target.remote, &target.app_id, connection, &at)?;
            if let Some(new) = new_revision {
                conn.execute(
                    "UPDATE sync_bases SET revision = ?4
                     WHERE remote = ?1 AND app_id = ?2 AND revision = ?3 AND ?4 > ?3",
                    params![target.remote, target.app_id, target.revision, new],
                )?;
            }
            Ok(())
        })
    }
}

/// Refuses a local connection action in a linked database, saying why.
pub(super) fn refuse_if_linked(conn: &Connection) -> Result<()> {
    match outbox::linked(conn)? {
        None => Ok(()),
        Some(remote) => Err(Error::not_allowed(
            Some("tenant"),
            format!(
                "connections of a linked app are the tenant admin's, on the portal {remote:?}: \
                 this database shows them read-only; act on them through the portal with a \
                 token that is a tenant admin of the tenant"
            ),
        )),
    }
}

/// The portal's connections of an app, if they are the ones in effect (the
/// database is linked).
pub(super) fn list(conn: &Connection, app_id: &str) -> Result<Option<Vec<ConnectionView>>> {
    if !super::in_effect::InEffect::of(conn)?.portal() {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM portal_connections WHERE app_id = ?1
         ORDER BY tenant_id, environment"
    ))?;
    let found = stmt
        .query_map([app_id], read)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    found
        .into_iter()
        .map(|c| c.map(PulledConnection::into_view))
        .collect::<Result<_>>()
        .map(Some)
}

/// One of the portal's connections, if this database is linked.
pub(super) fn find(
    conn: &Connection,
    app_id: &str,
    tenant: &str,
    env: Environment,
) -> Result<Option<Option<ConnectionView>>> {
    Ok(list(conn, app_id)?.map(|all| {
        all.into_iter()
            .find(|c| c.tenant_id == tenant.trim() && c.environment == env)
    }))
}

/// Replaces the stored connections of the app `app_id` (which exists) with
/// `pulled`, checked by the caller, in the caller's transaction.
pub(super) fn replace_in(
    conn: &Connection,
    remote: &str,
    app_id: &str,
    pulled: &[PulledConnection],
    at: &str,
) -> Result<()> {
    conn.execute("DELETE FROM portal_connections WHERE app_id = ?1", [app_id])?;
    for c in pulled {
        upsert(conn, remote, app_id, c, at)?;
    }
    Ok(())
}

fn upsert(
    conn: &Connection,
    remote: &str,
    app_id: &str,
    c: &PulledConnection,
    at: &str,
) -> Result<()> {
    let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached(
        "INSERT OR REPLACE INTO portal_connections (remote, app_id, tenant_id, environment, status,
             version, latest_version, upgrade_available, scopes_in_play, pending_added,
             pending_removed, client_id, connected_at, pulled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        remote,
        app_id,
        c.tenant_id,
        c.environment.as_str(),
        c.status.as_str(),
        c.version,
        c.latest_version,
        c.upgrade_available,
        json(&c.scopes_in_play),
        json(&c.pending_added),
        json(&c.pending_removed),
        c.client_id,
        c.connected_at,
        at
    ])?;
    Ok(())
}

/// A stored row back as the portal sent it; a JSON column that does not read
/// back is corruption, named by its row.
fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<PulledConnection>> {
    let tenant: String = r.get(0)?;
    let list = |i: usize, name: &str| -> rusqlite::Result<Result<Vec<String>>> {
        let text: String = r.get(i)?;
        Ok(serde_json::from_str(&text).map_err(|e| Error::Corrupt {
            table: "portal_connections".into(),
            row: format!("tenant {tenant}"),
            column: name.into(),
            reason: e.to_string(),
        }))
    };
    let (scopes, added, removed) = (
        list(6, "scopes_in_play")?,
        list(7, "pending_added")?,
        list(8, "pending_removed")?,
    );
    let environment = rows::parse_col(r, 1)?;
    let status = rows::parse_col(r, 2)?;
    let (version, latest, upgrade) = (r.get(3)?, r.get(4)?, r.get(5)?);
    let (client_id, connected_at) = (r.get(9)?, r.get(10)?);
    Ok((|| {
        Ok(PulledConnection {
            tenant_id: tenant.clone(),
            environment,
            status,
            version,
            latest_version: latest,
            upgrade_available: upgrade,
            scopes_in_play: scopes?,
            pending_added: added?,
            pending_removed: removed?,
            client_id,
            connected_at,
        })
    })())
}
