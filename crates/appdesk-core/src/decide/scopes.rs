//! Scope changes (R2, R5): a different scope set makes the next version, the
//! same set makes none; the key is not touched (R4) and connections stay on
//! their version (R8).
//!
//! Must not go in here: counting connections behind (a view), or any write.

use super::{Action, AppState, Change, Stamp};
use crate::catalog::Catalog;
use crate::error::{Error, Problem, Result};
use crate::exchange::VersionRecord;
use crate::scope::{Scope, ScopeSet};
use crate::validate;

/// A scope request whose every scope passed R2: the whole next set, or
/// additions (in the catalog) and removals (well formed; `name:rw` is one
/// group of two, removed if either is there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeRequest {
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Set(ScopeSet),
    Change {
        add: ScopeSet,
        remove: Vec<Vec<Scope>>,
    },
}

impl ScopeRequest {
    /// The whole next set: at least one scope, each in the catalog with an
    /// access it allows (R1, R2). Problems name `scopes[i]`.
    pub fn set<S: AsRef<str>>(scopes: &[S], catalog: &Catalog) -> Result<ScopeRequest> {
        let set = validate::scope_selection(scopes, catalog).map_err(Error::Invalid)?;
        Ok(ScopeRequest {
            kind: Kind::Set(set),
        })
    }

    /// The whole next set, already checked (a stored or imported one).
    pub fn set_checked(set: ScopeSet) -> ScopeRequest {
        ScopeRequest {
            kind: Kind::Set(set),
        }
    }

    /// Additions must be in the catalog (problems name `add[i]`); removals need
    /// only be well formed (a newer catalog may have dropped one; `remove[i]`).
    pub fn change<S: AsRef<str>>(
        add: &[S],
        remove: &[S],
        catalog: &Catalog,
    ) -> Result<ScopeRequest> {
        let add = ScopeSet::parse_checked(add, catalog, "add").map_err(Error::Invalid)?;
        let mut problems = Vec::new();
        let mut groups = Vec::new();
        for (i, text) in remove.iter().enumerate() {
            match Scope::parse_many(text.as_ref()) {
                Ok(group) => groups.push(group),
                Err(message) => problems.push(Problem::new(format!("remove[{i}]"), message)),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(ScopeRequest {
            kind: Kind::Change {
                add,
                remove: groups,
            },
        })
    }

    /// The set after this request, from `current`. A removal none of whose
    /// scopes is in `current` is a problem naming `remove[i]`. Drafts use this
    /// too (their set may end up empty; a created app's may not).
    pub fn apply(&self, current: &ScopeSet) -> Result<ScopeSet> {
        match &self.kind {
            Kind::Set(set) => Ok(set.clone()),
            Kind::Change { add, remove } => {
                let mut missing = Vec::new();
                for (i, group) in remove.iter().enumerate() {
                    if !group.iter().any(|s| current.contains(s)) {
                        let text = group
                            .iter()
                            .map(Scope::to_string)
                            .collect::<Vec<_>>()
                            .join(", ");
                        missing.push(Problem::new(
                            format!("remove[{i}]"),
                            format!("{text} is not among the app's scopes"),
                        ));
                    }
                }
                if !missing.is_empty() {
                    return Err(Error::Invalid(missing));
                }
                let mut next = current.clone();
                add.iter().for_each(|s| {
                    next.insert(s.clone());
                });
                remove.iter().flatten().for_each(|s| {
                    next.remove(s);
                });
                Ok(next)
            }
        }
    }
}

/// Applies `request` to a created app's scopes: the next version (latest + 1)
/// with the full set when it differs, no change when it is the same (R5). An
/// app keeps at least one scope (R1).
pub fn change_scopes(app: &AppState, request: &ScopeRequest, stamp: &Stamp) -> Result<Change> {
    let next = request.apply(&app.scopes)?;
    if next.is_empty() {
        return Err(Error::invalid(
            "scopes",
            "An app keeps at least one API scope",
        ));
    }
    let mut out = Change::none(app, stamp);
    let Some(version) = next_version(app.version, &app.scopes, &next) else {
        return Ok(out);
    };
    let diff = app.scopes.diff(&next);
    out.record(
        &app.fields.name,
        Action::Scopes,
        describe(version, &diff.added, &diff.removed),
    );
    out.version = Some(VersionRecord {
        version,
        scopes: next.to_strings(),
        created_at: stamp.at.clone(),
        created_by: stamp.user.clone(),
    });
    Ok(out)
}

/// The version saving `next` over `current` makes when `latest` is the
/// latest: the next whole number when the set differs, none when it is the
/// same (R5). Previews use it too.
pub fn next_version(latest: i64, current: &ScopeSet, next: &ScopeSet) -> Option<i64> {
    (current != next).then_some(latest + 1)
}

fn describe(version: i64, added: &ScopeSet, removed: &ScopeSet) -> String {
    let parts: Vec<String> = added
        .iter()
        .map(|s| format!("+{s}"))
        .chain(removed.iter().map(|s| format!("-{s}")))
        .collect();
    format!("version {version}: {}", parts.join(", "))
}
