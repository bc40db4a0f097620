//! The auth extractors: `Authorization: Bearer adp_…` to the principal the
//! token speaks for (DESIGN.md, "Who may see and do what").
//!
//! - [`Principal`]: any valid token, a workspace member or a tenant admin.
//!   Reads take it and show each kind what it may see.
//! - [`Caller`]: a workspace member acting in their workspace. Writes to an
//!   app and the change feed take it, so a tenant admin's token is refused
//!   there (403, saying why) before anything is looked up. A tenant admin's
//!   connection action also runs as a `Caller`, in the workspace of the app
//!   it acts on ([`TenantAdmin::acting_in`]), once the app was found visible.
//!
//! A member's token has a role ([`Role`]): a viewer's write is refused here
//! (403, naming the role) for every route at once, before anything is read.
//!
//! Without an `Authorization` header, the web console's session cookie
//! ([`crate::session`]) stands in for the token it was made from; a write
//! made with it must come from the console's own origin ([`crate::origin`]),
//! else 403 `cross_origin`.
//!
//! No token, two Authorization headers, a malformed one, an unknown one or a
//! revoked one: 401, all with the same answer. The token's hash is compared in
//! constant time. A member's queries name their workspace, and an admin's
//! name their tenants, so an app the principal may not see is not found (404,
//! never 403): its existence is not revealed.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use deadpool_postgres::GenericClient;

use crate::cached;
use crate::error::AppError;
use crate::extract::single_header;
use crate::log::Who;
use crate::role::Role;
use crate::server::Shared;
use crate::token;
use crate::{origin, session};

/// What `Who` logs as the workspace of a tenant admin, who has none.
const NO_WORKSPACE: &str = "(tenant admin)";

/// Who a valid token speaks for.
#[derive(Debug, Clone)]
pub enum Principal {
    /// A vendor's developer: everything in their workspace.
    Member(Caller),
    /// A customer's admin: the apps that list one of their tenants, in every
    /// workspace, and only what [`crate::tenant_admin`] shows of them.
    TenantAdmin(TenantAdmin),
}

/// A customer's admin, for one or more tenant ids; a member of no workspace.
#[derive(Debug, Clone)]
pub struct TenantAdmin {
    pub user: String,
    /// Never empty (the tokens table's check).
    pub tenants: Vec<String>,
}

impl TenantAdmin {
    /// 403 unless this admin administers `tenant`.
    pub fn require(&self, tenant: &str) -> Result<(), AppError> {
        require_admin_of(&self.tenants, tenant)
    }

    /// This admin acting on an app of `workspace` (found visible to them).
    pub fn acting_in(&self, workspace: uuid::Uuid) -> Caller {
        Caller {
            workspace,
            user: self.user.clone(),
            tenant_admin: self.tenants.clone(),
            // What an admin may do is decided by `tenant_admin`, not a role.
            role: Role::Editor,
        }
    }
}

/// A principal acting in one workspace: a member (no `tenant_admin`), or a
/// tenant admin on an app of that workspace (see [`TenantAdmin::acting_in`]).
#[derive(Debug, Clone)]
pub struct Caller {
    pub workspace: uuid::Uuid,
    pub user: String,
    /// The tenants a tenant admin acts for; empty for a member.
    pub tenant_admin: Vec<String>,
    /// A member token's role (a tenant admin acting on an app: editor).
    pub role: Role,
}

impl Caller {
    /// 403 unless this caller administers `tenant`: members never do.
    pub fn require_tenant_admin(&self, tenant: &str) -> Result<(), AppError> {
        require_admin_of(&self.tenant_admin, tenant)
    }
}

fn require_admin_of(tenants: &[String], tenant: &str) -> Result<(), AppError> {
    if tenants.iter().any(|t| t == tenant) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "tenantId",
            format!(
                "this token is not a tenant admin of {tenant}: a tenant's connections are \
                 its admin's"
            ),
        ))
    }
}

impl FromRequestParts<Shared> for Principal {
    type Rejection = AppError;

    /// The bearer token when an `Authorization` header is sent (it wins over
    /// a cookie), else the console's session cookie, which may make a write
    /// only from the console's own origin ([`origin::require_own`]).
    async fn from_request_parts(parts: &mut Parts, portal: &Shared) -> Result<Self, AppError> {
        let public = portal.public_origin.as_deref();
        let cookie = if parts.headers.contains_key(AUTHORIZATION) {
            None
        } else {
            session::presented(&parts.headers)?
        };
        let principal = match cookie {
            Some(cookie) => {
                if !origin::is_read(&parts.method) {
                    origin::require_own(&parts.headers, public)?;
                }
                session::principal(&portal.pool.get().await?, cookie).await?
            }
            None => {
                // Two Authorization headers are refused, even if each is valid.
                let header = single_header(&parts.headers, AUTHORIZATION.as_str(), refused)?
                    .and_then(|v| v.to_str().ok())
                    .ok_or_else(refused)?;
                let (scheme, text) = header.trim().split_once(' ').ok_or_else(refused)?;
                if !scheme.eq_ignore_ascii_case("bearer") {
                    return Err(refused());
                }
                let presented = token::parse(text.trim()).ok_or_else(refused)?;
                by_token(&portal.pool.get().await?, presented.full).await?.1
            }
        };
        if let Some(who) = parts.extensions.get::<Who>() {
            log_as(who, &principal);
        }
        if let Principal::Member(caller) = &principal
            && !origin::is_read(&parts.method)
        {
            caller.role.require_writer()?;
        }
        Ok(principal)
    }
}

/// The one answer to a missing, malformed, unknown or revoked token.
fn refused() -> AppError {
    AppError::unauthorized("a valid bearer token is required")
}

/// The token `text` (`adp_…`): its prefix and the principal it speaks for;
/// 401 unless it is a token of this portal that was not revoked.
pub async fn by_token(
    client: &impl GenericClient,
    text: &str,
) -> Result<(String, Principal), AppError> {
    let presented = token::parse(text).ok_or_else(refused)?;
    let row = cached::query_opt(
        client,
        "SELECT hash, workspace_id, user_name, tenant_admin, role FROM tokens \
             WHERE prefix = $1 AND revoked_at IS NULL",
        &[&presented.prefix],
    )
    .await?
    .ok_or_else(refused)?;
    let hash: Vec<u8> = row.try_get("hash")?;
    if !token::matches(presented.full, &hash) {
        return Err(refused());
    }
    let principal = principal_of(
        presented.prefix.to_owned(),
        row.try_get("workspace_id")?,
        row.try_get("user_name")?,
        row.try_get("tenant_admin")?,
        row.try_get("role")?,
    )?;
    Ok((presented.prefix.to_owned(), principal))
}

/// The principal of a token row (`prefix` names it in an error).
pub fn principal_of(
    prefix: String,
    workspace: Option<uuid::Uuid>,
    user: String,
    tenants: Vec<String>,
    role: String,
) -> Result<Principal, AppError> {
    // The table's check keeps exactly one of the two; a row with both
    // (or neither) would be damage, and is refused rather than guessed.
    match (workspace, tenants.is_empty()) {
        (Some(workspace), true) => Ok(Principal::Member(Caller {
            workspace,
            user,
            tenant_admin: Vec::new(),
            role: Role::stored(&role)?,
        })),
        (None, false) => Ok(Principal::TenantAdmin(TenantAdmin { user, tenants })),
        _ => Err(AppError::Internal(format!(
            "token {prefix}: both or neither of a workspace and tenants"
        ))),
    }
}

/// Names `principal` in the request log.
pub fn log_as(who: &Who, principal: &Principal) {
    match principal {
        Principal::Member(c) => who.set(c.workspace.to_string(), c.user.clone()),
        Principal::TenantAdmin(a) => who.set(NO_WORKSPACE.into(), a.user.clone()),
    }
}

/// A workspace member's token; a tenant admin's gets 403 naming what it may
/// do instead.
impl FromRequestParts<Shared> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, portal: &Shared) -> Result<Self, AppError> {
        match Principal::from_request_parts(parts, portal).await? {
            Principal::Member(caller) => Ok(caller),
            Principal::TenantAdmin(_) => Err(members_only(parts.uri.path())),
        }
    }
}

/// Why a tenant admin's token is refused on a members' route.
fn members_only(path: &str) -> AppError {
    if path.starts_with("/v1/members") || path.starts_with("/v1/audit") {
        AppError::forbidden(
            "token",
            "a tenant admin has no workspace: a workspace's members and audit log are its \
             owners'",
        )
    } else if path.starts_with("/v1/changes") {
        AppError::forbidden(
            "token",
            "tenant admins have no change feed: it carries whole apps of a workspace; \
             list GET /v1/apps (the apps that list your tenants) instead",
        )
    } else {
        AppError::forbidden(
            "token",
            "a tenant admin never writes to an app: creating, changing and deleting apps \
             is for the members of the app's workspace; a tenant admin reads the apps that \
             list their tenants and acts on their own tenants' connections",
        )
    }
}
