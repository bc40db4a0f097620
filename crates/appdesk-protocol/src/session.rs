//! The web console's sign-in body and its "who am I" answer (issue 19 §2).
//! The cookie itself is HTTP, not a wire type: see the portal's `session`.

use serde::{Deserialize, Serialize};

/// `POST /auth/session`: the bearer token to exchange for a session cookie.
/// Unknown fields are refused, like every request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    /// `adp_<prefix>_<secret>`, as `appdesk-portal token create` printed it.
    pub token: String,
}

/// `GET /v1/me`: the principal the request's token or session speaks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Me {
    /// A vendor's developer: everything in their workspace.
    #[serde(rename_all = "camelCase")]
    Member {
        user: String,
        /// The workspace's name.
        workspace: String,
        /// The token's role: `owner`, `editor` or `viewer` (empty from a
        /// portal older than roles).
        #[serde(default)]
        role: String,
    },
    /// A customer's admin, for these tenants, in every workspace.
    #[serde(rename_all = "camelCase")]
    TenantAdmin { user: String, tenants: Vec<String> },
}
