//! The auth extractor: `Authorization: Bearer adp_…` to the caller's workspace,
//! user and tenant-admin rights.
//!
//! No token, two Authorization headers, a malformed one, an unknown one or a revoked one: 401, all with the
//! same answer. The token's hash is compared in constant time. What the caller
//! may see is scoped by its workspace id in every query, so another workspace's
//! app is simply not found (404, never 403).

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::cached;
use crate::error::AppError;
use crate::extract::single_header;
use crate::log::Who;
use crate::server::Shared;
use crate::token;

#[derive(Debug, Clone)]
pub struct Caller {
    pub workspace: uuid::Uuid,
    pub user: String,
    /// Tenants this token administers.
    pub tenant_admin: Vec<String>,
}

impl Caller {
    /// 403 unless this token administers `tenant`.
    pub fn require_tenant_admin(&self, tenant: &str) -> Result<(), AppError> {
        if self.tenant_admin.iter().any(|t| t == tenant) {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "tenantId",
                format!("this token is not a tenant admin of {tenant}"),
            ))
        }
    }
}

impl FromRequestParts<Shared> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, portal: &Shared) -> Result<Self, AppError> {
        let refused = || AppError::unauthorized("a valid bearer token is required");
        // Two Authorization headers are refused, even if each is valid.
        let header = single_header(&parts.headers, AUTHORIZATION.as_str(), refused)?
            .and_then(|v| v.to_str().ok())
            .ok_or_else(refused)?;
        let (scheme, text) = header.trim().split_once(' ').ok_or_else(refused)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(refused());
        }
        let presented = token::parse(text.trim()).ok_or_else(refused)?;
        let client = portal.pool.get().await?;
        let row = cached::query_opt(
            &client,
            "SELECT hash, workspace_id, user_name, tenant_admin FROM tokens \
                 WHERE prefix = $1 AND revoked_at IS NULL",
            &[&presented.prefix],
        )
        .await?
        .ok_or_else(refused)?;
        let hash: Vec<u8> = row.get(0);
        if !token::matches(presented.full, &hash) {
            return Err(refused());
        }
        let caller = Caller {
            workspace: row.get(1),
            user: row.get(2),
            tenant_admin: row.get(3),
        };
        if let Some(who) = parts.extensions.get::<Who>() {
            who.set(caller.workspace.to_string(), caller.user.clone());
        }
        Ok(caller)
    }
}
