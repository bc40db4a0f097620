//! The change feed (`GET /v1/changes`): a page of entries, each a typed
//! [`Change`] told apart by its `type`, never by looking into a JSON value.

use serde::{Deserialize, Serialize};

use crate::{App, Connection};

// `E` is the entry type: `Change` everywhere but in the portal's read path,
// which passes on the entries as it stored them (each written from a
// `Change`, the only thing its feed accepts) rather than parsing every stored
// entry again to serialize it unchanged.
/// A page of the change feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangesPage<E = Change> {
    /// Oldest first.
    pub changes: Vec<E>,
    /// The cursor for the next page (the same as `since` when nothing is new).
    pub next: String,
}

/// One entry of the feed: an app's full snapshot, a connection's, or the
/// tombstone of a deleted app. Every kind names the app it is about
/// (`appId`). An unknown `type` (from a newer portal) is an error: a client
/// cannot know whether skipping it would lose something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Change {
    App(Box<AppChange>),
    Connection(Box<ConnectionChange>),
    Deleted(Tombstone),
}

impl Change {
    /// The app the change is about.
    pub fn app_id(&self) -> &str {
        match self {
            Change::App(c) => &c.app_id,
            Change::Connection(c) => &c.app_id,
            Change::Deleted(t) => &t.app_id,
        }
    }

    /// The `type` the entry has on the wire.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::App(_) => "app",
            Change::Connection(_) => "connection",
            Change::Deleted(_) => "deleted",
        }
    }

    pub fn app(app: App) -> Change {
        Change::App(Box::new(AppChange {
            app_id: app.id.clone(),
            app,
        }))
    }

    pub fn connection(app_id: &str, connection: Connection) -> Change {
        Change::Connection(Box::new(ConnectionChange {
            app_id: app_id.to_owned(),
            state: ConnectionState::Live(connection),
        }))
    }

    pub fn connection_ended(app_id: &str, end: ConnectionEnd) -> Change {
        Change::Connection(Box::new(ConnectionChange {
            app_id: app_id.to_owned(),
            state: ConnectionState::Ended(end),
        }))
    }
}

/// `type: "app"`: the app as it is after the change, with the versions the
/// change made ([`App::versions`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppChange {
    #[serde(rename = "appId")]
    pub app_id: String,
    #[serde(flatten)]
    pub app: App,
}

/// `type: "connection"`: one connection of the app as it is after the change
/// (never its secret), or its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectionChange {
    #[serde(rename = "appId")]
    pub app_id: String,
    #[serde(flatten)]
    pub state: ConnectionState,
}

/// A connection as it is, or the end of one: its status tells them apart
/// (`active` or `disabled`, or `ended`, which no listed connection has).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ConnectionState {
    Live(Connection),
    Ended(ConnectionEnd),
}

/// A connection that ended (its tenant removed from the app, or the app
/// deleted): a client drops it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectionEnd {
    pub tenant_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(integration|production)$"))]
    pub environment: appdesk_core::Environment,
    pub client_id: String,
    pub status: Ended,
    pub ended_at: String,
}

/// The status of a connection that ended: always `ended`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Ended {
    Ended,
}

/// `type: "deleted"`: the app is gone, and its key retired for good.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tombstone {
    pub app_id: String,
    /// The portal always sends the retired key and the last revision; a
    /// client needs only `appId`, so a tombstone without them still reads
    /// (empty, 0), as it always has.
    #[serde(default)]
    pub app_key: String,
    /// The app's last revision.
    #[serde(default)]
    pub revision: i64,
    /// The requester's mutation that deleted it, if it was the requester's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub mutation_id: Option<i64>,
}
