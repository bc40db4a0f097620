//! The OpenAPI document, generated from the handlers' annotations (utoipa) and
//! served at `/openapi.json`. `appdesk-portal openapi` prints it; the committed
//! copy `schema/portal.openapi.json` is checked against it by a test.
//!
//! The core's view types (`App`, `HistoryEntry`, `ConnectionView`, `ErrorBody`)
//! carry no utoipa derive (the core does not depend on utoipa), so their schemas
//! are written here as doc-only mirrors; a test checks real core values against
//! them.

use axum::Json;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "Appdesk portal",
        description = "The team portal that Appdesk clients sync with (SYNC.md). Every write \
                       needs an Idempotency-Key; a write to an existing app needs If-Match."
    ),
    paths(
        crate::routes::list_apps,
        crate::routes::create_app,
        crate::routes::get_app,
        crate::routes::patch_app,
        crate::routes::delete_app,
        crate::routes::versions,
        crate::routes::list_connections,
        crate::routes::connect,
        crate::routes::connection_action,
        crate::feed::changes
    ),
    components(schemas(
        ErrorDoc,
        ProblemDoc,
        AppDoc,
        TenantDoc,
        HistoryEntryDoc,
        ConnectionDoc,
        appdesk_protocol::Action
    )),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn document() -> String {
    let mut text = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

pub async fn serve() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

/// The errors any write can answer, each with the core's error body (one
/// list, so the operations cannot drift apart).
#[derive(Debug, utoipa::IntoResponses)]
pub enum WriteErrors {
    /// Malformed JSON, or a missing or malformed Idempotency-Key or If-Match.
    #[response(status = 400)]
    Malformed(ErrorDoc),
    /// No valid token.
    #[response(status = 401)]
    Unauthorized(ErrorDoc),
    /// The token is not a tenant admin of the tenant (connection actions).
    #[response(status = 403)]
    Forbidden(ErrorDoc),
    /// No such app (or connection action) in this workspace.
    #[response(status = 404)]
    NotFound(ErrorDoc),
    /// A rule refused the action in the app's current state, a concurrent
    /// request took the same id or key, or the key's first request still runs.
    #[response(status = 409)]
    Conflict(ErrorDoc),
    /// Stale If-Match: nothing changed; `currentRevision` and the ETag say the app's.
    #[response(status = 412)]
    Stale(ErrorDoc),
    /// A body over 1 MiB.
    #[response(status = 413)]
    TooLarge(ErrorDoc),
    /// Invalid fields, each named; or the key was used for another request.
    #[response(status = 422)]
    Invalid(ErrorDoc),
    /// If-Match missing on a write to an existing app.
    #[response(status = 428)]
    PreconditionRequired(ErrorDoc),
}

/// The errors any read of an app can answer.
#[derive(Debug, utoipa::IntoResponses)]
pub enum ReadErrors {
    /// A path that does not decode.
    #[response(status = 400)]
    Malformed(ErrorDoc),
    /// No valid token.
    #[response(status = 401)]
    Unauthorized(ErrorDoc),
    /// No such app in this workspace.
    #[response(status = 404)]
    NotFound(ErrorDoc),
}

/// The core's error body.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorDoc {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    /// Every problem of a validation error (`code = "invalid"`).
    #[schema(nullable = false)]
    pub problems: Option<Vec<ProblemDoc>>,
    /// On 412: the app's revision now.
    #[serde(rename = "currentRevision")]
    #[schema(nullable = false)]
    pub current_revision: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Problem)]
pub struct ProblemDoc {
    pub field: String,
    pub message: String,
}

/// An app, as `appdesk --json app show` prints it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = App)]
#[serde(rename_all = "camelCase")]
pub struct AppDoc {
    pub id: String,
    pub name: String,
    pub organization: String,
    pub homepage_url: String,
    #[schema(pattern = "^(private|public)$")]
    pub audience: String,
    #[schema(pattern = "^(developer|tenant)$")]
    pub credentials: String,
    #[schema(pattern = "^(draft|created)$")]
    pub status: String,
    pub app_key: Option<String>,
    pub version: Option<i64>,
    pub scopes: Vec<String>,
    pub tenants: Vec<TenantDoc>,
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
    /// Proposals (`id`, `appKey`) the portal did not keep, on create only.
    #[schema(nullable = false)]
    pub notices: Option<Vec<ProblemDoc>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Tenant)]
pub struct TenantDoc {
    pub id: String,
    pub note: String,
}

/// One version of an app's scopes (R6).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = HistoryEntry)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntryDoc {
    pub version: i64,
    pub scopes: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub created_at: String,
    pub created_by: String,
}

/// A tenant's connection in one environment (R8).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Connection)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionDoc {
    pub tenant_id: String,
    #[schema(pattern = "^(integration|production)$")]
    pub environment: String,
    #[schema(pattern = "^(active|disabled)$")]
    pub status: String,
    pub version: i64,
    pub latest_version: i64,
    pub upgrade_available: bool,
    pub scopes_in_play: Vec<String>,
    pub pending_added: Vec<String>,
    pub pending_removed: Vec<String>,
    pub client_id: String,
    pub connected_at: String,
    /// Only in the answer of a connect or a regenerate.
    #[schema(nullable = false)]
    pub client_secret: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The property names of schema `name` in the generated document.
    fn properties(name: &str) -> Vec<String> {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let mut keys: Vec<String> = doc["components"]["schemas"][name]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("no schema {name}"))
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    fn keys(value: impl Serialize) -> Vec<String> {
        let mut keys: Vec<String> = serde_json::to_value(value)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    /// The mirrors must name exactly the fields the core serializes (plus the
    /// optional ones the core leaves out when empty).
    #[test]
    fn the_documented_shapes_match_what_the_core_serializes() {
        use appdesk_core::*;
        let app = App {
            id: "a".into(),
            name: "n".into(),
            organization: "o".into(),
            homepage_url: "h".into(),
            audience: Audience::Private,
            credentials: Credentials::Tenant,
            status: AppStatus::Created,
            app_key: None,
            version: None,
            scopes: vec![],
            tenants: vec![],
            revision: 1,
            created_at: "t".into(),
            updated_at: "t".into(),
            problems: vec![],
        };
        let mut expected = keys(&app);
        expected.push("notices".into());
        expected.sort();
        assert_eq!(properties("App"), expected);
        let connection = ConnectionView {
            tenant_id: "1".into(),
            environment: Environment::Production,
            status: ConnectionStatus::Active,
            version: 1,
            latest_version: 1,
            upgrade_available: false,
            scopes_in_play: vec![],
            pending_added: vec![],
            pending_removed: vec![],
            client_id: "c".into(),
            connected_at: "t".into(),
            secrets: Vec::new(),
            client_secret: Some("s".into()),
        };
        assert_eq!(properties("Connection"), keys(&connection));
        let entry = HistoryEntry {
            pending: false,
            version: 1,
            scopes: vec![],
            added: vec![],
            removed: vec![],
            created_at: "t".into(),
            created_by: "u".into(),
        };
        assert_eq!(properties("HistoryEntry"), keys(&entry));
        let mut error = keys(Error::invalid("f", "m").body());
        error.push("currentRevision".into());
        error.sort();
        assert_eq!(properties("Error"), error);
    }

    /// Regenerate with `appdesk-portal openapi > schema/portal.openapi.json`.
    #[test]
    fn the_committed_openapi_document_matches_the_code() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../schema/portal.openapi.json"
        );
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == super::document(),
            "schema/portal.openapi.json is out of date; run \
             `appdesk-portal openapi > schema/portal.openapi.json`"
        );
    }
}
