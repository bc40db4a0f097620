//! What a sync did, or (with [`Mode::Plan`]) would do: the shape `appdesk sync
//! --json` prints, `{pulled, pushed, conflicts: [{app, field, mine, theirs,
//! base}], cursor}`, with the details a plan lists.

use serde::Serialize;

/// Whether a sync writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Pull, merge, push, pull again.
    Apply,
    /// Read the feed and compute everything a sync would do; write nothing,
    /// locally or on the portal.
    Plan,
}

/// Where a running sync is, for a progress display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Apps pulled so far (each page of the feed adds to it).
    Pulling { apps: usize },
    /// Intents sent so far, of those queued.
    Pushing { done: usize, queued: usize },
}

/// A conflict as reported: the app (its id), the field, and the three values
/// (`None`: absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportConflict {
    pub app: String,
    /// The app's local name, for people.
    #[serde(rename = "appName", skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    pub field: String,
    pub mine: Option<String>,
    pub theirs: Option<String>,
    pub base: Option<String>,
}

/// One app pulled (`added`, `updated`, `deleted`), one intent pushed
/// (`create`, `fields`, `scopes`, `tenants`, `delete`), or one upgrade
/// request sent (`upgrade request`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportItem {
    pub app: String,
    #[serde(rename = "appName", skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    pub what: String,
}

/// An app pulled from the portal that this client's rules refuse (its
/// catalog lacks a scope it uses, a version's text is not what local input
/// may hold): kept aside, not applied, while every other app syncs. It
/// leaves quarantine when it arrives valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportQuarantined {
    pub app: String,
    /// The portal's name for it, when it is text a list may show.
    #[serde(rename = "appName")]
    pub app_name: Option<String>,
    /// Every problem found, each naming its field.
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Report {
    pub remote: String,
    /// True for a plan: nothing was written.
    pub plan: bool,
    /// Apps whose portal state was applied locally (or would be).
    pub pulled: usize,
    /// Intents the portal acknowledged (or would be sent).
    pub pushed: usize,
    /// Every unresolved conflict after the sync.
    pub conflicts: Vec<ReportConflict>,
    /// The feed position the database is current at.
    pub cursor: Option<String>,
    /// Intents still queued (held back by a conflict, or refused).
    pub pending: usize,
    /// Intents the portal refused (each stays queued), and upgrade requests
    /// it refused (not sent again), with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<ReportItem>,
    /// Apps pulled that this client's rules refuse, kept aside (every one
    /// still kept after the sync; for a plan, those it would keep).
    pub quarantined: Vec<ReportQuarantined>,
    pub pulls: Vec<ReportItem>,
    pub pushes: Vec<ReportItem>,
}
