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
    /// Absent from a tenant admin's view ([`TenantAdminApp`]), which a
    /// client reads as an `App` too: the defaults stand in locally, as do an
    /// empty `createdAt` and `updatedAt` and the status `created`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(private|public)$"))]
    pub audience: Audience,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(developer|tenant)$"))]
    pub credentials: Credentials,
    #[serde(default = "created")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(draft|created)$"))]
    pub status: AppStatus,
    pub app_key: Option<String>,
    pub version: Option<i64>,
    pub scopes: Vec<String>,
    pub tenants: Vec<Tenant>,
    pub revision: i64,
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
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

/// Every app the portal holds is created (drafts stay local).
fn created() -> AppStatus {
    AppStatus::Created
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

// `I` is the item type: `App` for a workspace member (and for a client,
// which reads a tenant admin's cut as an `App` too); the portal answers a
// tenant admin with `TenantAdminApp`s.
/// `GET /v1/apps`: a page of apps, with the feed cursor they are current at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppList<I = App> {
    /// Whole apps for a workspace member; `TenantAdminApp`s for a tenant admin.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::AppAsSeen>))]
    pub items: Vec<I>,
    /// A `since` for `/v1/changes` that follows on from this listing. A
    /// client reading several pages follows the feed from the first page's.
    pub cursor: String,
    /// The `cursor` query parameter of the next page; absent on the last.
    #[serde(
        rename = "nextCursor",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_cursor: Option<String>,
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

/// An app as a tenant admin sees it (issue 19 §1): the fields the portal's
/// `tenant_admin` module names, and nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantAdminApp {
    pub id: String,
    pub name: String,
    pub organization: String,
    pub homepage_url: String,
    /// Identifies the app (R4); not a secret.
    pub app_key: String,
    /// The latest version, and its scopes.
    pub version: i64,
    pub scopes: Vec<String>,
    /// The admin's own tenants that the app lists (never another tenant).
    pub tenants: Vec<TenantAdminTenant>,
    /// The app's revision, for `If-Match` on a connection action.
    pub revision: i64,
    /// The admin's own tenants' connections (none: not connected).
    pub connections: Vec<crate::TenantAdminConnection>,
}

/// One of the admin's own tenants that the app lists; no note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantAdminTenant {
    pub id: String,
}

/// What a read of an app answers, for the document only: an `App` for a
/// workspace member, a `TenantAdminApp` for a tenant admin. `anyOf`, not
/// `oneOf`: a whole app has every field of the admin's cut too.
#[cfg(feature = "openapi")]
#[derive(Debug)]
pub struct AppAsSeen;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for AppAsSeen {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AnyOfBuilder, Ref};
        AnyOfBuilder::new()
            .item(Ref::from_schema_name("App"))
            .item(Ref::from_schema_name("TenantAdminApp"))
            .description(Some(
                "An App for a workspace member; a TenantAdminApp for a tenant admin",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for AppAsSeen {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        schemas.push((
            App::name().into_owned(),
            <App as utoipa::PartialSchema>::schema(),
        ));
        <App as utoipa::ToSchema>::schemas(schemas);
        schemas.push((
            TenantAdminApp::name().into_owned(),
            <TenantAdminApp as utoipa::PartialSchema>::schema(),
        ));
        <TenantAdminApp as utoipa::ToSchema>::schemas(schemas);
    }
}
