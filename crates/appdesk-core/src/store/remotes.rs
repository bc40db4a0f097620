//! Linking this database to a portal: `appdesk remote add | list | remove`.
//!
//! One database links to one portal at a time: the portal decides app keys
//! and version numbers (SYNC.md §1), and two authorities over one app cannot
//! both be right. The bearer token is sealed with the store's key file, the
//! same way as client secrets, bound to the remote's name; no view of a
//! remote ever carries it. Linking a database that already has apps queues
//! their creation, so the next sync pushes them (never synced is not deleted).

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::keys::{self, Purpose};
use super::rows::{APP_COLUMNS, AppRow};
use super::{Store, outbox, state};
use crate::error::{Error, Result};
use crate::sync::{Intent, Snapshot, link};

/// A remote as listed: never its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Remote {
    pub name: String,
    pub url: String,
    /// Always `"sealed"`: the token is kept, never shown.
    pub token: &'static str,
    pub created_at: String,
    /// Intents in the outbox, not yet acknowledged by the portal.
    pub pending: i64,
    pub last_synced_at: Option<String>,
}

/// The outcome of `remote add`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RemoteAdded {
    pub remote: Remote,
    /// Existing apps queued for their first push.
    pub queued_apps: i64,
}

/// The outcome of `remote remove`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RemoteRemoved {
    pub name: String,
    /// Queued intents that will not be pushed (the local apps stay as they are).
    pub dropped_intents: i64,
}

/// A remote's bearer token in plaintext, for the request that sends it. Its
/// `Debug` does not print it.
#[derive(Clone, PartialEq, Eq)]
pub struct BearerToken(String);

impl BearerToken {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerToken(…)")
    }
}

fn token_context(name: &str) -> String {
    format!("remote:{name}")
}

impl Store {
    /// Links this database to the portal at `url`, sealing `token`.
    pub fn add_remote(&self, name: &str, url: &str, token: &str) -> Result<RemoteAdded> {
        let link::NewRemote { name, url, token } = link::new_remote(name, url, token)?;
        let key = self.secret_key(Purpose::Seal)?;
        let sealed = key.seal(&token, &token_context(&name))?;
        let stamp = self.stamp();
        let queued_apps = self.write(|conn| {
            keys::bind(conn, &key)?;
            if let Some(other) = outbox::linked(conn)? {
                return Err(Error::conflict(
                    "name",
                    format!(
                        "this database is already linked to the remote {other:?}; a database \
                         syncs with one portal (remove it first: appdesk remote remove {other})"
                    ),
                ));
            }
            conn.execute(
                "INSERT INTO remotes (name, url, token_sealed, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![name, url, sealed, stamp.at],
            )?;
            conn.execute("INSERT INTO sync_state (remote) VALUES (?1)", [&name])?;
            let mut stmt = conn.prepare(&format!(
                "SELECT {APP_COLUMNS} FROM apps WHERE status = 'created' ORDER BY seq"
            ))?;
            let rows = stmt
                .query_map([], AppRow::from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for row in &rows {
                let app = state::load(conn, row)?;
                let intent = Intent::Create {
                    app: Snapshot::of_state(&app),
                };
                let at = (app.id.as_str(), app.revision, Some(app.version));
                outbox::enqueue(conn, &name, at, &intent, &stamp)?;
            }
            Ok(rows.len() as i64)
        })?;
        let remote = self
            .remotes()?
            .into_iter()
            .find(|r| r.name == name)
            .ok_or_else(|| Error::conflict("name", format!("the remote {name:?} vanished")))?;
        Ok(RemoteAdded {
            remote,
            queued_apps,
        })
    }

    /// Every remote (zero or one), without tokens.
    pub fn remotes(&self) -> Result<Vec<Remote>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT r.name, r.url, r.created_at,
                        (SELECT count(*) FROM outbox o WHERE o.remote = r.name), s.last_synced_at
                 FROM remotes r LEFT JOIN sync_state s ON s.remote = r.name ORDER BY r.name",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(Remote {
                    name: r.get(0)?,
                    url: r.get(1)?,
                    token: "sealed",
                    created_at: r.get(2)?,
                    pending: r.get(3)?,
                    last_synced_at: r.get(4)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Unlinks: the remote, its sync state, outbox, bases and conflicts go;
    /// the local apps stay exactly as they are, and upgrade requests not yet
    /// sent stay local.
    pub fn remove_remote(&self, name: &str) -> Result<RemoteRemoved> {
        self.write(|conn| {
            let dropped: i64 = conn.query_row(
                "SELECT count(*) FROM outbox WHERE remote = ?1",
                [name],
                |r| r.get(0),
            )?;
            if conn.execute("DELETE FROM remotes WHERE name = ?1", [name])? == 0 {
                return Err(no_remote(name));
            }
            // Not sent to another portal a remote of the same name may be.
            conn.execute(
                "UPDATE upgrade_requests SET send_remote = NULL, send_state = NULL
                 WHERE send_remote = ?1 AND send_state = 'queued'",
                [name],
            )?;
            Ok(RemoteRemoved {
                name: name.to_owned(),
                dropped_intents: dropped,
            })
        })
    }

    /// Replaces a remote's token, on purpose (the portal revoked the old one):
    /// the new one is checked and sealed like the first, and the outbox, the
    /// sync state, the bases and the conflicts stay, so the next sync finishes
    /// the job where it stopped. Unlinking and linking again would drop them.
    pub fn replace_remote_token(&self, name: &str, token: &str) -> Result<Remote> {
        let token = link::token(token)?;
        let key = self.secret_key(Purpose::Seal)?;
        let sealed = key.seal(&token, &token_context(name))?;
        self.write(|conn| {
            keys::bind(conn, &key)?;
            let changed = conn.execute(
                "UPDATE remotes SET token_sealed = ?2 WHERE name = ?1",
                params![name, sealed],
            )?;
            if changed == 0 {
                return Err(no_remote(name));
            }
            Ok(())
        })?;
        self.remotes()?
            .into_iter()
            .find(|r| r.name == name)
            .ok_or_else(|| no_remote(name))
    }

    /// Opens a remote's sealed token, for the request that sends it.
    pub fn remote_token(&self, name: &str) -> Result<BearerToken> {
        let sealed: Vec<u8> = self
            .read(|conn| {
                Ok(conn
                    .query_row(
                        "SELECT token_sealed FROM remotes WHERE name = ?1",
                        [name],
                        |r| r.get(0),
                    )
                    .optional()?)
            })?
            .ok_or_else(|| no_remote(name))?;
        Ok(BearerToken(
            self.secret_key(Purpose::Reveal)?
                .open(&sealed, &token_context(name))?,
        ))
    }
}

fn no_remote(name: &str) -> Error {
    Error::invalid(
        "name",
        format!("no remote is named {name:?} (see appdesk remote list)"),
    )
}
