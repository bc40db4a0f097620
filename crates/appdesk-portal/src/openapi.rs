//! The OpenAPI document, generated from the handlers' annotations (utoipa) and
//! served at `/openapi.json`. `appdesk-portal openapi` prints it; the committed
//! copy `schema/portal.openapi.json` is checked against it by a test.
//!
//! Every schema in it is a type of `appdesk-protocol` (its `openapi` feature
//! derives them), the same types the handlers serialize and the sync client
//! reads: no shape is written here a second time.

use appdesk_protocol::{App, Connection, ErrorBody, HistoryEntry, Problem, Tenant};
use axum::Json;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

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
        crate::routes::notes,
        crate::routes::create_upgrade_request,
        crate::routes::list_upgrade_requests,
        crate::feed::changes,
        crate::routes::me,
        crate::routes::catalog,
        crate::session::sign_in,
        crate::session::sign_out,
        crate::routes::list_members,
        crate::routes::add_member,
        crate::routes::remove_member,
        crate::routes::change_member_role,
        crate::routes::read_audit,
        crate::health::healthz,
        crate::health::readyz
    ),
    components(schemas(
        ErrorBody,
        Problem,
        App,
        Tenant,
        HistoryEntry,
        Connection,
        appdesk_protocol::Action,
        appdesk_protocol::Change,
        appdesk_protocol::TenantAdminApp,
        appdesk_protocol::TenantAdminTenant,
        appdesk_protocol::TenantAdminConnection,
        appdesk_protocol::AppAsSeen,
        appdesk_protocol::Me,
        appdesk_protocol::SignIn,
        appdesk_protocol::Member,
        appdesk_protocol::NewMember,
        appdesk_protocol::MemberList,
        appdesk_protocol::MemberRole,
        appdesk_protocol::AuditEntry,
        appdesk_protocol::AuditPage
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

/// The errors any write can answer, each with the error body (one list, so
/// the operations cannot drift apart).
#[derive(Debug, utoipa::IntoResponses)]
pub enum WriteErrors {
    /// Malformed JSON, or a missing or malformed Idempotency-Key or If-Match.
    #[response(status = 400)]
    Malformed(ErrorBody),
    /// No valid token.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The token may not make this write: a tenant admin's token on a write
    /// to an app (create, change, delete), or a token that is not the
    /// tenant's admin on a connection action.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// No such app (or connection action) in this workspace; for a tenant
    /// admin, no app that lists one of their tenants.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// A rule refused the action in the app's current state, a concurrent
    /// request took the same id or key, or the key's first request still runs.
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// Stale If-Match: nothing changed; `currentRevision` and the ETag say the app's.
    #[response(status = 412)]
    Stale(ErrorBody),
    /// A body over 1 MiB.
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// A body not sent as `Content-Type: application/json`.
    #[response(status = 415)]
    UnsupportedMediaType(ErrorBody),
    /// Invalid fields, each named; or the key was used for another request.
    #[response(status = 422)]
    Invalid(ErrorBody),
    /// If-Match missing on a write to an existing app.
    #[response(status = 428)]
    PreconditionRequired(ErrorBody),
}

/// The errors any read of an app can answer.
#[derive(Debug, utoipa::IntoResponses)]
pub enum ReadErrors {
    /// A path that does not decode.
    #[response(status = 400)]
    Malformed(ErrorBody),
    /// No valid token.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// No such app in this workspace; for a tenant admin, no app that lists
    /// one of their tenants (whether it exists elsewhere is not said).
    #[response(status = 404)]
    NotFound(ErrorBody),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every schema of the document is a wire type of `appdesk-protocol`,
    /// exactly as that crate derives it (its own list is the oracle): no
    /// mirror written in the portal can drift from what the handlers send.
    #[test]
    fn every_schema_of_the_document_is_the_protocol_crates() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let components = doc["components"]["schemas"].as_object().unwrap();
        let protocol: std::collections::BTreeMap<String, serde_json::Value> =
            appdesk_protocol::openapi::schemas()
                .into_iter()
                .map(|(name, schema)| (name, serde_json::to_value(schema).unwrap()))
                .collect();
        for (name, schema) in components {
            assert_eq!(
                Some(schema),
                protocol.get(name),
                "schema {name} is not appdesk-protocol's"
            );
        }
        let names: Vec<&str> = components.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "Action",
                "App",
                "AppAsSeen",
                "AppChange",
                "AppList",
                "AuditEntry",
                "AuditPage",
                "Change",
                "ChangesPage",
                "Connect",
                "Connection",
                "ConnectionChange",
                "ConnectionEnd",
                "ConnectionState",
                "CreateApp",
                "Deleted",
                "Ended",
                "Error",
                "HistoryEntry",
                "Me",
                "Member",
                "MemberList",
                "MemberRole",
                "NewMember",
                "NewUpgradeRequest",
                "Notes",
                "PatchApp",
                "Problem",
                "ScopeEdits",
                "SignIn",
                "Tenant",
                "TenantAdminApp",
                "TenantAdminConnection",
                "TenantAdminTenant",
                "TenantEdits",
                "TenantInput",
                "Tombstone",
                "UpgradeRequest",
                "VersionRecord"
            ]
        );
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
