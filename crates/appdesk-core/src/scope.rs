//! Scopes and scope sets (R2).
//!
//! A scope is a catalog resource plus one access: View (`:r`) or Modify (`:w`).
//! "View and Modify" is two scopes, and the input form `name:rw` expands to both.
//! A [`ScopeSet`] is a sorted set, so order and duplicates never matter and its
//! string form is canonical (the portal's own, e.g. `tn.crm.customers:r`).

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::error::Problem;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    View,
    Modify,
}

impl Access {
    pub fn suffix(self) -> &'static str {
        match self {
            Access::View => "r",
            Access::Modify => "w",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Access::View => "View",
            Access::Modify => "Modify",
        }
    }
}

/// One resource with one access, e.g. `tn.crm.customers:r`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Scope {
    pub resource: String,
    pub access: Access,
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.resource, self.access.suffix())
    }
}

impl Scope {
    pub fn new(resource: impl Into<String>, access: Access) -> Self {
        Self {
            resource: resource.into(),
            access,
        }
    }

    /// Parses `name:r`, `name:w` or `name:rw` (both), without consulting the
    /// catalog. The error message says what is wrong with the text.
    pub fn parse_many(text: &str) -> Result<Vec<Scope>, String> {
        let text = text.trim();
        let Some((resource, access)) = text.rsplit_once(':') else {
            return Err(format!(
                "{text:?} has no access; write it as {text}:r (View), {text}:w (Modify) \
                 or {text}:rw (both)"
            ));
        };
        if resource.is_empty() {
            return Err(format!("{text:?} has no resource name"));
        }
        let accesses: &[Access] = match access {
            "r" => &[Access::View],
            "w" => &[Access::Modify],
            "rw" | "wr" => &[Access::View, Access::Modify],
            other => {
                return Err(format!(
                    "{text:?} has access {other:?}; use r (View), w (Modify) or rw (both)"
                ));
            }
        };
        Ok(accesses.iter().map(|&a| Scope::new(resource, a)).collect())
    }

    /// Checks the scope against the catalog: the resource exists and allows the access.
    pub fn check(&self, catalog: &Catalog) -> Result<(), String> {
        if catalog.retired.contains_key(&self.resource) {
            return Err(format!(
                "{} ({}) is retired: the scope catalog no longer has it, so it cannot be newly \
                 added",
                self.resource,
                catalog.label(&self.resource, self.access)
            ));
        }
        match catalog.resource(&self.resource) {
            None => Err(match catalog.closest(&self.resource) {
                Some(near) => {
                    format!(
                        "{} is not in the scope catalog (did you mean {near}?)",
                        self.resource
                    )
                }
                None => format!("{} is not in the scope catalog", self.resource),
            }),
            Some((_, res)) if !res.allows(self.access) => Err(format!(
                "{} does not allow {} (:{})",
                self.resource,
                self.access.label(),
                self.access.suffix()
            )),
            Some(_) => Ok(()),
        }
    }
}

/// Scopes as typed, in the canonical form wherever they parse (`name:rw` becomes
/// `name:r` and `name:w`); text that does not parse is kept as typed, for its
/// problem to be shown. Sorted, unique. A draft's scopes reach the window this
/// way, so that its picker only ever compares canonical strings.
pub fn canonical_strings<S: AsRef<str>>(typed: &[S]) -> Vec<String> {
    let mut out: Vec<String> = typed
        .iter()
        .flat_map(|text| match Scope::parse_many(text.as_ref()) {
            Ok(scopes) => scopes.iter().map(Scope::to_string).collect(),
            Err(_) => vec![text.as_ref().to_owned()],
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A set of scopes; iteration and string form are sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeSet(BTreeSet<Scope>);

/// What changes from one scope set to another.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeDiff {
    pub added: ScopeSet,
    pub removed: ScopeSet,
}

impl ScopeDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

impl ScopeSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses canonical strings (`name:r`/`name:w`, and `name:rw` for both),
    /// checking each against the catalog. Every bad entry is reported, with
    /// `field` and its index (`scopes[3]`).
    pub fn parse_checked<S: AsRef<str>>(
        items: &[S],
        catalog: &Catalog,
        field: &str,
    ) -> Result<ScopeSet, Vec<Problem>> {
        let mut set = ScopeSet::new();
        let mut problems = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("{field}[{i}]");
            match Scope::parse_many(item.as_ref()) {
                Err(message) => problems.push(Problem::new(at, message)),
                Ok(scopes) => {
                    for scope in scopes {
                        match scope.check(catalog) {
                            Ok(()) => {
                                set.insert(scope);
                            }
                            Err(message) => problems.push(Problem::new(at.clone(), message)),
                        }
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(set)
        } else {
            Err(problems)
        }
    }

    /// Reads strings that were stored canonical; anything unreadable is skipped
    /// rather than failing a read of history.
    pub fn from_stored<S: AsRef<str>>(items: &[S]) -> ScopeSet {
        items
            .iter()
            .filter_map(|s| Scope::parse_many(s.as_ref()).ok())
            .flatten()
            .collect()
    }

    pub fn insert(&mut self, scope: Scope) -> bool {
        self.0.insert(scope)
    }

    pub fn remove(&mut self, scope: &Scope) -> bool {
        self.0.remove(scope)
    }

    pub fn contains(&self, scope: &Scope) -> bool {
        self.0.contains(scope)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Scope> {
        self.0.iter()
    }

    /// What `self → next` adds and removes.
    pub fn diff(&self, next: &ScopeSet) -> ScopeDiff {
        ScopeDiff {
            added: next.0.difference(&self.0).cloned().collect(),
            removed: self.0.difference(&next.0).cloned().collect(),
        }
    }

    /// Applies a diff: adds `added`, then drops `removed`.
    pub fn apply(&self, diff: &ScopeDiff) -> ScopeSet {
        let mut out = self.clone();
        out.0.extend(diff.added.0.iter().cloned());
        for s in diff.removed.iter() {
            out.0.remove(s);
        }
        out
    }

    /// The canonical, sorted string form.
    pub fn to_strings(&self) -> Vec<String> {
        self.0.iter().map(Scope::to_string).collect()
    }
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<I: IntoIterator<Item = Scope>>(iter: I) -> Self {
        ScopeSet(iter.into_iter().collect())
    }
}

impl Serialize for ScopeSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(Scope::to_string))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_strings_expand_rw_sort_dedup_and_keep_what_does_not_parse() {
        let typed = [
            "tn.b:r", "tn.a:rw", "tn.b:r", "tn.c:wr", "nonsense", " tn.d:w ",
        ];
        assert_eq!(
            canonical_strings(&typed),
            [
                "nonsense", "tn.a:r", "tn.a:w", "tn.b:r", "tn.c:r", "tn.c:w", "tn.d:w"
            ]
        );
    }

    fn set(items: &[&str]) -> ScopeSet {
        ScopeSet::parse_checked(items, &Catalog::embedded(), "scopes").unwrap()
    }

    #[test]
    fn rw_expands_to_view_and_modify_and_order_and_duplicates_do_not_matter() {
        let a = set(&["tn.crm.customers:rw", "tn.jpm.jobs:r", "tn.jpm.jobs:r"]);
        let b = set(&["tn.jpm.jobs:r", "tn.crm.customers:w", "tn.crm.customers:r"]);
        assert_eq!(a, b);
        assert_eq!(
            a.to_strings(),
            vec!["tn.crm.customers:r", "tn.crm.customers:w", "tn.jpm.jobs:r"]
        );
    }

    #[test]
    fn only_accesses_the_catalog_allows_can_be_chosen() {
        let catalog = Catalog::embedded();
        let err = ScopeSet::parse_checked(&["tn.crm.tags:r"], &catalog, "scopes").unwrap_err();
        assert_eq!(err[0].field, "scopes[0]");
        assert!(
            err[0].message.contains("does not allow View"),
            "{}",
            err[0].message
        );
        let err = ScopeSet::parse_checked(
            &["ok", "tn.crm.customerz:r", "tn.crm.customers:x"],
            &catalog,
            "s",
        )
        .unwrap_err();
        assert_eq!(err.len(), 3);
        assert!(err[0].message.contains("no access"));
        assert!(err[1].message.contains("did you mean tn.crm.customers"));
        assert!(err[2].message.contains("access \"x\""));
    }

    #[test]
    fn diff_and_apply_are_inverse() {
        let old = set(&["tn.crm.customers:r", "tn.jpm.jobs:r"]);
        let new = set(&["tn.crm.customers:rw", "tn.dis.capacity:w"]);
        let diff = old.diff(&new);
        assert_eq!(
            diff.added.to_strings(),
            vec!["tn.crm.customers:w", "tn.dis.capacity:w"]
        );
        assert_eq!(diff.removed.to_strings(), vec!["tn.jpm.jobs:r"]);
        assert_eq!(old.apply(&diff), new);
        assert!(new.diff(&new).is_empty());
    }
}
