//! `/v1/members` (issue 22 §2): an owner lists, adds and removes the members
//! of their workspace. A viewer's write is refused before this by the auth
//! extractor; an editor's request here by [`Role::require_owner`]. Each
//! change records its audit entry in its own transaction.

use appdesk_protocol::{Member, MemberList, MemberRole, NewMember};
use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::audit::ClientIp;
use crate::auth::Caller;
use crate::error::AppError;
use crate::extract::JsonBody;
use crate::members::{self, Actor};
use crate::role::Role;
use crate::server::Shared;

const MANAGES: &str = "manages its members";

/// The client's address for the audit entry of an owner's change; 403
/// unless `caller` is an owner.
fn owner_ip(caller: &Caller, ip: Option<Extension<ClientIp>>) -> Result<String, AppError> {
    caller.role.require_owner(MANAGES)?;
    Ok(ip.map_or_else(|| "unknown".to_owned(), |Extension(ClientIp(ip))| ip))
}

fn acting<'a>(caller: &'a Caller, ip: &'a str) -> Actor<'a> {
    Actor {
        user: &caller.user,
        ip,
    }
}

/// The workspace's members, by user (owners only).
#[utoipa::path(get, path = "/v1/members", security(("bearer" = [])),
    responses(
        (status = 200, description = "The members of the token's workspace", body = MemberList),
        (status = 401, description = "No valid token", body = appdesk_protocol::ErrorBody),
        (status = 403, description = "Not an owner's token (the answer names its role), or a \
         tenant admin's", body = appdesk_protocol::ErrorBody),
    ))]
pub async fn list_members(
    State(portal): State<Shared>,
    caller: Caller,
) -> Result<Json<MemberList>, AppError> {
    caller.role.require_owner(MANAGES)?;
    let client = portal.pool.get().await?;
    Ok(Json(MemberList {
        members: members::list(&client, caller.workspace).await?,
    }))
}

/// Adds a member, or gives a member another role (owners only).
#[utoipa::path(post, path = "/v1/members", security(("bearer" = [])), request_body = NewMember,
    responses(
        (status = 201, description = "The member as now kept", body = Member),
        (status = 400, description = "A body that is not JSON", body = appdesk_protocol::ErrorBody),
        (status = 401, description = "No valid token", body = appdesk_protocol::ErrorBody),
        (status = 403, description = "Not an owner's token (the answer names its role), a \
         tenant admin's, or a console write from another origin", body = appdesk_protocol::ErrorBody),
        (status = 413, description = "A body over 1 MiB", body = appdesk_protocol::ErrorBody),
        (status = 422, description = "A user or role that is not valid, named", body = appdesk_protocol::ErrorBody),
    ))]
pub async fn add_member(
    State(portal): State<Shared>,
    caller: Caller,
    ip: Option<Extension<ClientIp>>,
    body: JsonBody<NewMember>,
) -> Result<Response, AppError> {
    let ip = owner_ip(&caller, ip)?;
    let role = Role::parse(&body.value.role, "role")?;
    let by = acting(&caller, &ip);
    let mut client = portal.pool.get().await?;
    let member = members::add(&mut client, caller.workspace, &body.value.user, role, by).await?;
    Ok((StatusCode::CREATED, Json(member)).into_response())
}

/// Removes a member (owners only).
#[utoipa::path(delete, path = "/v1/members/{user}", security(("bearer" = [])),
    params(("user" = String, Path, description = "The member's user")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token", body = appdesk_protocol::ErrorBody),
        (status = 403, description = "Not an owner's token (the answer names its role), a \
         tenant admin's, or a console write from another origin", body = appdesk_protocol::ErrorBody),
        (status = 404, description = "No such member in this workspace", body = appdesk_protocol::ErrorBody),
    ))]
pub async fn remove_member(
    State(portal): State<Shared>,
    caller: Caller,
    ip: Option<Extension<ClientIp>>,
    Path(user): Path<String>,
) -> Result<StatusCode, AppError> {
    let ip = owner_ip(&caller, ip)?;
    let by = acting(&caller, &ip);
    let mut client = portal.pool.get().await?;
    members::remove(&mut client, caller.workspace, &user, by).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives a member another role (owners only).
#[utoipa::path(patch, path = "/v1/members/{user}", security(("bearer" = [])), request_body = MemberRole,
    params(("user" = String, Path, description = "The member's user")),
    responses(
        (status = 200, description = "The member as now kept", body = Member),
        (status = 400, description = "A body that is not JSON", body = appdesk_protocol::ErrorBody),
        (status = 401, description = "No valid token", body = appdesk_protocol::ErrorBody),
        (status = 403, description = "Not an owner's token (the answer names its role), a \
         tenant admin's, or a console write from another origin", body = appdesk_protocol::ErrorBody),
        (status = 404, description = "No such member in this workspace", body = appdesk_protocol::ErrorBody),
        (status = 413, description = "A body over 1 MiB", body = appdesk_protocol::ErrorBody),
        (status = 422, description = "A role that is not valid, named", body = appdesk_protocol::ErrorBody),
    ))]
pub async fn change_member_role(
    State(portal): State<Shared>,
    caller: Caller,
    ip: Option<Extension<ClientIp>>,
    Path(user): Path<String>,
    body: JsonBody<MemberRole>,
) -> Result<Json<Member>, AppError> {
    let ip = owner_ip(&caller, ip)?;
    let role = Role::parse(&body.value.role, "role")?;
    let by = acting(&caller, &ip);
    let mut client = portal.pool.get().await?;
    let member = members::change_role(&mut client, caller.workspace, &user, role, by).await?;
    Ok(Json(member))
}
