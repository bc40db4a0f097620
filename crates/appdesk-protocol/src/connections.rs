//! A tenant's connection as the portal answers it.

use appdesk_core::{ConnectionStatus, Environment};
use serde::{Deserialize, Serialize};

/// A tenant's connection in one environment (R8): an item of the list, the
/// answer of a tenant admin's action, and the snapshot of a `connection`
/// entry of the feed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Connection {
    pub tenant_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(integration|production)$"))]
    pub environment: Environment,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(active|disabled)$"))]
    pub status: ConnectionStatus,
    pub version: i64,
    pub latest_version: i64,
    /// How many versions behind the latest (`appdesk_core::decide::versions_behind`).
    #[serde(default)]
    pub behind_by: i64,
    pub upgrade_available: bool,
    pub scopes_in_play: Vec<String>,
    /// What an upgrade to the latest version would add.
    #[serde(default)]
    pub pending_added: Vec<String>,
    /// What an upgrade to the latest version would remove.
    #[serde(default)]
    pub pending_removed: Vec<String>,
    pub client_id: String,
    pub connected_at: String,
    /// When the current client secret was made (connect, regenerate, rotate).
    #[serde(default)]
    pub secret_created_at: String,
    /// Whether a rotation's previous secret is still valid: it stays so until
    /// the tenant's admin retires it (or regenerates, which ends both), as
    /// `appdesk_core::decide::rotate` says; until then no second rotation.
    #[serde(default)]
    pub has_previous_secret: bool,
    /// When that previous secret was made; only while it is valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub previous_secret_created_at: Option<String>,
    /// Only in the answer of a connect, a regenerate or a rotate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub client_secret: Option<String>,
}

/// Everything but the secret's value, which never reaches a log.
impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("tenant_id", &self.tenant_id)
            .field("environment", &self.environment)
            .field("status", &self.status)
            .field("version", &self.version)
            .field("latest_version", &self.latest_version)
            .field("client_id", &self.client_id)
            .field("connected_at", &self.connected_at)
            .field("has_previous_secret", &self.has_previous_secret)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[not shown]"),
            )
            .finish_non_exhaustive()
    }
}

/// What a tenant admin can do to a connection. `connect` has its own route
/// (`POST /v1/apps/{id}/connections`); the others are the last segment of
/// `/v1/apps/{id}/connections/{tenant}/{environment}/{action}`, in lowercase
/// with a hyphen between words (`retire-previous`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Action {
    #[serde(skip)]
    Connect,
    Upgrade,
    Disable,
    Enable,
    Regenerate,
    /// A new secret; the current one stays valid as the previous one.
    Rotate,
    /// Ends the previous secret of a rotation.
    #[serde(rename = "retire-previous")]
    RetirePrevious,
}

/// Every action that is a route's last segment, in the order the docs list them.
const ALL: [Action; 6] = [
    Action::Upgrade,
    Action::Disable,
    Action::Enable,
    Action::Regenerate,
    Action::Rotate,
    Action::RetirePrevious,
];

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Connect => "connect",
            Action::Upgrade => "upgrade",
            Action::Disable => "disable",
            Action::Enable => "enable",
            Action::Regenerate => "regenerate",
            Action::Rotate => "rotate",
            Action::RetirePrevious => "retire-previous",
        }
    }

    /// The action a route's last segment names; `None` for anything else
    /// (and for `connect`, which has its own route).
    pub fn from_segment(segment: &str) -> Option<Action> {
        ALL.into_iter().find(|a| a.as_str() == segment)
    }

    /// The segments [`Action::from_segment`] knows, for an error's message:
    /// `upgrade, disable, …`.
    pub fn segments() -> String {
        ALL.map(Action::as_str).join(", ")
    }
}
