//! What a decision about a created app returns: the [`Change`] to persist,
//! made of plain writes (fields, a version, tenant and connection rows) and
//! the activity entries that describe it.
//!
//! Must not go in here: any rule (decisions make changes; this only holds
//! them) or any storage code.

use std::fmt;

use super::{Action, Activity, AppFields, AppState, ConnectionState, Stamp};
use crate::exchange::VersionRecord;
use crate::model::{ConnectionStatus, Environment, TenantEntry};

/// A client secret in plaintext, on its way to being sealed and shown once. Its
/// `Debug` does not print it, so a logged change leaks nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    pub(crate) fn generate() -> crate::Result<ClientSecret> {
        crate::secrets::new_client_secret().map(ClientSecret)
    }

    /// The plaintext: to seal it, or to show it once.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(…)")
    }
}

/// A write to the app's tenant list, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantWrite {
    Insert(TenantEntry),
    SetNote(TenantEntry),
    Delete(String),
}

/// A connection about to be inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConnection {
    pub id: String,
    pub tenant_id: String,
    pub environment: Environment,
    pub version: i64,
    pub status: ConnectionStatus,
    pub client_id: String,
    pub secret: ClientSecret,
}

impl NewConnection {
    /// The connection as loaded state (its secret stays out of it).
    pub fn state(&self) -> ConnectionState {
        ConnectionState {
            id: self.id.clone(),
            tenant_id: self.tenant_id.clone(),
            environment: self.environment,
            version: self.version,
            status: self.status,
            client_id: self.client_id.clone(),
        }
    }
}

/// A write to the app's connections, in order; all by connection id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionWrite {
    Insert(NewConnection),
    SetVersion {
        id: String,
        version: i64,
    },
    SetStatus {
        id: String,
        status: ConnectionStatus,
    },
    SetSecret {
        id: String,
        secret: ClientSecret,
    },
    /// The connection ends (its tenant left the list).
    Delete {
        id: String,
    },
}

/// What a decision about a created app asks to persist. Only decisions make
/// one (`#[non_exhaustive]`), so a store cannot persist a change no rule made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct Change {
    pub app_id: String,
    pub stamp: Stamp,
    /// The app's revision after the change: the loaded one plus 1, or the
    /// loaded one when the change is empty.
    pub revision: i64,
    /// The app's fields, when an edit changed any.
    pub fields: Option<AppFields>,
    /// A new version (always the loaded latest plus 1).
    pub version: Option<VersionRecord>,
    pub tenants: Vec<TenantWrite>,
    pub connections: Vec<ConnectionWrite>,
    pub activity: Vec<Activity>,
}

impl Change {
    pub(super) fn none(app: &AppState, stamp: &Stamp) -> Change {
        Change {
            app_id: app.id.clone(),
            stamp: stamp.clone(),
            revision: app.revision,
            fields: None,
            version: None,
            tenants: Vec::new(),
            connections: Vec::new(),
            activity: Vec::new(),
        }
    }

    /// Records an activity entry; the first one bumps the revision.
    pub(super) fn record(&mut self, app_name: &str, action: Action, summary: String) {
        if self.activity.is_empty() {
            self.revision += 1;
        }
        self.activity.push(Activity {
            app_id: self.app_id.clone(),
            app_name: app_name.to_owned(),
            action,
            summary,
        });
    }

    /// Nothing to write: the request left the app as it was.
    pub fn is_empty(&self) -> bool {
        self.activity.is_empty()
    }

    /// The client secret this change generated (connect, regenerate), to show
    /// once after it is persisted.
    pub fn shown_secret(&self) -> Option<&ClientSecret> {
        self.connections.iter().find_map(|w| match w {
            ConnectionWrite::Insert(c) => Some(&c.secret),
            ConnectionWrite::SetSecret { secret, .. } => Some(secret),
            _ => None,
        })
    }
}
