//! A workspace's members and a tenant's admins, by user (issue 22 §2): what
//! `appdesk-portal member …` and `tenant-admin …` change, and `/v1/members`
//! lists and changes for an owner. Every change is recorded in the audit log
//! in its own transaction ([`crate::audit::record`]).
//!
//! A token's role is the token's own: these tables are who a sign-in by
//! identity provider will find. This module does not decide who may call it.

use appdesk_protocol::Member;
use axum::http::StatusCode;
use deadpool_postgres::GenericClient;

use crate::audit::{self, Entry};
use crate::error::AppError;
use crate::role::Role;

/// Who made a change, for its audit entry: a user from an address, or the
/// server's command line.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub user: &'a str,
    pub ip: &'a str,
}

/// The server's own commands.
pub const COMMAND_LINE: Actor<'static> = Actor {
    user: audit::COMMAND_LINE,
    ip: audit::LOCAL,
};

/// A user's name: trimmed, 1–120 characters, no control characters.
pub fn checked_user(text: &str) -> Result<String, AppError> {
    appdesk_core::validate::required_text(text, "user", "user", 120)
        .map_err(|p| AppError::Core(appdesk_core::Error::Invalid(vec![p])))
}

/// Adds `user` to `workspace` as `role`, or gives a member that role.
pub async fn add(
    client: &mut deadpool_postgres::Object,
    workspace: uuid::Uuid,
    user: &str,
    role: Role,
    by: Actor<'_>,
) -> Result<Member, AppError> {
    let user = checked_user(user)?;
    let tx = client.transaction().await?;
    tx.execute(
        "INSERT INTO members (workspace_id, user_name, role) VALUES ($1, $2, $3) \
         ON CONFLICT (workspace_id, user_name) DO UPDATE SET role = excluded.role",
        &[&workspace, &user, &role.as_str()],
    )
    .await?;
    let target = format!("{user} as {role}");
    audit::record(&tx, &entry(workspace, by, "member.add", &target)).await?;
    tx.commit().await?;
    Ok(Member {
        user,
        role: role.as_str().to_owned(),
    })
}

/// Gives the member `user` of `workspace` another role; 404 naming them
/// when not a member.
pub async fn change_role(
    client: &mut deadpool_postgres::Object,
    workspace: uuid::Uuid,
    user: &str,
    role: Role,
    by: Actor<'_>,
) -> Result<Member, AppError> {
    let user = user.trim();
    let tx = client.transaction().await?;
    let changed = tx
        .execute(
            "UPDATE members SET role = $3 WHERE workspace_id = $1 AND user_name = $2",
            &[&workspace, &user, &role.as_str()],
        )
        .await?;
    if changed == 0 {
        return Err(not_found(
            "user",
            format!("{user:?} is not a member of this workspace"),
        ));
    }
    let target = format!("{user} as {role}");
    audit::record(&tx, &entry(workspace, by, "member.role", &target)).await?;
    tx.commit().await?;
    Ok(Member {
        user: user.to_owned(),
        role: role.as_str().to_owned(),
    })
}

/// Removes `user` from `workspace`; 404 naming them when not a member.
pub async fn remove(
    client: &mut deadpool_postgres::Object,
    workspace: uuid::Uuid,
    user: &str,
    by: Actor<'_>,
) -> Result<(), AppError> {
    let tx = client.transaction().await?;
    let removed = tx
        .execute(
            "DELETE FROM members WHERE workspace_id = $1 AND user_name = $2",
            &[&workspace, &user.trim()],
        )
        .await?;
    if removed == 0 {
        return Err(not_found(
            "user",
            format!("{user:?} is not a member of this workspace"),
        ));
    }
    audit::record(&tx, &entry(workspace, by, "member.remove", user.trim())).await?;
    tx.commit().await?;
    Ok(())
}

/// The members of `workspace`, by user.
pub async fn list(
    client: &impl GenericClient,
    workspace: uuid::Uuid,
) -> Result<Vec<Member>, AppError> {
    let rows = client
        .query(
            "SELECT user_name, role FROM members WHERE workspace_id = $1 ORDER BY user_name",
            &[&workspace],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Member {
                user: r.try_get("user_name")?,
                role: r.try_get("role")?,
            })
        })
        .collect()
}

fn entry<'a>(workspace: uuid::Uuid, by: Actor<'a>, action: &'a str, target: &'a str) -> Entry<'a> {
    Entry {
        workspace: Some(workspace),
        actor: by.user,
        action,
        target,
        outcome: "ok",
        ip: by.ip,
    }
}

fn not_found(field: &str, message: String) -> AppError {
    AppError::http(
        StatusCode::NOT_FOUND,
        appdesk_core::ErrorCode::NotFound,
        Some(field),
        message,
    )
}

/// `tenant-admin add`: `user` administers `tenant`.
pub async fn add_tenant_admin(
    client: &mut deadpool_postgres::Object,
    tenant: &str,
    user: &str,
) -> Result<String, AppError> {
    let tenant = appdesk_core::validate::tenant_id(tenant, "tenant")
        .map_err(|p| AppError::Core(appdesk_core::Error::Invalid(vec![p])))?;
    let user = checked_user(user)?;
    let tx = client.transaction().await?;
    tx.execute(
        "INSERT INTO tenant_admin_users (tenant_id, user_name) VALUES ($1, $2) \
         ON CONFLICT DO NOTHING",
        &[&tenant, &user],
    )
    .await?;
    let target = format!("{tenant}/{user}");
    audit::record(&tx, &tenant_entry("tenant_admin.add", &target)).await?;
    tx.commit().await?;
    Ok(target)
}

/// `tenant-admin remove`; 404 when `user` is not an admin of `tenant`.
pub async fn remove_tenant_admin(
    client: &mut deadpool_postgres::Object,
    tenant: &str,
    user: &str,
) -> Result<String, AppError> {
    let tx = client.transaction().await?;
    let removed = tx
        .execute(
            "DELETE FROM tenant_admin_users WHERE tenant_id = $1 AND user_name = $2",
            &[&tenant.trim(), &user.trim()],
        )
        .await?;
    if removed == 0 {
        return Err(not_found(
            "user",
            format!("{user:?} is not an admin of tenant {tenant:?}"),
        ));
    }
    let target = format!("{}/{}", tenant.trim(), user.trim());
    audit::record(&tx, &tenant_entry("tenant_admin.remove", &target)).await?;
    tx.commit().await?;
    Ok(target)
}

fn tenant_entry<'a>(action: &'a str, target: &'a str) -> Entry<'a> {
    Entry {
        workspace: None,
        actor: COMMAND_LINE.user,
        action,
        target,
        outcome: "ok",
        ip: COMMAND_LINE.ip,
    }
}

/// `tenant-admin list`: one JSON object a line, `{tenant, user}`.
pub async fn list_tenant_admins(client: &impl GenericClient) -> Result<Vec<String>, AppError> {
    let rows = client
        .query(
            "SELECT tenant_id, user_name FROM tenant_admin_users ORDER BY tenant_id, user_name",
            &[],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let tenant: String = r.try_get("tenant_id")?;
            let user: String = r.try_get("user_name")?;
            Ok(serde_json::json!({"tenant": tenant, "user": user}).to_string())
        })
        .collect()
}
