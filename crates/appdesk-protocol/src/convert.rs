//! The wire types to and from the core's model: field moves only, in one
//! place, so the portal and the client convert the same way.

use std::collections::{BTreeMap, BTreeSet};

use appdesk_core::decide::TenantAdd;
use appdesk_core::sync::{Intent, PulledConnection, Snapshot};
use appdesk_core::{AppEdit, AppInput, TenantEntry};

use crate::{
    App, Connection, CreateApp, HistoryEntry, PatchApp, ScopeEdits, Tenant, TenantEdits,
    TenantInput, VersionRecord,
};

impl App {
    /// The app's content, as the client's merge compares it.
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

impl From<appdesk_core::TenantEntry> for Tenant {
    fn from(t: appdesk_core::TenantEntry) -> Self {
        Tenant {
            id: t.id,
            note: t.note,
        }
    }
}

impl From<VersionRecord> for appdesk_core::exchange::VersionRecord {
    fn from(v: VersionRecord) -> Self {
        appdesk_core::exchange::VersionRecord {
            version: v.version,
            scopes: v.scopes,
            created_at: v.created_at,
            created_by: v.created_by,
        }
    }
}

impl From<&appdesk_core::exchange::VersionRecord> for VersionRecord {
    fn from(v: &appdesk_core::exchange::VersionRecord) -> Self {
        VersionRecord {
            version: v.version,
            scopes: v.scopes.clone(),
            created_at: v.created_at.clone(),
            created_by: v.created_by.clone(),
        }
    }
}

impl Connection {
    /// The connection as a client records it, without the secret (which the
    /// caller takes first, to show once).
    pub fn into_pulled(self) -> PulledConnection {
        PulledConnection {
            tenant_id: self.tenant_id,
            environment: self.environment,
            status: self.status,
            version: self.version,
            latest_version: self.latest_version,
            upgrade_available: self.upgrade_available,
            scopes_in_play: self.scopes_in_play,
            pending_added: self.pending_added,
            pending_removed: self.pending_removed,
            client_id: self.client_id,
            connected_at: self.connected_at,
        }
    }
}

impl From<HistoryEntry> for VersionRecord {
    /// What a client keeps of a version: the diff it can compute again.
    fn from(h: HistoryEntry) -> Self {
        VersionRecord {
            version: h.version,
            scopes: h.scopes,
            created_at: h.created_at,
            created_by: h.created_by,
        }
    }
}

impl CreateApp {
    /// The core's input, for the portal's `decide::create`.
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

    /// The create of an app a client made, proposing its id and key.
    pub fn of(app: &Snapshot) -> CreateApp {
        CreateApp {
            name: app.name.clone(),
            organization: app.organization.clone(),
            homepage_url: app.homepage_url.clone(),
            audience: Some(app.audience),
            credentials: Some(app.credentials),
            scopes: app.scopes.iter().cloned().collect(),
            tenants: app
                .tenants
                .iter()
                .map(|(id, note)| TenantInput {
                    id: id.clone(),
                    note: Some(note.clone()),
                })
                .collect(),
            id: Some(app.id.clone()),
            app_key: Some(app.app_key.clone()),
        }
    }
}

impl PatchApp {
    /// The scalar fields, for the portal's `decide::edit`.
    pub fn edit(&self) -> AppEdit {
        AppEdit {
            name: self.name.clone(),
            organization: self.organization.clone(),
            homepage_url: self.homepage_url.clone(),
            audience: self.audience,
            credentials: self.credentials,
        }
    }

    /// The body of a client's intent that is not a create or a delete.
    pub fn of(intent: &Intent) -> Option<PatchApp> {
        Some(match intent {
            Intent::Fields { fields } => PatchApp {
                name: fields.name.clone(),
                organization: fields.organization.clone(),
                homepage_url: fields.homepage_url.clone(),
                audience: fields.audience,
                credentials: fields.credentials,
                ..PatchApp::default()
            },
            Intent::Scopes { add, remove } => PatchApp {
                scopes: Some(ScopeEdits {
                    add: add.clone(),
                    remove: remove.clone(),
                }),
                ..PatchApp::default()
            },
            Intent::Tenants { add, remove } => PatchApp {
                tenants: Some(TenantEdits {
                    add: add
                        .iter()
                        .map(|t| TenantInput {
                            id: t.id.clone(),
                            note: Some(t.note.clone()),
                        })
                        .collect(),
                    remove: remove.clone(),
                }),
                ..PatchApp::default()
            },
            Intent::Create { .. } | Intent::Delete => return None,
        })
    }
}

impl TenantEdits {
    /// The tenants to add, for the portal's `TenantRequest::parse`.
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
