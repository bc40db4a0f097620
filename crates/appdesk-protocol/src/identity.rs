//! Roles and the audit log on the wire (issue 22 §2 and §3): a workspace's
//! members (`/v1/members`) and a page of the audit log (`/v1/audit`).

use serde::{Deserialize, Serialize};

/// A member of a workspace and their role: `owner`, `editor` or `viewer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    /// The user, as the identity provider names them (an email).
    pub user: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^(owner|editor|viewer)$"))]
    pub role: String,
}

/// `POST /v1/members`: add a member, or change the role of one. Unknown
/// fields are refused, like every request body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMember {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 120))]
    pub user: String,
    /// `owner`, `editor` or `viewer`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(owner|editor|viewer)$"))]
    pub role: String,
}

/// `PATCH /v1/members/{user}`: give a member another role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberRole {
    /// `owner`, `editor` or `viewer`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(owner|editor|viewer)$"))]
    pub role: String,
}

/// `GET /v1/members`: the workspace's members, by user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberList {
    pub members: Vec<Member>,
}

/// One entry of the audit log. Never a token, a secret or a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// RFC 3339 UTC with milliseconds.
    pub at: String,
    /// The user who acted, `(command line)` for the server's commands, or
    /// `(anonymous)` for a sign-in with no valid token.
    pub actor: String,
    /// What was done: `app.create`, `app.patch`, `member.add`, `sign_in`, …
    pub action: String,
    /// What it was done to: an app's id, a user, a token's prefix, a path.
    pub target: String,
    /// `ok`, `refused` (401, 403) or `failed` (any other error).
    pub outcome: String,
    /// The peer's address, or the first `X-Forwarded-For` hop when the peer
    /// is a trusted proxy; `local` for the server's commands.
    pub ip: String,
}

/// `GET /v1/audit`: entries oldest first, and the cursor of the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Give it as `cursor` for the entries after these; absent at the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
