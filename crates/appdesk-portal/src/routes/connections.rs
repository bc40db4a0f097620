//! `/v1/apps/{id}/connections`: the tenant admin's side (R8). Any token of the
//! workspace may list connections (never their secrets); connecting and the
//! actions on a connection need a token holding `--tenant-admin` for that
//! tenant (403 otherwise). The client secret is in the answer of a connect or a
//! regenerate only.

use appdesk_core::Environment;
use appdesk_core::ErrorCode;
use appdesk_core::decide::{self, AppState, Change, Stamp};
use appdesk_protocol::{Action, Connect, Connection};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use deadpool_postgres::Transaction;

use crate::auth::Caller;
use crate::error::AppError;
use crate::extract::{IfMatch, JsonBody};
use crate::idempotency::{self, Fingerprint, IdempotencyKey, Reply, Write, Written};
use crate::openapi::{ReadErrors, WriteErrors};
use crate::server::{Portal, Shared};
use crate::store::{self, persist, views};

#[utoipa::path(get, path = "/v1/apps/{id}/connections", security(("bearer" = [])),
    params(("id" = String, Path, description = "The app's id")),
    responses(
        (status = 200, description = "The app's connections, without secrets", body = Vec<Connection>),
        ReadErrors,
    ))]
pub async fn list_connections(
    State(portal): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<Connection>>, AppError> {
    let client = portal.pool.get().await?;
    let loaded = store::load(&client, &caller.workspace, &id, false).await?;
    Ok(Json(views::connections(&loaded)))
}

#[utoipa::path(post, path = "/v1/apps/{id}/connections", security(("bearer" = [])),
    request_body = Connect,
    params(("id" = String, Path, description = "The app's id"),
           ("Idempotency-Key" = String, Header, description = "A new key per intended write", pattern = "^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,255}$"),
           ("If-Match" = String, Header, description = "\"<revision>\" of the app as last read", pattern = "^(\\*|\"[0-9]{1,18}\")$")),
    responses(
        (status = 201, description = "Connected; the client secret is shown this once", body = Connection,
         headers(("ETag" = String, description = "The app's \"<revision>\""))),
        WriteErrors,
    ))]
pub async fn connect(
    State(portal): State<Shared>,
    caller: Caller,
    key: IdempotencyKey,
    if_match: IfMatch,
    Path(id): Path<String>,
    body: JsonBody<Connect>,
) -> Result<Response, AppError> {
    let path = format!("/v1/apps/{id}/connections");
    let fingerprint = Fingerprint::new("POST", &path, &caller, &body.raw);
    let tenant = decide::tenant_id(&body.value.tenant_id).map_err(renamed)?;
    let environment = environment(&body.value.environment)?;
    caller.require_tenant_admin(&tenant)?;
    let write = ConnectionWrite {
        id,
        if_match,
        tenant,
        environment,
        action: Action::Connect,
    };
    idempotency::run(&portal, &caller, &key, fingerprint, write).await
}

#[utoipa::path(post, path = "/v1/apps/{id}/connections/{tenant}/{environment}/{action}",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The app's id"),
           ("tenant" = String, Path, description = "The tenant id", pattern = "^[0-9]{1,20}$"),
           ("environment" = String, Path, description = "integration or production", pattern = "^(integration|production)$"),
           ("action" = Action, Path, description = "upgrade, disable, enable or regenerate"),
           ("Idempotency-Key" = String, Header, description = "A new key per intended write", pattern = "^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,255}$"),
           ("If-Match" = String, Header, description = "\"<revision>\" of the app as last read", pattern = "^(\\*|\"[0-9]{1,18}\")$")),
    responses(
        (status = 200, description = "The connection after the action; regenerate shows the new secret once", body = Connection,
         headers(("ETag" = String, description = "The app's \"<revision>\""))),
        WriteErrors,
    ))]
pub async fn connection_action(
    State(portal): State<Shared>,
    caller: Caller,
    key: IdempotencyKey,
    if_match: IfMatch,
    Path((id, tenant, env, action)): Path<(String, String, String, String)>,
) -> Result<Response, AppError> {
    let path = format!("/v1/apps/{id}/connections/{tenant}/{env}/{action}");
    let fingerprint = Fingerprint::new("POST", &path, &caller, b"");
    let action = match action.as_str() {
        "upgrade" => Action::Upgrade,
        "disable" => Action::Disable,
        "enable" => Action::Enable,
        "regenerate" => Action::Regenerate,
        other => {
            return Err(AppError::http(
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                Some("action"),
                format!("no connection action {other:?} (upgrade, disable, enable, regenerate)"),
            ));
        }
    };
    let tenant = decide::tenant_id(&tenant).map_err(renamed)?;
    let environment = environment(&env)?;
    caller.require_tenant_admin(&tenant)?;
    let write = ConnectionWrite {
        id,
        if_match,
        tenant,
        environment,
        action,
    };
    idempotency::run(&portal, &caller, &key, fingerprint, write).await
}

/// The core names the tenant `tenant`; the body and path call it `tenantId`.
fn renamed(e: appdesk_core::Error) -> AppError {
    match e {
        appdesk_core::Error::Invalid(mut problems) => {
            problems
                .iter_mut()
                .filter(|p| p.field == "tenant")
                .for_each(|p| p.field = "tenantId".into());
            AppError::Core(appdesk_core::Error::Invalid(problems))
        }
        other => AppError::Core(other),
    }
}

fn environment(text: &str) -> Result<Environment, AppError> {
    text.parse()
        .map_err(|message: String| AppError::invalid("environment", message))
}

struct ConnectionWrite {
    id: String,
    if_match: IfMatch,
    tenant: String,
    environment: Environment,
    action: Action,
}

impl Write for ConnectionWrite {
    async fn apply(
        self,
        tx: &Transaction<'_>,
        portal: &Portal,
        caller: &Caller,
    ) -> Result<Written, AppError> {
        let mut loaded = store::load(tx, &caller.workspace, &self.id, true).await?;
        self.if_match.check(loaded.state.revision)?;
        let decision: fn(&AppState, &str, Environment, &Stamp) -> appdesk_core::Result<Change> =
            match self.action {
                Action::Connect => decide::connect,
                Action::Upgrade => decide::upgrade,
                Action::Disable => decide::disable,
                Action::Enable => decide::enable,
                Action::Regenerate => decide::regenerate,
            };
        let stamp = store::stamp(&caller.user);
        let change =
            decision(&loaded.state, &self.tenant, self.environment, &stamp).map_err(renamed)?;
        let secret =
            persist::change(tx, &caller.workspace, &mut loaded, &change, &portal.key).await?;
        let c = loaded
            .state
            .connections
            .iter()
            .find(|c| c.tenant_id == self.tenant && c.environment == self.environment)
            .ok_or_else(|| AppError::Internal("the connection vanished".into()))?;
        let view = views::connection(&loaded, c, secret.as_deref());
        let status = if self.action == Action::Connect {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        let reply = Reply::ok(status, Some(loaded.state.revision), view);
        Ok(Written {
            reply,
            app: Some(loaded),
        })
    }
}
