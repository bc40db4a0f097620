//! The state of an app after a change is persisted, without reading it back:
//! for a caller that decides several requests in one transaction (the portal's
//! PATCH: fields, then scopes, then tenants), each on the state the one before
//! left, and builds its answer from it.
//!
//! Must not go in here: any rule (the decision has applied them all; this only
//! replays its writes), or any write to storage.

use super::{AppState, Change, ConnectionState, ConnectionWrite, TenantWrite};
use crate::scope::ScopeSet;

impl AppState {
    /// Replays `change`'s writes on this state, as persisting it does on the
    /// stored rows. An empty change leaves it as it is.
    pub fn apply(&mut self, change: &Change) {
        if change.is_empty() {
            return;
        }
        if let Some(fields) = &change.fields {
            self.fields = fields.clone();
        }
        if let Some(v) = &change.version {
            self.version = v.version;
            self.scopes = ScopeSet::from_stored(&v.scopes);
        }
        for w in &change.tenants {
            match w {
                TenantWrite::Insert(t) => self.tenants.push(t.clone()),
                TenantWrite::SetNote(t) => {
                    if let Some(found) = self.tenants.iter_mut().find(|x| x.id == t.id) {
                        found.note.clone_from(&t.note);
                    }
                }
                TenantWrite::Delete(id) => self.tenants.retain(|x| &x.id != id),
            }
        }
        for w in &change.connections {
            self.apply_connection(w);
        }
        self.revision = change.revision;
    }

    fn apply_connection(&mut self, w: &ConnectionWrite) {
        let conns = &mut self.connections;
        let find = |conns: &mut Vec<ConnectionState>, id: &str| -> Option<usize> {
            conns.iter().position(|c| c.id == id)
        };
        match w {
            ConnectionWrite::Insert(c) => conns.push(c.state()),
            ConnectionWrite::SetVersion { id, version } => {
                if let Some(i) = find(conns, id) {
                    conns[i].version = *version;
                }
            }
            ConnectionWrite::SetStatus { id, status } => {
                if let Some(i) = find(conns, id) {
                    conns[i].status = *status;
                }
            }
            // The secret is not part of the state (storage keeps it sealed).
            ConnectionWrite::SetSecret { .. } => {}
            ConnectionWrite::Delete { id } => conns.retain(|c| &c.id != id),
        }
    }
}
