//! The request bodies, as the portal issue specifies them. Unknown fields are
//! refused (422 naming them), so a typo never silently does nothing; missing
//! fields default to empty, so that the core's validation reports every problem
//! at once, each naming its field.

use appdesk_core::decide::TenantAdd;
use appdesk_core::{AppEdit, AppInput, Audience, Credentials, TenantEntry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new app: the app shape's writable fields, and optionally a proposed id
/// and app key (kept only if well formed, unused and never retired).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct CreateApp {
    pub name: String,
    pub organization: String,
    pub homepage_url: String,
    #[schema(value_type = Option<String>, pattern = "^(private|public)$")]
    pub audience: Option<Audience>,
    #[schema(value_type = Option<String>, pattern = "^(developer|tenant)$")]
    pub credentials: Option<Credentials>,
    /// Scope strings as in the CLI: `name:r`, `name:w` or `name:rw`.
    pub scopes: Vec<String>,
    pub tenants: Vec<TenantBody>,
    pub id: Option<String>,
    pub app_key: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
#[schema(as = TenantInput)]
pub struct TenantBody {
    pub id: String,
    pub note: Option<String>,
}

impl CreateApp {
    pub fn input(&self) -> AppInput {
        AppInput {
            name: self.name.clone(),
            organization: self.organization.clone(),
            homepage_url: self.homepage_url.clone(),
            audience: self.audience.unwrap_or_default(),
            credentials: self.credentials.unwrap_or_default(),
            tenants: self
                .tenants
                .iter()
                .map(|t| TenantEntry::new(&t.id, t.note.clone().unwrap_or_default()))
                .collect(),
            scopes: self.scopes.clone(),
        }
    }
}

/// A change of an app: any scalar field, and explicit add/remove lists for
/// scopes and tenants (never a whole array that would replace the set).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct PatchApp {
    pub name: Option<String>,
    pub organization: Option<String>,
    pub homepage_url: Option<String>,
    #[schema(value_type = Option<String>, pattern = "^(private|public)$")]
    pub audience: Option<Audience>,
    #[schema(value_type = Option<String>, pattern = "^(developer|tenant)$")]
    pub credentials: Option<Credentials>,
    pub scopes: Option<ScopeEdits>,
    pub tenants: Option<TenantEdits>,
}

impl PatchApp {
    pub fn edit(&self) -> AppEdit {
        AppEdit {
            name: self.name.clone(),
            organization: self.organization.clone(),
            homepage_url: self.homepage_url.clone(),
            audience: self.audience,
            credentials: self.credentials,
        }
    }
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ScopeEdits {
    pub add: Vec<String>,
    pub remove: Vec<String>,
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TenantEdits {
    /// A tenant to add; with a note, an existing tenant's note changes.
    pub add: Vec<TenantBody>,
    /// Tenant ids to remove; their connections end.
    pub remove: Vec<String>,
}

impl TenantEdits {
    pub fn adds(&self) -> Vec<TenantAdd> {
        self.add
            .iter()
            .map(|t| TenantAdd {
                id: t.id.clone(),
                note: t.note.clone(),
            })
            .collect()
    }
}

/// A tenant admin connects a tenant in one environment.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Connect {
    pub tenant_id: String,
    #[schema(pattern = "^(integration|production)$")]
    pub environment: String,
}
