//! The wire types to and from the core's model: field moves only, in one
//! place, so the portal and the client convert the same way.

use std::collections::{BTreeMap, BTreeSet};

use appdesk_core::sync::{PulledConnection, Snapshot};

use crate::{App, Connection, Tenant, VersionRecord};

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
