//! The portal's JSON, as this client reads and writes it: the types of
//! `appdesk-protocol`, which the portal serializes too, under the names this
//! crate's code has always used. Unknown fields in an answer are ignored, so
//! a newer portal that adds some still syncs.

use appdesk_core::model::{AppEdit, Audience, Credentials, TenantEntry};
use appdesk_core::sync::{Intent, Snapshot};
use serde::{Deserialize, Serialize};

/// An app as the portal answers it (`App` in the document).
pub use appdesk_protocol::App as RemoteApp;
/// One entry of the feed, told apart by its `type`.
pub use appdesk_protocol::Change;
/// `GET /v1/changes`.
pub use appdesk_protocol::ChangesPage;
/// One version, as the feed carries it and a client keeps it.
pub use appdesk_protocol::VersionRecord as HistoryRecord;

/// `GET /v1/apps`.
#[derive(Debug, Deserialize)]
pub struct AppList {
    pub items: Vec<RemoteApp>,
    pub cursor: String,
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
