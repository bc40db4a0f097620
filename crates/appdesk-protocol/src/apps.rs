//! An app as the portal answers it, and its versions.

use appdesk_core::{AppStatus, Audience, Credentials};
use serde::{Deserialize, Serialize};

use crate::Problem;

/// An app: the answer of a read, a create or a patch, an item of the list,
/// and the snapshot of an `app` entry of the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct App {
    pub id: String,
    pub name: String,
    pub organization: String,
    pub homepage_url: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(private|public)$"))]
    pub audience: Audience,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(developer|tenant)$"))]
    pub credentials: Credentials,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(draft|created)$"))]
    pub status: AppStatus,
    pub app_key: Option<String>,
    pub version: Option<i64>,
    pub scopes: Vec<String>,
    pub tenants: Vec<Tenant>,
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
    /// Proposals (`id`, `appKey`) the portal did not keep, on create only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<Problem>>, nullable = false))]
    pub notices: Vec<Problem>,
    /// The requester's last mutation the portal applied to this app, where
    /// there is one (`Appdesk-Client-Id`): in a read, a listing, and a feed
    /// entry that mutation wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub mutation_id: Option<i64>,
    /// In a feed entry only: the versions the change made, oldest first, so a
    /// client following the feed has the history without asking app by app.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<VersionRecord>>, nullable = false))]
    pub versions: Vec<VersionRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tenant {
    pub id: String,
    #[serde(default)]
    pub note: String,
}

/// One version of an app's scopes, as a feed entry carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionRecord {
    pub version: i64,
    pub scopes: Vec<String>,
    pub created_at: String,
    pub created_by: String,
}

/// `GET /v1/apps`: every app, with the feed cursor they are current at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppList {
    pub items: Vec<App>,
    /// A `since` for `/v1/changes` that follows on from this listing.
    pub cursor: String,
}

/// One version of an app's scopes, with what it added and removed against
/// the version before (R6): an item of `GET /v1/apps/{id}/versions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub version: i64,
    pub scopes: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub created_at: String,
    pub created_by: String,
}

/// The answer to a delete (the feed's tombstone has the same fields, but
/// for the count of connections ended).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deleted {
    pub app_id: String,
    pub app_key: String,
    pub revision: i64,
    pub connections_ended: i64,
}
