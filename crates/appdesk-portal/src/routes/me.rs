//! `/v1/me` (who the request speaks for) and `/v1/catalog` (the scope
//! catalog the portal decides with): what the web console reads first, with
//! a bearer token or the session cookie alike.

use appdesk_protocol::Me;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::auth::Principal;
use crate::cached;
use crate::error::AppError;
use crate::openapi::ReadErrors;
use crate::server::Shared;

/// The principal of the token or session: a member and the name of their
/// workspace, or a tenant admin and their tenants.
#[utoipa::path(get, path = "/v1/me", security(("bearer" = [])),
    responses(
        (status = 200, description = "Who the bearer token (or the console's session cookie) \
         speaks for", body = Me),
        ReadErrors,
    ))]
pub async fn me(State(portal): State<Shared>, principal: Principal) -> Result<Json<Me>, AppError> {
    Ok(Json(match principal {
        Principal::Member(caller) => {
            let client = portal.pool.get().await?;
            let row = cached::query_one(
                &client,
                "SELECT name FROM workspaces WHERE id = $1",
                &[&caller.workspace],
            )
            .await?;
            Me::Member {
                user: caller.user,
                workspace: row.try_get("name")?,
                role: caller.role.as_str().to_owned(),
            }
        }
        Principal::TenantAdmin(admin) => Me::TenantAdmin {
            user: admin.user,
            tenants: admin.tenants,
        },
    }))
}

/// The scope catalog (modules, their resources and what each allows), the
/// same JSON as the desktop's `Catalog`: the console shows scopes in its words.
#[utoipa::path(get, path = "/v1/catalog", security(("bearer" = [])),
    responses(
        (status = 200, description = "The portal's scope catalog, as the desktop's Catalog \
         binding: catalogVersion, source, modules[{id, displayName, apiId, basePath, \
         scopes[{name, displayName, view, modify, description}]}], labels, retired",
         content_type = "application/json", body = Object),
        ReadErrors,
    ))]
pub async fn catalog(State(portal): State<Shared>, _principal: Principal) -> Response {
    Json(&portal.catalog).into_response()
}
