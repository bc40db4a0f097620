//! The portal's JSON, as this client reads and writes it
//! (`schema/portal.openapi.json`): apps, the change feed, version history,
//! and the bodies of creates and patches. Unknown fields are ignored, so a
//! newer portal that adds some still syncs.

use std::collections::{BTreeMap, BTreeSet};

use appdesk_core::exchange::VersionRecord;
use appdesk_core::model::{AppEdit, Audience, Credentials, TenantEntry};
use appdesk_core::sync::{Intent, Snapshot};
use serde::{Deserialize, Serialize};

/// An app as the portal answers it (`App` in the document).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteApp {
    pub id: String,
    pub app_key: Option<String>,
    pub name: String,
    pub organization: String,
    pub homepage_url: String,
    /// Absent from a tenant admin's view (`TenantAdminApp`), which shows
    /// only name, organization, homepage, version and scopes, and the
    /// admin's own tenants without notes: the defaults stand in locally.
    #[serde(default)]
    pub audience: Audience,
    #[serde(default)]
    pub credentials: Credentials,
    pub scopes: Vec<String>,
    pub tenants: Vec<TenantEntry>,
    pub revision: i64,
    pub version: Option<i64>,
    #[serde(default)]
    pub created_at: String,
    /// In a feed entry: the versions the change made (none in other answers).
    #[serde(default)]
    pub versions: Vec<HistoryRecord>,
    /// This client's last mutation the portal applied to the app as of this
    /// state (a feed entry: the one that wrote it, if this client's).
    #[serde(default)]
    pub mutation_id: Option<i64>,
}

impl RemoteApp {
    /// The app's content, as the merge compares it.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            id: self.id.clone(),
            app_key: self.app_key.clone().unwrap_or_default(),
            name: self.name.clone(),
            organization: self.organization.clone(),
            homepage_url: self.homepage_url.clone(),
            audience: self.audience,
            credentials: self.credentials,
            scopes: self.scopes.iter().cloned().collect::<BTreeSet<_>>(),
            tenants: self
                .tenants
                .iter()
                .map(|t| (t.id.clone(), t.note.clone()))
                .collect::<BTreeMap<_, _>>(),
        }
    }
}

/// `GET /v1/apps`.
#[derive(Debug, Deserialize)]
pub struct AppList {
    pub items: Vec<RemoteApp>,
    pub cursor: String,
}

/// `GET /v1/changes`: each change is `{type, appId, …}`, read by [`Change`].
#[derive(Debug, Deserialize)]
pub struct ChangesPage {
    pub changes: Vec<serde_json::Value>,
    pub next: String,
}

/// One entry of the feed, as the engine uses it.
#[derive(Debug)]
pub enum Change {
    App(Box<RemoteApp>),
    Deleted {
        app_id: String,
        /// This client's mutation that deleted it, if it was this client's.
        mutation: Option<i64>,
    },
    /// A connection's snapshot: the portal's, shown read-only (issue §5).
    Connection {
        app_id: String,
    },
}

impl Change {
    pub fn parse(value: serde_json::Value) -> Result<Change, String> {
        let kind = value.get("type").and_then(|v| v.as_str()).unwrap_or("");
        let app_id = value
            .get("appId")
            .and_then(|v| v.as_str())
            .ok_or("a change without an appId")?
            .to_owned();
        match kind {
            "app" => {
                let app: RemoteApp = serde_json::from_value(value)
                    .map_err(|e| format!("an app change for {app_id}: {e}"))?;
                if app.id != app_id {
                    return Err(format!(
                        "an app change for {app_id} carries the app {}",
                        app.id
                    ));
                }
                Ok(Change::App(Box::new(app)))
            }
            "deleted" => Ok(Change::Deleted {
                mutation: value.get("mutationId").and_then(|v| v.as_i64()),
                app_id,
            }),
            "connection" => Ok(Change::Connection { app_id }),
            other => Err(format!("a change of unknown type {other:?}")),
        }
    }
}

/// One version of `GET /v1/apps/{id}/versions`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryRecord {
    pub version: i64,
    pub scopes: Vec<String>,
    pub created_at: String,
    pub created_by: String,
}

impl From<HistoryRecord> for VersionRecord {
    fn from(h: HistoryRecord) -> Self {
        VersionRecord {
            version: h.version,
            scopes: h.scopes,
            created_at: h.created_at,
            created_by: h.created_by,
        }
    }
}

/// `POST /v1/apps`: the app, proposing its id and key.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateBody<'a> {
    pub id: &'a str,
    pub app_key: &'a str,
    pub name: &'a str,
    pub organization: &'a str,
    pub homepage_url: &'a str,
    pub audience: Audience,
    pub credentials: Credentials,
    pub scopes: Vec<&'a str>,
    pub tenants: Vec<TenantBody<'a>>,
}

#[derive(Debug, Serialize)]
pub struct TenantBody<'a> {
    pub id: &'a str,
    pub note: Option<&'a str>,
}

impl<'a> CreateBody<'a> {
    pub fn of(app: &'a Snapshot) -> Self {
        CreateBody {
            id: &app.id,
            app_key: &app.app_key,
            name: &app.name,
            organization: &app.organization,
            homepage_url: &app.homepage_url,
            audience: app.audience,
            credentials: app.credentials,
            scopes: app.scopes.iter().map(String::as_str).collect(),
            tenants: app
                .tenants
                .iter()
                .map(|(id, note)| TenantBody {
                    id,
                    note: Some(note),
                })
                .collect(),
        }
    }
}

/// `PATCH /v1/apps/{id}`: scalar fields, and explicit add/remove lists.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatchBody {
    #[serde(flatten)]
    pub fields: AppEdit,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Edits<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenants: Option<Edits<TenantEntry>>,
}

#[derive(Debug, Serialize)]
pub struct Edits<T> {
    pub add: Vec<T>,
    pub remove: Vec<String>,
}

impl PatchBody {
    /// The body of an intent that is not a create or a delete.
    pub fn of(intent: &Intent) -> Option<PatchBody> {
        Some(match intent {
            Intent::Fields { fields } => PatchBody {
                fields: fields.clone(),
                ..PatchBody::default()
            },
            Intent::Scopes { add, remove } => PatchBody {
                scopes: Some(Edits {
                    add: add.clone(),
                    remove: remove.clone(),
                }),
                ..PatchBody::default()
            },
            Intent::Tenants { add, remove } => PatchBody {
                tenants: Some(Edits {
                    add: add.clone(),
                    remove: remove.clone(),
                }),
                ..PatchBody::default()
            },
            Intent::Create { .. } | Intent::Delete => return None,
        })
    }
}
