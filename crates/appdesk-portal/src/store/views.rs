//! The portal's answers, built from loaded state as the wire types of
//! `appdesk-protocol` (an app, a connection, a version history), the same
//! types a client reads them with.

use appdesk_core::decide::{ConnectionState, upgrade_notice};
use appdesk_core::{AppStatus, ScopeSet};
use appdesk_protocol::{App, Change as FeedEntry, Connection, ConnectionEnd, Ended, HistoryEntry};

use super::Loaded;

pub fn app(loaded: &Loaded) -> App {
    let s = &loaded.state;
    let mut tenants = s.tenants.clone();
    tenants.sort_by(|a, b| a.id.cmp(&b.id));
    App {
        id: s.id.clone(),
        name: s.fields.name.clone(),
        organization: s.fields.organization.clone(),
        homepage_url: s.fields.homepage_url.clone(),
        audience: s.fields.audience,
        credentials: s.fields.credentials,
        status: AppStatus::Created,
        app_key: Some(s.app_key.clone()),
        version: Some(s.version),
        scopes: s.scopes.to_strings(),
        tenants: tenants.into_iter().map(Into::into).collect(),
        revision: s.revision,
        created_at: loaded.created_at.clone(),
        updated_at: loaded.updated_at.clone(),
        notices: Vec::new(),
        mutation_id: None,
        versions: Vec::new(),
    }
}

pub fn connection(loaded: &Loaded, c: &ConnectionState, secret: Option<&str>) -> Connection {
    let in_play = loaded
        .version_scopes
        .get(&c.version)
        .cloned()
        .unwrap_or_default();
    let state = &loaded.state;
    let secrets = loaded.secret_times.get(&c.id).cloned().unwrap_or_default();
    let notice = upgrade_notice(
        c.version,
        &ScopeSet::from_stored(&in_play),
        state.version,
        &state.scopes,
    );
    Connection {
        tenant_id: c.tenant_id.clone(),
        environment: c.environment,
        status: c.status,
        version: c.version,
        latest_version: state.version,
        behind_by: appdesk_core::decide::versions_behind(c.version, state.version),
        upgrade_available: notice.is_some(),
        scopes_in_play: in_play,
        pending_added: notice
            .as_ref()
            .map(|d| d.added.to_strings())
            .unwrap_or_default(),
        pending_removed: notice
            .as_ref()
            .map(|d| d.removed.to_strings())
            .unwrap_or_default(),
        client_id: c.client_id.clone(),
        connected_at: loaded.connected_at.get(&c.id).cloned().unwrap_or_default(),
        secret_created_at: secrets.current,
        has_previous_secret: secrets.previous.is_some(),
        previous_secret_created_at: secrets.previous,
        client_secret: secret.map(str::to_owned),
    }
}

pub fn connections(loaded: &Loaded) -> Vec<Connection> {
    loaded
        .state
        .connections
        .iter()
        .map(|c| connection(loaded, c, None))
        .collect()
}

/// Each version with what it added and removed against the one before (R6).
pub fn history(versions: Vec<(i64, Vec<String>, String, String)>) -> Vec<HistoryEntry> {
    let mut previous = ScopeSet::new();
    versions
        .into_iter()
        .map(|(version, scopes, created_at, created_by)| {
            let set = ScopeSet::from_stored(&scopes);
            let diff = previous.diff(&set);
            previous = set;
            HistoryEntry {
                version,
                scopes,
                added: diff.added.to_strings(),
                removed: diff.removed.to_strings(),
                created_at,
                created_by,
            }
        })
        .collect()
}

/// The feed entry that says a connection ended (its tenant removed from the
/// app, or the app deleted). It is a `connection` entry, so a client that
/// only reads `appId` from those (and lists the app's connections again)
/// drops it too; the status `ended` is never that of a listed connection,
/// which is `active` or `disabled`.
pub fn ended_connection(app_id: &str, c: &ConnectionState, at: &str) -> FeedEntry {
    FeedEntry::connection_ended(
        app_id,
        ConnectionEnd {
            tenant_id: c.tenant_id.clone(),
            environment: c.environment,
            client_id: c.client_id.clone(),
            status: Ended::Ended,
            ended_at: at.to_owned(),
        },
    )
}
