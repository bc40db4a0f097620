//! Intents: what a local change asks the portal to do, as the outbox keeps it
//! and as a push will send it (SYNC.md §1: "add scope X to the app I last saw
//! at revision 7", never "the app is now this").
//!
//! Built here from a decision's result and the state it was made on, so the
//! store only looks up that state and writes the row. Set changes are explicit
//! add/remove lists, never a whole array (a whole array would remove what the
//! other side added meanwhile).

use serde::{Deserialize, Serialize};

use super::merge::Snapshot;
use crate::decide::{AppFields, AppState, Change, TenantWrite};
use crate::model::{AppEdit, TenantEntry};
use crate::scope::ScopeSet;
use crate::validate::ValidApp;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Intent {
    /// An app the portal has never seen, with the id and key it proposes.
    Create {
        app: Snapshot,
    },
    /// Only the fields the change set.
    Fields {
        fields: AppEdit,
    },
    Scopes {
        add: Vec<String>,
        remove: Vec<String>,
    },
    /// `add` also carries a changed note of a tenant already there.
    Tenants {
        add: Vec<TenantEntry>,
        remove: Vec<String>,
    },
    Delete,
}

impl Intent {
    /// The stored name of the kind, as in the JSON's `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Intent::Create { .. } => "create",
            Intent::Fields { .. } => "fields",
            Intent::Scopes { .. } => "scopes",
            Intent::Tenants { .. } => "tenants",
            Intent::Delete => "delete",
        }
    }
}

/// The intents of a change to a created app, in the order the change writes
/// them; `before` is the state the decision read (fields and scopes), each
/// intent paired with the version it made, if any.
pub fn of_change(before: &AppState, change: &Change) -> Vec<(Intent, Option<i64>)> {
    let mut out = Vec::new();
    if change.is_empty() {
        return out;
    }
    if let Some(next) = &change.fields {
        let fields = edit_between(&before.fields, next);
        if !fields.is_empty() {
            out.push((Intent::Fields { fields }, None));
        }
    }
    if let Some(v) = &change.version {
        let diff = before.scopes.diff(&ScopeSet::from_stored(&v.scopes));
        out.push((
            Intent::Scopes {
                add: diff.added.to_strings(),
                remove: diff.removed.to_strings(),
            },
            Some(v.version),
        ));
    }
    let (mut add, mut remove) = (Vec::new(), Vec::new());
    for w in &change.tenants {
        match w {
            TenantWrite::Insert(t) | TenantWrite::SetNote(t) => add.push(t.clone()),
            TenantWrite::Delete(id) => remove.push(id.clone()),
        }
    }
    if !add.is_empty() || !remove.is_empty() {
        out.push((Intent::Tenants { add, remove }, None));
    }
    out
}

fn edit_between(old: &AppFields, new: &AppFields) -> AppEdit {
    let changed = |a: &String, b: &String| (a != b).then(|| b.clone());
    AppEdit {
        name: changed(&old.name, &new.name),
        organization: changed(&old.organization, &new.organization),
        homepage_url: changed(&old.homepage_url, &new.homepage_url),
        audience: (old.audience != new.audience).then_some(new.audience),
        credentials: (old.credentials != new.credentials).then_some(new.credentials),
    }
}

impl Snapshot {
    /// A created app as loaded for a decision.
    pub fn of_state(app: &AppState) -> Snapshot {
        Self::of_parts(
            (&app.id, &app.app_key),
            &app.fields,
            &app.scopes,
            &app.tenants,
        )
    }

    /// An app about to be created with `id` and `app_key`.
    pub fn of_new(id: &str, app_key: &str, app: &ValidApp) -> Snapshot {
        let fields = AppFields {
            name: app.name.clone(),
            organization: app.organization.clone(),
            homepage_url: app.homepage_url.clone(),
            audience: app.audience,
            credentials: app.credentials,
        };
        Self::of_parts((id, app_key), &fields, &app.scopes, &app.tenants)
    }

    fn of_parts(
        (id, app_key): (&str, &str),
        f: &AppFields,
        scopes: &ScopeSet,
        tenants: &[TenantEntry],
    ) -> Snapshot {
        Snapshot {
            id: id.to_owned(),
            app_key: app_key.to_owned(),
            name: f.name.clone(),
            organization: f.organization.clone(),
            homepage_url: f.homepage_url.clone(),
            audience: f.audience,
            credentials: f.credentials,
            scopes: scopes.to_strings().into_iter().collect(),
            tenants: tenants
                .iter()
                .map(|t| (t.id.clone(), t.note.clone()))
                .collect(),
        }
    }
}
