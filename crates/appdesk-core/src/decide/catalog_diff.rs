//! Catalog updates that never lose a scope (issue 12, part 4): what a new
//! catalog adds, renames and removes against the one in use, and which
//! resources it retires.
//!
//! A retired resource is never dropped from a version or an app: it keeps its
//! last label and cannot be newly added (see [`crate::Scope::check`]). Pure:
//! the caller loads both catalogs.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::{Catalog, RetiredResource};

/// A module or resource whose display name changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Renamed {
    pub id: String,
    pub from: String,
    pub to: String,
}

/// A resource whose allowed accesses changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessChange {
    pub resource: String,
    /// `[before, after]`.
    pub view: [bool; 2],
    pub modify: [bool; 2],
}

/// What a new catalog changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogDiff {
    pub from_version: String,
    pub to_version: String,
    pub modules_added: Vec<String>,
    pub modules_removed: Vec<String>,
    pub modules_renamed: Vec<Renamed>,
    pub resources_added: Vec<String>,
    pub resources_removed: Vec<String>,
    pub resources_renamed: Vec<Renamed>,
    pub access_changes: Vec<AccessChange>,
}

impl CatalogDiff {
    pub fn is_empty(&self) -> bool {
        self.modules_added.is_empty()
            && self.modules_removed.is_empty()
            && self.modules_renamed.is_empty()
            && self.resources_added.is_empty()
            && self.resources_removed.is_empty()
            && self.resources_renamed.is_empty()
            && self.access_changes.is_empty()
    }
}

/// What `new` adds, renames and removes against `old`; all lists sorted.
pub fn catalog_diff(old: &Catalog, new: &Catalog) -> CatalogDiff {
    let modules = |c: &Catalog| -> BTreeMap<String, String> {
        c.modules
            .iter()
            .map(|m| (m.id.clone(), m.display_name.clone()))
            .collect()
    };
    let resources = |c: &Catalog| -> BTreeMap<String, (String, bool, bool)> {
        c.modules
            .iter()
            .flat_map(|m| &m.scopes)
            .map(|r| (r.name.clone(), (r.display_name.clone(), r.view, r.modify)))
            .collect()
    };
    let (m0, m1) = (modules(old), modules(new));
    let (r0, r1) = (resources(old), resources(new));
    let mut out = CatalogDiff {
        from_version: old.catalog_version.clone(),
        to_version: new.catalog_version.clone(),
        ..CatalogDiff::default()
    };
    out.modules_added = m1
        .keys()
        .filter(|k| !m0.contains_key(*k))
        .cloned()
        .collect();
    out.modules_removed = m0
        .keys()
        .filter(|k| !m1.contains_key(*k))
        .cloned()
        .collect();
    out.resources_added = r1
        .keys()
        .filter(|k| !r0.contains_key(*k))
        .cloned()
        .collect();
    out.resources_removed = r0
        .keys()
        .filter(|k| !r1.contains_key(*k))
        .cloned()
        .collect();
    for (id, from) in &m0 {
        if let Some(to) = m1.get(id).filter(|to| *to != from) {
            out.modules_renamed.push(Renamed {
                id: id.clone(),
                from: from.clone(),
                to: to.clone(),
            });
        }
    }
    for (name, (from, v0, w0)) in &r0 {
        let Some((to, v1, w1)) = r1.get(name) else {
            continue;
        };
        if to != from {
            let renamed = Renamed {
                id: name.clone(),
                from: from.clone(),
                to: to.clone(),
            };
            out.resources_renamed.push(renamed);
        }
        if (v0, w0) != (v1, w1) {
            out.access_changes.push(AccessChange {
                resource: name.clone(),
                view: [*v0, *v1],
                modify: [*w0, *w1],
            });
        }
    }
    out
}

/// The resources `old` (with the ones it had already retired) has and `new`
/// does not: each as `old` last described it, retired in `new`'s version.
pub fn retired_by(old: &Catalog, new: &Catalog) -> BTreeMap<String, RetiredResource> {
    let mut out: BTreeMap<String, RetiredResource> = old
        .retired
        .iter()
        .filter(|(name, _)| new.resource(name).is_none())
        .map(|(n, r)| (n.clone(), r.clone()))
        .collect();
    for m in &old.modules {
        for r in m.scopes.iter().filter(|r| new.resource(&r.name).is_none()) {
            out.insert(
                r.name.clone(),
                RetiredResource {
                    module: m.display_name.clone(),
                    display_name: r.display_name.clone(),
                    retired_in: new.catalog_version.clone(),
                },
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(json: &str) -> Catalog {
        Catalog::from_json(json).unwrap()
    }

    #[test]
    fn the_diff_names_added_removed_renamed_and_access_changes() {
        let old = catalog(
            r#"{"catalogVersion":"1","modules":[{"id":"a","displayName":"A","scopes":[
            {"name":"tn.a.x","displayName":"X","view":true,"modify":false},
            {"name":"tn.a.y","displayName":"Y","view":true,"modify":true}]},
            {"id":"b","displayName":"B","scopes":[
            {"name":"tn.b.z","displayName":"Z","view":true,"modify":false}]}]}"#,
        );
        let new = catalog(
            r#"{"catalogVersion":"2","modules":[{"id":"a","displayName":"A2","scopes":[
            {"name":"tn.a.x","displayName":"X2","view":true,"modify":true},
            {"name":"tn.a.w","displayName":"W","view":true,"modify":false}]}]}"#,
        );
        let d = catalog_diff(&old, &new);
        assert_eq!(d.modules_removed, ["b"]);
        assert_eq!(d.modules_renamed[0].to, "A2");
        assert_eq!(d.resources_added, ["tn.a.w"]);
        assert_eq!(d.resources_removed, ["tn.a.y", "tn.b.z"]);
        assert_eq!(d.resources_renamed[0].from, "X");
        assert_eq!(d.access_changes[0].modify, [false, true]);
        let retired = retired_by(&old, &new);
        assert_eq!(retired["tn.b.z"].module, "B");
        assert_eq!(retired["tn.a.y"].retired_in, "2");
        assert!(catalog_diff(&new, &new).is_empty());
    }
}
