//! The administration commands: create a workspace, create and revoke tokens
//! (each token change recorded in the audit log in its transaction).
//! Each migrates first (in [`crate::db::open`]), so a fresh database works for
//! any command.

use deadpool_postgres::Pool;

use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::role::Role;
use crate::token;

/// Creates the workspace `name` and returns its id.
pub async fn create_workspace(pool: &Pool, name: &str) -> Result<String, AppError> {
    let name = checked_name(name, "name")?;
    let id = uuid::Uuid::now_v7();
    let client = pool.get().await?;
    let inserted = client
        .execute(
            "INSERT INTO workspaces (id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            &[&id, &name],
        )
        .await?;
    if inserted == 0 {
        return Err(AppError::Core(appdesk_core::Error::conflict(
            "workspace",
            format!("a workspace named {name:?} exists already"),
        )));
    }
    Ok(id.to_string())
}

/// What `token create` made: the token text (shown once, never stored) and
/// whether a `--workspace` was given to a tenant admin's token, where it
/// plays no part.
#[derive(Debug)]
pub struct CreatedToken {
    pub text: String,
    pub workspace_ignored: bool,
}

/// Creates a token for `user`: a member of the workspace named `workspace`,
/// or, with `tenant_admin`, an admin of those tenants, who is a member of no
/// workspace (a `workspace` given too must exist, and is not kept: an admin
/// sees the apps that list their tenants in every workspace).
pub async fn create_token(
    pool: &Pool,
    workspace: Option<&str>,
    user: &str,
    tenant_admin: &[String],
    role: Option<&str>,
) -> Result<CreatedToken, AppError> {
    let user = checked_name(user, "user")?;
    let role = role.map(|r| Role::parse(r, "role")).transpose()?;
    if role.is_some() && !tenant_admin.is_empty() {
        return Err(AppError::invalid(
            "role",
            "--role is a member's token's: a tenant admin's token has no role",
        ));
    }
    let role = role.unwrap_or(Role::Editor);
    let tenants = tenant_admin
        .iter()
        .map(|t| {
            appdesk_core::validate::tenant_id(t, "tenantAdmin")
                .map_err(|p| AppError::Core(appdesk_core::Error::Invalid(vec![p])))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut client = pool.get().await?;
    let workspace_id = match workspace {
        Some(name) => Some(workspace_named(&client, name).await?),
        None if tenants.is_empty() => {
            return Err(AppError::invalid(
                "workspace",
                "give --workspace NAME for a member of a workspace, or --tenant-admin ID \
                 (repeatable) for a tenant admin",
            ));
        }
        None => None,
    };
    let workspace_ignored = workspace_id.is_some() && !tenants.is_empty();
    let workspace_id = workspace_id.filter(|_| tenants.is_empty());
    let (text, prefix, hash) = token::generate()?;
    let tx = client.transaction().await?;
    tx.execute(
        "INSERT INTO tokens (prefix, hash, workspace_id, user_name, tenant_admin, role) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &prefix,
            &hash,
            &workspace_id,
            &user,
            &tenants,
            &role.as_str(),
        ],
    )
    .await?;
    let target = format!("{prefix} for {user}");
    audit::record(&tx, &command_entry(workspace_id, "token.create", &target)).await?;
    tx.commit().await?;
    Ok(CreatedToken {
        text,
        workspace_ignored,
    })
}

/// The id of the workspace named `name`; 404 naming it.
pub async fn workspace_named(
    client: &impl deadpool_postgres::GenericClient,
    name: &str,
) -> Result<uuid::Uuid, AppError> {
    let row = client
        .query_opt("SELECT id FROM workspaces WHERE name = $1", &[&name])
        .await?
        .ok_or_else(|| {
            AppError::http(
                axum::http::StatusCode::NOT_FOUND,
                appdesk_core::ErrorCode::NotFound,
                Some("workspace"),
                format!("no workspace named {name:?}"),
            )
        })?;
    Ok(row.try_get("id")?)
}

/// Revokes the token with this prefix (or this whole token), and ends the
/// console sessions made from it; returns its prefix.
pub async fn revoke_token(pool: &Pool, text: &str) -> Result<String, AppError> {
    let prefix = token::prefix_of(text).ok_or_else(|| {
        AppError::invalid(
            "token",
            "not a token or token prefix (adp_ and 8 of a-z, 0-9)",
        )
    })?;
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let updated = tx
        .query_opt(
            "UPDATE tokens SET revoked_at = coalesce(revoked_at, now()) WHERE prefix = $1 \
             RETURNING workspace_id",
            &[&prefix],
        )
        .await?;
    let Some(updated) = updated else {
        return Err(AppError::http(
            axum::http::StatusCode::NOT_FOUND,
            appdesk_core::ErrorCode::NotFound,
            Some("token"),
            format!("no token {prefix}"),
        ));
    };
    let workspace: Option<uuid::Uuid> = updated.try_get("workspace_id")?;
    // The console's sessions made from it end with it.
    crate::session::end_all_of(&tx, prefix).await?;
    audit::record(&tx, &command_entry(workspace, "token.revoke", prefix)).await?;
    tx.commit().await?;
    Ok(prefix.to_owned())
}

/// An audit entry of the server's command line.
fn command_entry<'a>(workspace: Option<uuid::Uuid>, action: &'a str, target: &'a str) -> Entry<'a> {
    Entry {
        workspace,
        actor: audit::COMMAND_LINE,
        action,
        target,
        outcome: "ok",
        ip: audit::LOCAL,
    }
}

/// A workspace or user name: trimmed, 1–120 characters, no control characters.
fn checked_name(text: &str, field: &str) -> Result<String, AppError> {
    appdesk_core::validate::required_text(text, field, field, 120)
        .map_err(|p| AppError::Core(appdesk_core::Error::Invalid(vec![p])))
}
