//! What a tenant admin sees (issue 19 §1; DESIGN.md, "Who may see and do
//! what"): the apps that list one of their tenants, in every workspace, and
//! of such an app only its id, name, organization, homepage, current version
//! and scopes, the version history, and their own tenants' connections (in
//! the app itself too, with how far behind each is); and
//! two fields the protocol needs: the revision (for `If-Match` on an action)
//! and the app key, which identifies the app and is not a secret (the vendor
//! embeds it in their app), without which an admin's desktop replica (a
//! linked database, where every created app has its unique key) could not
//! hold two apps.
//!
//! Every answer a tenant admin gets is built here, from the loaded app, by
//! naming the fields to show, never by removing fields from a member's view:
//! a field added to the app later stays hidden from admins until it is named
//! here. The `tenants` field lists the admin's own tenants that the app lists,
//! without notes (a note is the vendor's, about the customer); another
//! tenant's id or note never appears. This module decides visibility only; it
//! never decides a rule (that is `appdesk_core::decide`) and never writes.

use appdesk_core::ErrorCode;
use appdesk_core::decide;
use appdesk_protocol::Connection;
use axum::http::StatusCode;
use deadpool_postgres::GenericClient;

use crate::auth::TenantAdmin;
use crate::cached;
use crate::error::AppError;
use crate::store::{self, Loaded, views};

/// The wire types of a tenant admin's view (`appdesk-protocol`).
pub use appdesk_protocol::{
    AppAsSeen, TenantAdminApp as AdminApp, TenantAdminConnection as OwnConnection,
    TenantAdminTenant as OwnTenant,
};

/// Whether the app lists one of the admin's tenants.
pub fn sees(admin: &TenantAdmin, loaded: &Loaded) -> bool {
    loaded
        .state
        .tenants
        .iter()
        .any(|t| admin.tenants.contains(&t.id))
}

/// The 404 of an app the admin may not see: the same answer whether it
/// exists elsewhere or not at all.
pub fn not_found(id: &str) -> AppError {
    AppError::http(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        Some("app"),
        format!("no app {id:?} lists a tenant of this token"),
    )
}

/// The workspace of app `id` if it lists one of the admin's tenants; 404
/// otherwise.
pub async fn workspace_of(
    client: &impl GenericClient,
    admin: &TenantAdmin,
    id: &str,
) -> Result<uuid::Uuid, AppError> {
    let row = cached::query_opt(
        client,
        "SELECT a.workspace_id FROM apps a WHERE a.id = $1 AND EXISTS \
         (SELECT 1 FROM app_tenants t WHERE t.app_id = a.id AND t.tenant_id = ANY($2))",
        &[&id, &admin.tenants],
    )
    .await?
    .ok_or_else(|| not_found(id))?;
    Ok(row.try_get("workspace_id")?)
}

/// App `id`, loaded, if the admin may see it; 404 otherwise.
pub async fn load(
    client: &impl GenericClient,
    admin: &TenantAdmin,
    id: &str,
) -> Result<Loaded, AppError> {
    let workspace = workspace_of(client, admin, id).await?;
    let loaded = store::load(client, &workspace, id, false)
        .await
        .map_err(|_| not_found(id))?;
    // A tenant removed between the two reads: the app is no longer theirs.
    if sees(admin, &loaded) {
        Ok(loaded)
    } else {
        Err(not_found(id))
    }
}

/// Every app the admin may see, in every workspace, by name.
pub async fn load_all(
    client: &impl GenericClient,
    admin: &TenantAdmin,
) -> Result<Vec<Loaded>, AppError> {
    store::load_for_tenants(client, &admin.tenants).await
}

pub fn app(admin: &TenantAdmin, loaded: &Loaded) -> AdminApp {
    let s = &loaded.state;
    let mut tenants: Vec<OwnTenant> = s
        .tenants
        .iter()
        .filter(|t| admin.tenants.contains(&t.id))
        .map(|t| OwnTenant { id: t.id.clone() })
        .collect();
    tenants.sort_by(|a, b| a.id.cmp(&b.id));
    AdminApp {
        id: s.id.clone(),
        name: s.fields.name.clone(),
        organization: s.fields.organization.clone(),
        homepage_url: s.fields.homepage_url.clone(),
        app_key: s.app_key.clone(),
        version: s.version,
        scopes: s.scopes.to_strings(),
        tenants,
        revision: s.revision,
        connections: own_connections(admin, loaded),
    }
}

/// The admin's own tenants' connections as an app's list item carries them,
/// each with how far behind the latest version it is (the ledger's count,
/// `decide::versions_behind`). Read from the loaded app: the list loads every
/// app with its connections in one query.
fn own_connections(admin: &TenantAdmin, loaded: &Loaded) -> Vec<OwnConnection> {
    let latest = loaded.state.version;
    loaded
        .state
        .connections
        .iter()
        .filter(|c| admin.tenants.contains(&c.tenant_id))
        .map(|c| OwnConnection {
            tenant_id: c.tenant_id.clone(),
            environment: c.environment,
            status: c.status,
            version: c.version,
            latest_version: latest,
            behind_by: decide::versions_behind(c.version, latest),
        })
        .collect()
}

/// The connections of the admin's own tenants, never another tenant's.
pub fn connections(admin: &TenantAdmin, loaded: &Loaded) -> Vec<Connection> {
    loaded
        .state
        .connections
        .iter()
        .filter(|c| admin.tenants.contains(&c.tenant_id))
        .map(|c| views::connection(loaded, c, None))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::loaded;

    fn admin_of(tenants: &[&str]) -> TenantAdmin {
        TenantAdmin {
            user: "bea".into(),
            tenants: tenants.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn an_admin_sees_only_their_own_tenant_without_its_note_and_its_connections() {
        // The app lists tenants 9 and 10 (note "n"); 9 is connected.
        let app = loaded();
        let of_ten = admin_of(&["10", "11"]);
        assert!(sees(&of_ten, &app));
        let view = serde_json::to_value(super::app(&of_ten, &app)).unwrap();
        assert_eq!(view["tenants"], serde_json::json!([{"id": "10"}]));
        let keys: Vec<&String> = view.as_object().unwrap().keys().collect();
        for hidden in [
            "audience",
            "credentials",
            "createdAt",
            "updatedAt",
            "status",
        ] {
            assert!(!keys.iter().any(|k| *k == hidden), "{hidden} shown: {view}");
        }
        assert!(
            connections(&of_ten, &app).is_empty(),
            "9's connection shown"
        );
        let of_nine = admin_of(&["9"]);
        let theirs = connections(&of_nine, &app);
        assert_eq!(theirs.len(), 1);
        assert_eq!(theirs[0].tenant_id, "9");
        assert!(
            !sees(&admin_of(&["11"]), &app),
            "an app listing none of theirs"
        );
    }
}
