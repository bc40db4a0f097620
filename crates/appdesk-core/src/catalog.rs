//! The API scope catalog: which resources exist, grouped by API module, and which
//! accesses (View, Modify) each allows (R2).
//!
//! The catalog shipped with Appdesk is embedded at build time from
//! `catalog/scope-catalog.json`; a newer catalog file can replace it at run time
//! ([`Catalog::from_json`]) without a rebuild. Versions already saved keep their
//! scope strings even if a newer catalog drops a resource: the catalog only
//! decides what can be *chosen*.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::scope::{Access, Scope};

const EMBEDDED: &str = include_str!("../catalog/scope-catalog.json");

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Catalog {
    pub catalog_version: String,
    #[serde(default)]
    pub source: String,
    pub modules: Vec<Module>,
    /// Every scope of the catalog (both accesses of each resource), canonical
    /// string → [label](Catalog::label): `tn.crm.customers:r` → `CRM › Customers
    /// (View)`. Written out for the window, which shows these labels and does not
    /// compose its own. A catalog file's own `labels` are replaced by
    /// [`from_json`](Catalog::from_json), which derives them from the modules.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Resources an earlier catalog had and this one dropped (issue 12): kept
    /// with their last module and name, so that versions holding them keep
    /// their labels; they cannot be newly chosen. Filled by the store from
    /// the database, never read from a catalog file.
    #[serde(default, skip_deserializing)]
    pub retired: BTreeMap<String, RetiredResource>,
    #[serde(skip)]
    index: HashMap<String, (usize, usize)>,
}

/// A resource the catalog in use no longer has, as the last catalog that had
/// it described it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RetiredResource {
    pub module: String,
    pub display_name: String,
    /// The catalog version that dropped it.
    pub retired_in: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Module {
    pub id: String,
    pub display_name: String,
    #[serde(default)]
    pub api_id: String,
    #[serde(default)]
    pub base_path: String,
    pub scopes: Vec<Resource>,
}

/// One API resource, e.g. `tn.crm.customers`, and the accesses it allows.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Resource {
    pub name: String,
    pub display_name: String,
    pub view: bool,
    pub modify: bool,
    // What the resource is, in a tenant admin's words ("Invoices sent to
    // customers for work done"): the words of upgrade notes. Optional in a
    // catalog file (older files lack it); the built-in catalog has one for
    // every resource (its schema requires it). A plain comment, not a doc
    // comment, so the generated TypeScript stays one line.
    #[serde(default)]
    pub description: String,
}

impl Resource {
    pub fn allows(&self, access: Access) -> bool {
        match access {
            Access::View => self.view,
            Access::Modify => self.modify,
        }
    }
}

impl Catalog {
    /// The catalog shipped with this build.
    pub fn embedded() -> Catalog {
        // The embedded file is checked by the tests; failing here is a build defect.
        Catalog::from_json(EMBEDDED).expect("the embedded scope catalog is valid")
    }

    /// Reads the catalog file at `path` (`--catalog FILE`, `APPDESK_CATALOG`); an
    /// unreadable or invalid file is an [`Error::Catalog`] naming the file.
    pub fn from_file(path: &Path) -> Result<Catalog> {
        let shown = path.display();
        let cannot = |e: &dyn std::fmt::Display| {
            Error::Catalog(format!("cannot read the catalog file {shown}: {e}"))
        };
        // Bounded and non-blocking: a FIFO or /dev/zero named as the catalog is
        // refused at once (user_file.rs).
        let bytes = crate::user_file::read_regular(path, crate::exchange::MAX_FILE_BYTES)
            .map_err(|e| cannot(&e))?;
        let text = String::from_utf8(bytes).map_err(|e| cannot(&e))?;
        Catalog::from_json(&text).map_err(|e| match e {
            Error::Catalog(reason) => Error::Catalog(format!("{shown}: {reason}")),
            other => other,
        })
    }

    /// Parses a catalog, checking that every resource is named once and allows
    /// at least one access. A catalog file is a file that may lie like an
    /// imported one: a key written twice is refused (the duplicate-key decoder of
    /// imports), and so is text that R1's text rule refuses (a line break in a
    /// display name forges a row of `appdesk catalog`), and a resource name with
    /// whitespace, which no scope string could name.
    pub fn from_json(text: &str) -> Result<Catalog> {
        let value = crate::exchange::decode_json(text).map_err(|e| {
            Error::Catalog(format!(
                "not a catalog: {} at {} (line {}, column {})",
                e.message, e.path, e.line, e.column
            ))
        })?;
        let mut catalog: Catalog = serde_json::from_value(value)
            .map_err(|e| Error::Catalog(format!("not a catalog: {e}")))?;
        catalog.check_text()?;
        let mut index = HashMap::new();
        for (m, module) in catalog.modules.iter().enumerate() {
            for (r, resource) in module.scopes.iter().enumerate() {
                if !resource.view && !resource.modify {
                    return Err(Error::Catalog(format!(
                        "{} allows neither View nor Modify",
                        resource.name
                    )));
                }
                if resource.name.is_empty()
                    || resource.name.contains(':')
                    || resource.name.chars().any(char::is_whitespace)
                {
                    return Err(Error::Catalog(format!(
                        "invalid resource name {:?}",
                        resource.name
                    )));
                }
                if index.insert(resource.name.clone(), (m, r)).is_some() {
                    return Err(Error::Catalog(format!("{} is listed twice", resource.name)));
                }
            }
        }
        catalog.index = index;
        catalog.labels = catalog
            .modules
            .iter()
            .flat_map(|m| &m.scopes)
            .flat_map(|r| [Access::View, Access::Modify].map(|a| (r.name.as_str(), a)))
            .map(|(name, a)| (Scope::new(name, a).to_string(), catalog.label(name, a)))
            .collect();
        Ok(catalog)
    }

    /// Every text of the catalog passes R1's one-line text rule.
    fn check_text(&self) -> Result<()> {
        let texts = [
            ("catalogVersion", &self.catalog_version),
            ("source", &self.source),
        ]
        .into_iter()
        .chain(self.modules.iter().flat_map(|m| {
            [
                ("module id", &m.id),
                ("module displayName", &m.display_name),
                ("apiId", &m.api_id),
                ("basePath", &m.base_path),
            ]
            .into_iter()
            .chain(m.scopes.iter().flat_map(|r| {
                [
                    ("resource name", &r.name),
                    ("resource displayName", &r.display_name),
                ]
            }))
        }));
        for (what, value) in texts {
            crate::validate::single_line_text(value, "catalog", what)
                .map_err(|p| Error::Catalog(p.message))?;
        }
        Ok(())
    }

    pub fn resource(&self, name: &str) -> Option<(&Module, &Resource)> {
        let &(m, r) = self.index.get(name)?;
        let module = &self.modules[m];
        Some((module, &module.scopes[r]))
    }

    /// The catalog with the resources it no longer has, labelled as last known.
    pub fn with_retired(mut self, mut retired: BTreeMap<String, RetiredResource>) -> Catalog {
        retired.retain(|name, _| !self.index.contains_key(name));
        for (name, r) in &retired {
            for a in [Access::View, Access::Modify] {
                let label = format!("{} › {} ({})", r.module, r.display_name, a.label());
                self.labels
                    .insert(Scope::new(name.as_str(), a).to_string(), label);
            }
        }
        self.retired = retired;
        self
    }

    pub fn resource_count(&self) -> usize {
        self.index.len()
    }

    /// A human label for a scope, as the portal shows it: `CRM › Customers (View)`.
    pub fn label(&self, resource: &str, access: Access) -> String {
        match self.resource(resource) {
            Some((module, res)) => {
                format!(
                    "{} › {} ({})",
                    module.display_name,
                    res.display_name,
                    access.label()
                )
            }
            None => match self.retired.get(resource) {
                Some(r) => format!("{} › {} ({})", r.module, r.display_name, access.label()),
                None => format!("{resource} ({})", access.label()),
            },
        }
    }

    /// Catalog names that look like `name`, for "did you mean" hints.
    pub fn closest(&self, name: &str) -> Option<&str> {
        self.index
            .keys()
            .map(|k| (edit_distance(k, name), k))
            .filter(|(d, _)| *d <= 3)
            .min()
            .map(|(_, k)| k.as_str())
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_has_the_documented_size() {
        let catalog = Catalog::embedded();
        assert_eq!(catalog.modules.len(), 24);
        assert_eq!(catalog.resource_count(), 127);
        let (module, customers) = catalog.resource("tn.crm.customers").unwrap();
        assert_eq!(module.id, "crm");
        assert!(customers.view && customers.modify);
        let (_, tags) = catalog.resource("tn.crm.tags").unwrap();
        assert!(!tags.allows(Access::View) && tags.allows(Access::Modify));
    }

    #[test]
    fn a_catalog_with_a_duplicate_or_an_empty_resource_is_refused() {
        let dup = r#"{"catalogVersion":"x","modules":[{"id":"a","displayName":"A","scopes":[
            {"name":"tn.a.x","displayName":"X","view":true,"modify":false},
            {"name":"tn.a.x","displayName":"X","view":true,"modify":false}]}]}"#;
        assert!(
            Catalog::from_json(dup)
                .unwrap_err()
                .to_string()
                .contains("twice")
        );
        let empty = r#"{"catalogVersion":"x","modules":[{"id":"a","displayName":"A","scopes":[
            {"name":"tn.a.x","displayName":"X","view":false,"modify":false}]}]}"#;
        assert!(
            Catalog::from_json(empty)
                .unwrap_err()
                .to_string()
                .contains("neither")
        );
        assert!(Catalog::from_json("[]").is_err());
    }

    #[test]
    fn a_catalog_file_that_is_missing_or_invalid_is_a_catalog_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.json");
        let err = Catalog::from_file(&missing).unwrap_err();
        assert_eq!(err.code(), "catalog");
        assert!(err.to_string().contains("missing.json"), "{err}");
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "[]").unwrap();
        let err = Catalog::from_file(&bad).unwrap_err();
        assert!(err.to_string().contains("bad.json: not a catalog"), "{err}");
        let good = dir.path().join("good.json");
        std::fs::write(&good, EMBEDDED).unwrap();
        assert_eq!(Catalog::from_file(&good).unwrap().resource_count(), 127);
    }

    #[test]
    fn the_labels_map_every_scope_to_its_portal_label() {
        let catalog = Catalog::embedded();
        assert_eq!(catalog.labels.len(), 2 * catalog.resource_count());
        assert_eq!(
            catalog.labels["tn.crm.customers:r"],
            "CRM › Customers (View)"
        );
        assert_eq!(
            catalog.labels["tn.crm.customers:w"],
            "CRM › Customers (Modify)"
        );
        let json = serde_json::to_value(&catalog).unwrap();
        assert_eq!(
            json["labels"]["tn.crm.customers:w"],
            "CRM › Customers (Modify)"
        );
        // A catalog file's own "labels" are not read: they come from the modules.
        let file = r#"{"catalogVersion":"x","labels":{"tn.a.x:r":"forged"},"modules":[
            {"id":"a","displayName":"A","scopes":[
            {"name":"tn.a.x","displayName":"X","view":true,"modify":false}]}]}"#;
        assert_eq!(
            Catalog::from_json(file).unwrap().labels["tn.a.x:r"],
            "A › X (View)"
        );
    }

    #[test]
    fn closest_suggests_a_near_name() {
        let catalog = Catalog::embedded();
        assert_eq!(catalog.closest("tn.crm.customer"), Some("tn.crm.customers"));
        assert_eq!(catalog.closest("zzzzzzzzzzzz"), None);
    }
}
