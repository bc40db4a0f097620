//! The three-way merge of one app against its last synced base (SYNC.md §3).
//!
//! Every part of an app is merged the same way, as a value per key that may be
//! absent: a scalar field is one key that is always there, a scope set is one
//! key per scope (present or not), a tenant list is one key per tenant id whose
//! value is its note. Per key: a side that did not change it takes the other
//! side's value; both changed it the same way is no conflict; both changed it
//! differently is a conflict, and the merged app keeps *mine* for it (nothing
//! local is lost, and nothing is pushed for that key until it is resolved).
//! This one rule gives the set semantics SYNC.md asks for: both sides'
//! additions and removals apply, and a tenant removed by one side while its
//! note changed on the other is a conflict.
//!
//! Without a base (an app imported, or made before linking, that the portal
//! also has), nothing says which side changed what: every field and every
//! scope or tenant the two sides hold differently is a conflict, mine kept;
//! the portal never wins silently.
//!
//! The whole app: never synced (no base) and only local is pushed, never read
//! as deleted; only on the portal is pulled; deleted on one side and edited
//! on the other is a conflict (field `app`), and the edited side is kept.
//!
//! The app key is the portal's (it decides keys): the merged app takes theirs
//! whenever the portal has the app. Versions and revisions are not merged;
//! the portal numbers them.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::{Audience, Credentials};

/// One app as sync compares it: its content, without revision or version
/// numbers (the portal's to assign).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub id: String,
    pub app_key: String,
    pub name: String,
    pub organization: String,
    pub homepage_url: String,
    pub audience: Audience,
    pub credentials: Credentials,
    /// Canonical scope strings, e.g. `tn.crm.customers:r`.
    pub scopes: BTreeSet<String>,
    /// Tenant id → note.
    pub tenants: BTreeMap<String, String>,
}

/// A key both sides changed differently. `None` means absent: a scope not in
/// the set, a tenant not in the list, the app deleted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Conflict {
    /// `name`, `organization`, `homepageUrl`, `audience`, `credentials`,
    /// `scopes[SCOPE]`, `tenants[ID]` (its note), or `app` (delete against edit;
    /// a present side's value is the app's name).
    pub field: String,
    pub mine: Option<String>,
    pub theirs: Option<String>,
    pub base: Option<String>,
}

/// The merged app (`None`: it is gone on both sides, or deleted on one side
/// and untouched on the other) and the conflicts, sorted by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub app: Option<Snapshot>,
    pub conflicts: Vec<Conflict>,
}

/// Merges `mine` (local) and `theirs` (portal) of one app against `base`, the
/// last synced snapshot (`None`: never synced). `None` for a side means that
/// side does not have the app (never had it, or deleted it).
pub fn merge(
    base: Option<&Snapshot>,
    mine: Option<&Snapshot>,
    theirs: Option<&Snapshot>,
) -> Merged {
    let (m, t) = match (mine, theirs) {
        (Some(m), Some(t)) => (m, t),
        (None, None) => {
            return Merged {
                app: None,
                conflicts: Vec::new(),
            };
        }
        // One side only. Without a base, the other side never had it: keep
        // it (never synced is not deleted). With a base, the other side
        // deleted it: gone, unless this side changed it since.
        (Some(one), None) | (None, Some(one)) => {
            return match base {
                Some(b) if b != one => {
                    let name = |s: Option<&Snapshot>| s.map(|s| s.name.clone());
                    Merged {
                        app: Some(one.clone()),
                        conflicts: vec![Conflict {
                            field: "app".to_owned(),
                            mine: name(mine),
                            theirs: name(theirs),
                            base: name(Some(b)),
                        }],
                    }
                }
                Some(_) => Merged {
                    app: None,
                    conflicts: Vec::new(),
                },
                None => Merged {
                    app: Some(one.clone()),
                    conflicts: Vec::new(),
                },
            };
        }
    };
    let mut conflicts = Vec::new();
    let mut scalar = |field: &str, get: fn(&Snapshot) -> String| {
        let (value, conflict) = three_way(base.map(get), Some(get(m)), Some(get(t)));
        if let Some(c) = conflict {
            conflicts.push(c.named(field.to_owned()));
        }
        value.unwrap_or_else(|| get(m))
    };
    let name = scalar("name", |s| s.name.clone());
    let organization = scalar("organization", |s| s.organization.clone());
    let homepage_url = scalar("homepageUrl", |s| s.homepage_url.clone());
    let audience = scalar("audience", |s| s.audience.as_str().to_owned());
    let credentials = scalar("credentials", |s| s.credentials.as_str().to_owned());
    let as_map = |s: &BTreeSet<String>| s.iter().map(|x| (x.clone(), x.clone())).collect();
    let scopes = merge_map(
        "scopes",
        base.map(|b| as_map(&b.scopes)).as_ref(),
        &as_map(&m.scopes),
        &as_map(&t.scopes),
        &mut conflicts,
    );
    let tenants = merge_map(
        "tenants",
        base.map(|b| &b.tenants),
        &m.tenants,
        &t.tenants,
        &mut conflicts,
    );
    conflicts.sort_by(|a, b| a.field.cmp(&b.field));
    Merged {
        app: Some(Snapshot {
            id: m.id.clone(),
            app_key: t.app_key.clone(),
            name,
            organization,
            homepage_url,
            // The values came from valid snapshots, so they parse back.
            audience: audience.parse().unwrap_or(m.audience),
            credentials: credentials.parse().unwrap_or(m.credentials),
            scopes: scopes.into_values().collect(),
            tenants,
        }),
        conflicts,
    }
}

/// Merges maps key by key with [`three_way`]; a conflict is named
/// `label[KEY]`.
fn merge_map(
    label: &str,
    base: Option<&BTreeMap<String, String>>,
    mine: &BTreeMap<String, String>,
    theirs: &BTreeMap<String, String>,
    conflicts: &mut Vec<Conflict>,
) -> BTreeMap<String, String> {
    let keys: BTreeSet<&String> = base
        .into_iter()
        .flat_map(BTreeMap::keys)
        .chain(mine.keys())
        .chain(theirs.keys())
        .collect();
    let mut out = BTreeMap::new();
    for key in keys {
        let (m, t) = (mine.get(key).cloned(), theirs.get(key).cloned());
        let (value, conflict) = match base {
            Some(base) => three_way(base.get(key).cloned(), m, t),
            // No base: nothing says which side changed a key the two hold
            // differently, so each such key is a conflict (mine kept), never
            // the portal's value taken silently.
            None if m != t => (m.clone(), Some(Conflict::between(None, m, t))),
            None => (m, None),
        };
        if let Some(c) = conflict {
            conflicts.push(c.named(format!("{label}[{key}]")));
        }
        if let Some(v) = value {
            out.insert(key.clone(), v);
        }
    }
    out
}

/// The merge of one key: the value to keep, and the conflict if both sides
/// changed it differently (then mine is kept).
fn three_way(
    base: Option<String>,
    mine: Option<String>,
    theirs: Option<String>,
) -> (Option<String>, Option<Conflict>) {
    if mine == theirs || theirs == base {
        (mine, None)
    } else if mine == base {
        (theirs, None)
    } else {
        (mine.clone(), Some(Conflict::between(base, mine, theirs)))
    }
}

impl Conflict {
    fn between(base: Option<String>, mine: Option<String>, theirs: Option<String>) -> Conflict {
        Conflict {
            field: String::new(),
            mine,
            theirs,
            base,
        }
    }

    fn named(mut self, field: String) -> Conflict {
        self.field = field;
        self
    }
}
