//! The domain's data as it crosses the core's boundary: what callers give
//! (inputs) and what they get back (views). Field names serialize in camelCase,
//! the shape the CLI's `--json` output and the desktop UI share.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::Problem;

macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        "{other:?} is not one of: {}",
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

string_enum!(
    /// Who the app is for: one customer, or many (R1).
    #[derive(Default)]
    Audience { #[default] Private => "private", Public => "public" }
);
string_enum!(
    /// Who generates client secrets (R1).
    #[derive(Default)]
    Credentials { Developer => "developer", #[default] Tenant => "tenant" }
);
string_enum!(
    /// The environment a tenant's connection is in (R8).
    Environment { Integration => "integration", Production => "production" }
);
string_enum!(AppStatus { Draft => "draft", Created => "created" });
string_enum!(ConnectionStatus { Active => "active", Disabled => "disabled" });

/// A tenant the app is visible to, with an optional note (R1, R7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TenantEntry {
    pub id: String,
    #[serde(default)]
    pub note: String,
}

impl TenantEntry {
    pub fn new(id: impl Into<String>, note: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            note: note.into(),
        }
    }

    /// Parses the command-line form `ID` or `ID=NOTE`.
    pub fn parse_arg(text: &str) -> Self {
        match text.split_once('=') {
            Some((id, note)) => TenantEntry::new(id.trim(), note),
            None => TenantEntry::new(text.trim(), ""),
        }
    }
}

/// An app as typed: everything may be missing or wrong while it is a draft (R3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AppInput {
    pub name: String,
    pub organization: String,
    pub homepage_url: String,
    pub audience: Audience,
    pub credentials: Credentials,
    pub tenants: Vec<TenantEntry>,
    /// Scope strings: `name:r`, `name:w` or `name:rw`.
    pub scopes: Vec<String>,
}

/// A change of an app's fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct AppEdit {
    pub name: Option<String>,
    pub organization: Option<String>,
    pub homepage_url: Option<String>,
    pub audience: Option<Audience>,
    pub credentials: Option<Credentials>,
}

impl AppEdit {
    pub fn is_empty(&self) -> bool {
        *self == AppEdit::default()
    }
}

/// An app or a draft, with its current scopes and tenants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct App {
    pub id: String,
    pub name: String,
    pub organization: String,
    pub homepage_url: String,
    pub audience: Audience,
    pub credentials: Credentials,
    pub status: AppStatus,
    /// `None` for a draft (R3, R4).
    pub app_key: Option<String>,
    /// `None` for a draft; the latest version otherwise (R5).
    pub version: Option<i64>,
    /// Sorted canonical strings. For a draft, the selection as typed.
    pub scopes: Vec<String>,
    /// Sorted by tenant id.
    pub tenants: Vec<TenantEntry>,
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
    /// For a draft: what still blocks creating it, each naming its field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<Problem>>", optional))]
    pub problems: Vec<Problem>,
}

/// One row of the apps list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AppSummary {
    pub id: String,
    pub name: String,
    pub organization: String,
    pub status: AppStatus,
    pub app_key: Option<String>,
    pub version: Option<i64>,
    pub tenant_count: i64,
    pub connection_count: i64,
    /// Connections on a version older than the latest.
    pub behind_count: i64,
    pub updated_at: String,
}

/// A page of the apps list.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many apps match the filter in all.
    pub total: i64,
    pub offset: i64,
}

/// What to list: a search, which apps, in which order, and a window.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListQuery {
    /// Case-insensitive: a fragment of the name or (three characters or more)
    /// of the organization, or the start of an app key, client ID or tenant ID.
    pub filter: String,
    pub offset: i64,
    /// `None` for all.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub limit: Option<i64>,
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<ListSort>"))]
    pub sort: ListSort,
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<ListOnly>"))]
    pub only: ListOnly,
}

/// The order of the apps list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ListSort {
    /// By name (case-insensitive), A first.
    #[default]
    Name,
    /// Most recently changed first.
    Updated,
    /// Most connections behind the latest version first, then by name.
    Behind,
}

/// Which apps the list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ListOnly {
    #[default]
    All,
    Drafts,
    Created,
    /// Apps with at least one connection behind their latest version.
    Behind,
}

/// One version in the history, with its change against the version before (R6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryEntry {
    pub version: i64,
    pub scopes: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub created_at: String,
    pub created_by: String,
    /// Made in a linked database and not yet pushed: the portal has not
    /// numbered it. Absent (false) otherwise, so an unlinked database's
    /// history reads as it always did.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<bool>"))]
    pub pending: bool,
}

/// The outcome of a scope change.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScopeChange {
    pub app: App,
    /// The version the change made; `None` when the set stayed as it was (R5).
    pub new_version: Option<i64>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Connections that now show "upgrade available".
    pub connections_behind: i64,
}

/// A tenant's connection to an app in one environment (R8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConnectionView {
    pub tenant_id: String,
    pub environment: Environment,
    pub status: ConnectionStatus,
    pub version: i64,
    pub latest_version: i64,
    pub upgrade_available: bool,
    pub scopes_in_play: Vec<String>,
    /// What an upgrade to the latest version would add.
    pub pending_added: Vec<String>,
    /// What an upgrade to the latest version would remove.
    pub pending_removed: Vec<String>,
    pub client_id: String,
    pub connected_at: String,
    /// The live secrets, current first, each with its age (never the value
    /// unless revealed): two during a rotation, else one. Left out where no
    /// secret ages are kept (the portal's views).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        feature = "ts",
        ts(as = "Option<Vec<crate::decide::SecretAge>>", optional)
    )]
    pub secrets: Vec<crate::decide::SecretAge>,
    /// Only where a secret is being shown (on connect, regenerate, or reveal).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub client_secret: Option<String>,
}

/// Which activity entries to read, newest first; each filter is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ActivityQuery {
    /// Entries of apps whose name (as logged) contains this, case-insensitive.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub app: Option<String>,
    /// Entries by exactly this user stamp.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub user: Option<String>,
    /// Entries of exactly this action (`create`, `scope_change`, …).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub action: Option<String>,
    /// At most this many (the newest); `None` for all.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub limit: Option<i64>,
}

/// The values the activity filters offer: every user and action in the log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ActivityFacets {
    pub users: Vec<String>,
    pub actions: Vec<String>,
}

/// One entry of the activity log (R10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ActivityEntry {
    pub seq: i64,
    pub at: String,
    pub user: String,
    pub app_id: Option<String>,
    pub app_name: Option<String>,
    pub action: String,
    pub summary: String,
}
