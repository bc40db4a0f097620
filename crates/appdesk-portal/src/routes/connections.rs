//! `/v1/apps/{id}/connections`: the tenant admin's side (R8). A workspace
//! member lists every connection of the workspace's apps (never their
//! secrets); a tenant admin lists their own tenants' connections of an app
//! that lists one of their tenants, in any workspace. Connecting and the
//! actions on a connection are a tenant admin's, for their own tenants: a
//! member gets 403 (after 404 for an app not in their workspace), an admin
//! gets 404 for an app that lists none of their tenants, then 403 for a
//! tenant not theirs. Every check runs before the idempotency key is looked
//! up, so a replayed answer goes only to whom the write itself would. The
//! client secret is in the answer of a connect, a regenerate or a rotate
//! only. Every action is decided by `appdesk_core::decide` (rotate and
//! retire-previous by its rotation rules, told whether a previous secret is
//! live); nothing here decides.

use appdesk_core::Environment;
use appdesk_core::ErrorCode;
use appdesk_core::decide;
use appdesk_protocol::{Action, Connect, Connection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use deadpool_postgres::Transaction;

use crate::auth::{Caller, Principal};
use crate::error::AppError;
use crate::extract::{IfMatch, JsonBody, QueryParams};
use crate::idempotency::{self, Fingerprint, IdempotencyKey, Reply, Write, Written};
use crate::openapi::{ReadErrors, WriteErrors};
use crate::paging::{self, PageQuery};
use crate::server::{Portal, Shared};
use crate::store::{self, persist, views};
use crate::tenant_admin;

#[utoipa::path(get, path = "/v1/apps/{id}/connections", security(("bearer" = [])),
    params(("id" = String, Path, description = "The app's id"), PageQuery),
    responses(
        (status = 200, description = "A page of the app's connections (100 unless `limit` says \
         otherwise, by tenant and environment), without secrets; for a tenant admin, only \
         their own tenants'", body = Vec<Connection>,
         headers(("Next-Cursor" = String, description = "The `cursor` of the next page; absent on the last"))),
        ReadErrors,
    ))]
pub async fn list_connections(
    State(portal): State<Shared>,
    principal: Principal,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Response, AppError> {
    let page = query.page(2)?;
    let client = portal.pool.get().await?;
    let all = match &principal {
        Principal::Member(caller) => {
            views::connections(&store::load(&client, &caller.workspace, &id, false).await?)
        }
        Principal::TenantAdmin(admin) => {
            tenant_admin::connections(admin, &tenant_admin::load(&client, admin, &id).await?)
        }
    };
    let key = |c: &Connection| vec![c.tenant_id.clone(), c.environment.as_str().to_owned()];
    let (items, next) = paging::slice(all, key, &page);
    Ok(paging::array(items, next))
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
    principal: Principal,
    key: IdempotencyKey,
    if_match: IfMatch,
    Path(id): Path<String>,
    body: JsonBody<Connect>,
) -> Result<Response, AppError> {
    let path = format!("/v1/apps/{id}/connections");
    let tenant = decide::tenant_id(&body.value.tenant_id).map_err(renamed)?;
    let environment = environment(&body.value.environment)?;
    let caller = acting(&portal, &principal, &id, &tenant).await?;
    let fingerprint = Fingerprint::new("POST", &path, &caller, &body.raw);
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
           ("action" = Action, Path, description = "upgrade, disable, enable, regenerate, \
             rotate (a new secret, the current one staying valid as the previous one until \
             retired; refused while a previous one is live) or retire-previous (ends the \
             previous secret)"),
           ("Idempotency-Key" = String, Header, description = "A new key per intended write", pattern = "^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,255}$"),
           ("If-Match" = String, Header, description = "\"<revision>\" of the app as last read", pattern = "^(\\*|\"[0-9]{1,18}\")$")),
    responses(
        (status = 200, description = "The connection after the action; regenerate and rotate \
         show the new secret once", body = Connection,
         headers(("ETag" = String, description = "The app's \"<revision>\""))),
        WriteErrors,
    ))]
pub async fn connection_action(
    State(portal): State<Shared>,
    principal: Principal,
    key: IdempotencyKey,
    if_match: IfMatch,
    Path((id, tenant, env, action)): Path<(String, String, String, String)>,
) -> Result<Response, AppError> {
    let path = format!("/v1/apps/{id}/connections/{tenant}/{env}/{action}");
    let action = Action::from_segment(&action).ok_or_else(|| {
        AppError::http(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            Some("action"),
            format!("no connection action {action:?} ({})", Action::segments()),
        )
    })?;
    let tenant = decide::tenant_id(&tenant).map_err(renamed)?;
    let environment = environment(&env)?;
    let caller = acting(&portal, &principal, &id, &tenant).await?;
    let fingerprint = Fingerprint::new("POST", &path, &caller, b"");
    let write = ConnectionWrite {
        id,
        if_match,
        tenant,
        environment,
        action,
    };
    idempotency::run(&portal, &caller, &key, fingerprint, write).await
}

/// Who acts on app `id`'s connection of `tenant`, and in which workspace: a
/// tenant admin of `tenant` on an app that lists one of their tenants (404
/// for an app that lists none, in any workspace; 403 for a tenant not
/// theirs). A member gets 404 for an app not in their workspace, else 403:
/// connection actions are the tenant admin's.
async fn acting(
    portal: &Portal,
    principal: &Principal,
    id: &str,
    tenant: &str,
) -> Result<Caller, AppError> {
    let client = portal.pool.get().await?;
    match principal {
        Principal::Member(caller) => {
            store::load(&client, &caller.workspace, id, false).await?;
            caller.require_tenant_admin(tenant)?;
            Ok(caller.clone())
        }
        Principal::TenantAdmin(admin) => {
            let workspace = tenant_admin::workspace_of(&client, admin, id).await?;
            admin.require(tenant)?;
            Ok(admin.acting_in(workspace))
        }
    }
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
        // The app stopped listing the admin's tenants since [`acting`] looked.
        let lists_theirs = loaded
            .state
            .tenants
            .iter()
            .any(|t| caller.tenant_admin.contains(&t.id));
        if !lists_theirs {
            return Err(tenant_admin::not_found(&self.id));
        }
        self.if_match.check(loaded.state.revision)?;
        let stamp = store::stamp(&caller.user);
        let previous = loaded.has_previous_secret(&self.tenant, self.environment);
        let (app, tenant, env) = (&loaded.state, self.tenant.as_str(), self.environment);
        let change = match self.action {
            Action::Connect => decide::connect(app, tenant, env, &stamp),
            Action::Upgrade => decide::upgrade(app, tenant, env, &stamp),
            Action::Disable => decide::disable(app, tenant, env, &stamp),
            Action::Enable => decide::enable(app, tenant, env, &stamp),
            Action::Regenerate => decide::regenerate(app, tenant, env, &stamp),
            Action::Rotate => decide::rotate(app, tenant, env, previous, &stamp),
            Action::RetirePrevious => decide::retire_previous(app, tenant, env, previous, &stamp),
        }
        .map_err(renamed)?;
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
