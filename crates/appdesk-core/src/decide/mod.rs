//! The rules R1–R10 as pure decisions, shared by the SQLite store and the
//! portal's PostgreSQL store.
//!
//! A decision takes the loaded state of one app ([`AppState`]), a request and a
//! [`Stamp`], and returns the change to persist or the [`Error`](crate::Error). It does no I/O:
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
//! | [`delete_draft`] | the draft's id, name, revision | a [`Deletion`] with no key |
//! | [`next_version`] | the latest version and scope set | nothing: what a preview shows |
//! | [`behind`] | every app with a connection behind: versions, connections, upgrade requests; the time | nothing: the ledger (issue 12) |
//! | [`request_upgrade`] | [`AppState`] with its connections; the notes | each [`UpgradeRequest`] (INSERT upgrade_requests) and its [`Activity`] |
//! | [`receive_request`] | [`AppState`] with its connections; the notes if none were sent | the [`UpgradeRequest`] a client sent the portal, checked |
//! | [`request_status`], [`versions_behind`] | a request's version, its connection's, the latest | nothing: waiting, stale or done; how far behind |
//! | [`notes_range`], [`upgrade_notes`] | [`AppState`]; the scope sets of the two versions; the catalog | nothing: the notes a tenant admin reads (text or Markdown) |
//! | [`rotate`], [`retire_previous`] | [`AppState`] with its connections; whether the connection has a previous secret | [`ConnectionWrite::RotateSecret`] (seal, show once) / [`ConnectionWrite::RetirePrevious`] |
//! | [`secret_ages`] | a connection's secret dates; the policy ([`secret_max_age`] of the stored setting) | nothing: each secret's age and whether it is stale |
//! | [`catalog_diff`], [`retired_by`] | the catalog in use (with its retired resources) and the new one | the new catalog and its retired resources (a catalog update) |
//! | [`upgrade_notice`] | a connection's version and scopes in play, the latest | nothing: what a connection's view shows (R8) |
//!
//! After persisting a change, [`AppState::apply`] gives the state as now
//! stored, to decide the next request of the same transaction on, or to
//! build the answer from, without reading it back.
//!
//! A fresh app key is random (129 bits); still, if the caller finds it taken
//! (a live app or a tombstone has it), it calls [`create`] again. A change
//! decided on a state that is stale by the time it is written must be
//! refused: the SQLite store writes the revision only `WHERE revision =`
//! the loaded one and reports a conflict otherwise; do the same.
//!
//! Requests are parsed before the app is loaded ([`ScopeRequest::set`],
//! [`ScopeRequest::change`], [`TenantRequest::parse`], [`tenant_id`]), so that a
//! malformed request is refused without a database round trip and a decision
//! can only be given input that passed the field rules.

mod apply;
mod apps;
mod catalog_diff;
mod change;
mod connections;
mod ledger;
mod notes;
mod requests;
mod rotation;
mod scopes;
mod tenants;

use crate::model::{Audience, ConnectionStatus, Credentials, Environment, TenantEntry};
use crate::scope::ScopeSet;

pub use apps::{Creation, Deletion, Proposed, create, create_draft, delete, delete_draft, edit};
pub use catalog_diff::{AccessChange, CatalogDiff, Renamed, catalog_diff, retired_by};
pub use change::{Change, ClientSecret, ConnectionWrite, NewConnection, TenantWrite};
pub use connections::{connect, disable, enable, regenerate, tenant_id, upgrade, upgrade_notice};
pub use ledger::{
    BehindEntry, LedgerApp, RequestMark, RequestState, RequestTarget, UpgradeRequest, VersionEntry,
    behind, days_between, request_upgrade,
};
pub(crate) use notes::md;
pub use notes::{NoteLine, UpgradeNotes, Verb, notes_range, upgrade_notes};
pub use requests::{
    NOTES_MAX, RequestInput, RequestStatus, is_stale, receive_request, request_status,
    versions_behind,
};
pub use rotation::{
    DEFAULT_SECRET_MAX_AGE_DAYS, SecretAge, retire_previous, rotate, secret_ages, secret_max_age,
};
pub use scopes::{ScopeRequest, change_scopes, next_version};
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
    UpgradeRequest,
    Rotate,
    RetirePrevious,
    CatalogUpdate,
    /// A change pulled from the portal (or its numbering applied).
    Sync,
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
            Action::UpgradeRequest => "upgrade_request",
            Action::Rotate => "rotate",
            Action::RetirePrevious => "retire_previous",
            Action::CatalogUpdate => "catalog_update",
            Action::Sync => "sync",
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

/// A new globally unique id (UUID v7, DESIGN §2).
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
