//! The rules R1–R10 as pure decisions, shared by the SQLite store and the
//! portal's PostgreSQL store.
//!
//! A decision takes the loaded state of one app ([`AppState`]), a request and a
//! [`Stamp`], and returns the change to persist or the [`Error`]. It does no I/O:
//! no SQL, no file, no clock. It may draw credentials (app key, client ID,
//! client secret, ids) from the OS CSPRNG through [`crate::secrets`]: that is
//! part of the rule (R4, R8 say "from the OS CSPRNG"), it touches no stored
//! state, and passing a generator through every signature would buy nothing the
//! property tests need (they check formats and invariants, not values).
//!
//! **What must not go in here:** SQL or any storage type (`rusqlite`,
//! `tokio-postgres`), reading the clock (the caller's [`Stamp`] carries the
//! time), sealing secrets (storage's business: the store seals
//! [`ClientSecret`]s with its own key), and views (what a screen shows).
//!
//! # How to call it (store or portal)
//!
//! In one transaction: load, decide, persist every part of the result in order,
//! then build the view. An `Err` leaves nothing to persist. A [`Change`] whose
//! [`is_empty`](Change::is_empty) is true changes nothing: write nothing, not
//! even the revision. Otherwise set the app's `revision` to
//! [`Change::revision`] and `updated_at` to the stamp's time, and write each
//! [`Activity`] with the stamp.
//!
//! | function | the caller loads | the caller persists |
//! |---|---|---|
//! | [`create`] | the [`Proposed`] id and key, each looked up: used by a live app, or by a tombstone | a [`Creation`]: INSERT the app (revision [`Creation::revision`]), its tenants, version 1, one activity; tell the client its [`Creation::notices`] |
//! | [`create_draft`] | the draft's id, revision, content | a [`Creation`] over the draft row (UPDATE) |
//! | [`edit`] | [`AppState`] | [`Change::fields`] (UPDATE apps) |
//! | [`change_scopes`] with a [`ScopeRequest`] | [`AppState`] | [`Change::version`] (INSERT versions; UPDATE apps latest version) |
//! | [`change_tenants`] with a [`TenantRequest`] | [`AppState`] with its connections | [`Change::tenants`] then [`Change::connections`] (a removed tenant's connections end) |
//! | [`connect`] | [`AppState`] with its connections | [`ConnectionWrite::Insert`]; seal the secret, show it once |
//! | [`upgrade`], [`disable`], [`enable`] | [`AppState`] with its connections | [`ConnectionWrite::SetVersion`] / [`ConnectionWrite::SetStatus`] |
//! | [`regenerate`] | [`AppState`] with its connections | [`ConnectionWrite::SetSecret`]; seal, show once |
//! | [`delete`] | [`AppState`] with its connections | a [`Deletion`]: tombstone (key retired forever), delete the app and its connections |
//!
//! Requests are parsed before the app is loaded ([`ScopeRequest::set`],
//! [`ScopeRequest::change`], [`TenantRequest::parse`], [`tenant_id`]), so that a
//! malformed request is refused without a database round trip and a decision
//! can only be given input that passed the field rules.

mod apps;
mod connections;
mod scopes;
mod tenants;

use std::fmt;

use crate::exchange::VersionRecord;
use crate::model::{Audience, ConnectionStatus, Credentials, Environment, TenantEntry};
use crate::scope::ScopeSet;

pub use apps::{Creation, Deletion, Proposed, create, create_draft, delete, delete_draft, edit};
pub use connections::{connect, disable, enable, regenerate, tenant_id, upgrade};
pub use scopes::{ScopeRequest, change_scopes};
pub use tenants::{TenantAdd, TenantRequest, change_tenants};

/// Who and when, for one change (R10). The caller reads the clock and the
/// configured user; decisions only copy it into what they return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub user: String,
    /// RFC 3339 UTC with milliseconds.
    pub at: String,
}

/// What happened, as recorded in the activity log (R10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Draft,
    DraftEdit,
    Create,
    Edit,
    Scopes,
    TenantAdded,
    TenantUpdated,
    TenantRemoved,
    Connect,
    Upgrade,
    Disable,
    Enable,
    Regenerate,
    Delete,
    Import,
}

impl Action {
    /// The stored form, `activity.action`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Draft => "draft",
            Action::DraftEdit => "draft_edit",
            Action::Create => "create",
            Action::Edit => "edit",
            Action::Scopes => "scopes",
            Action::TenantAdded => "tenant_added",
            Action::TenantUpdated => "tenant_updated",
            Action::TenantRemoved => "tenant_removed",
            Action::Connect => "connect",
            Action::Upgrade => "upgrade",
            Action::Disable => "disable",
            Action::Enable => "enable",
            Action::Regenerate => "regenerate",
            Action::Delete => "delete",
            Action::Import => "import",
        }
    }
}

/// One activity entry to write, with the change's stamp (R10). The summary's
/// wording lives here, once, for every store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub app_id: String,
    /// The app's name as of this change (an edit may rename it).
    pub app_name: String,
    pub action: Action,
    pub summary: String,
}

/// An app's own fields (R1), as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppFields {
    pub name: String,
    pub organization: String,
    pub homepage_url: String,
    pub audience: Audience,
    pub credentials: Credentials,
}

/// The loaded state of one created app: what every decision about it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppState {
    pub id: String,
    pub fields: AppFields,
    pub app_key: String,
    /// The latest version (R5).
    pub version: i64,
    /// The latest version's scope set.
    pub scopes: ScopeSet,
    pub tenants: Vec<TenantEntry>,
    pub revision: i64,
    /// Every connection of the app (R8).
    pub connections: Vec<ConnectionState>,
}

/// One connection as loaded (its sealed secret stays in storage).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionState {
    pub id: String,
    pub tenant_id: String,
    pub environment: Environment,
    pub version: i64,
    pub status: ConnectionStatus,
    pub client_id: String,
}

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
    fn none(app: &AppState, stamp: &Stamp) -> Change {
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
    fn record(&mut self, app_name: &str, action: Action, summary: String) {
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

/// A new globally unique id (UUID v7, DESIGN §2).
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
