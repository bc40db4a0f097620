//! The request bodies of the writes. The portal refuses unknown fields (422
//! naming them), so a typo never silently does nothing; a missing field
//! defaults to empty, so that the core's validation reports every problem at
//! once, each naming its field. The field order is the order the portal's
//! messages list them in (serde's "expected one of …").

use appdesk_core::{Audience, Credentials};
use serde::{Deserialize, Serialize};

/// `POST /v1/apps`: the app shape's writable fields, and optionally a
/// proposed id and app key (kept only if well formed, unused and never
/// retired).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApp {
    pub name: String,
    pub organization: String,
    pub homepage_url: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = "^(private|public)$"))]
    pub audience: Option<Audience>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = "^(developer|tenant)$"))]
    pub credentials: Option<Credentials>,
    /// Scope strings as in the CLI: `name:r`, `name:w` or `name:rw`.
    pub scopes: Vec<String>,
    pub tenants: Vec<TenantInput>,
    pub id: Option<String>,
    pub app_key: Option<String>,
}

/// A tenant to add; with a note, an existing tenant's note changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantInput {
    pub id: String,
    pub note: Option<String>,
}

/// `PATCH /v1/apps/{id}`: any scalar field, and explicit add/remove lists for
/// scopes and tenants (never a whole array that would replace the set).
///
/// A scalar left as it is goes as `null`, and absent lists are left out: the
/// bytes earlier clients sent, which an `Idempotency-Key`'s fingerprint holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatchApp {
    pub name: Option<String>,
    pub organization: Option<String>,
    pub homepage_url: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = "^(private|public)$"))]
    pub audience: Option<Audience>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = "^(developer|tenant)$"))]
    pub credentials: Option<Credentials>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<ScopeEdits>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenants: Option<TenantEdits>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScopeEdits {
    pub add: Vec<String>,
    pub remove: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantEdits {
    /// A tenant to add; with a note, an existing tenant's note changes.
    pub add: Vec<TenantInput>,
    /// Tenant ids to remove; their connections end.
    pub remove: Vec<String>,
}

/// `POST /v1/apps/{id}/connections`: a tenant admin connects a tenant in one
/// environment. The environment stays text here, so that the portal's
/// refusal of a bad one names the field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Connect {
    pub tenant_id: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^(integration|production)$"))]
    pub environment: String,
}
