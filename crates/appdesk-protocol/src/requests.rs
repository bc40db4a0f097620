//! What the console reads besides apps (issue 19 §2): a tenant admin's own
//! connections as an app's list item carries them, an app's upgrade notes,
//! and upgrade requests (the body a client sends, and the request as listed).

use appdesk_core::decide::RequestStatus;
use appdesk_core::{ConnectionStatus, Environment};
use serde::{Deserialize, Serialize};

/// One of the admin's own tenants' connections, in a `TenantAdminApp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantAdminConnection {
    pub tenant_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(integration|production)$"))]
    pub environment: Environment,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(active|disabled)$"))]
    pub status: ConnectionStatus,
    pub version: i64,
    pub latest_version: i64,
    /// How many versions it is behind the latest (0: up to date).
    pub behind_by: i64,
}

/// `GET /v1/apps/{id}/notes`: what an upgrade from `from` to `to` means for
/// a tenant's data, as `appdesk notes` prints it (text) and as Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notes {
    pub from: i64,
    pub to: i64,
    pub text: String,
    pub markdown: String,
}

/// `POST /v1/apps/{id}/upgrade-requests`: a developer asks a tenant's admin
/// to upgrade one connection. The environment stays text, so that the
/// portal's refusal of a bad one names the field. `id` (a UUID) is the
/// client's own id of the request: sent again, it is the same request.
/// Without `notes`, the portal writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUpgradeRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub tenant_id: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^(integration|production)$"))]
    pub environment: String,
    pub from_version: i64,
    pub to_version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// An upgrade request as the portal lists it: `state` is where it stands
/// now (waiting, stale when a newer version appeared, done once the
/// connection reached `toVersion`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpgradeRequest {
    pub id: String,
    pub app_id: String,
    pub app_name: String,
    pub tenant_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(integration|production)$"))]
    pub environment: Environment,
    pub from_version: i64,
    pub to_version: i64,
    pub notes: String,
    pub requested_by: String,
    pub requested_at: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(waiting|stale|done)$"))]
    pub state: RequestStatus,
}
