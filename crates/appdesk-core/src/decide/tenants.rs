//! The tenants an app is visible to (R1, R7): adding, re-noting, removing. No
//! version, the key untouched. A removed tenant's connections end (R8: only a
//! tenant in the list can use the app).
//!
//! Must not go in here: any write, or reading the list (the caller loads it).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{Action, AppState, Change, ConnectionWrite, Stamp, TenantWrite};
use crate::error::{Error, Problem, Result};
use crate::model::TenantEntry;
use crate::validate;

/// A tenant to add; `note: None` keeps an existing tenant's note as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TenantAdd {
    pub id: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub note: Option<String>,
}

impl TenantAdd {
    /// The command-line form `ID` or `ID=NOTE`.
    pub fn parse_arg(text: &str) -> TenantAdd {
        match text.split_once('=') {
            Some((id, note)) => TenantAdd {
                id: id.trim().to_owned(),
                note: Some(note.to_owned()),
            },
            None => TenantAdd {
                id: text.trim().to_owned(),
                note: None,
            },
        }
    }
}

/// Tenant additions and removals that passed the field rules: each addition
/// well formed and listed once (`add[i].id`, `add[i].note`), each removal a
/// tenant id (`remove[i]`). Removals apply after additions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantRequest {
    add: Vec<TenantAdd>,
    remove: Vec<String>,
}

impl TenantRequest {
    pub fn parse(add: &[TenantAdd], remove: &[String]) -> Result<TenantRequest> {
        let entries: Vec<TenantEntry> = add
            .iter()
            .map(|a| TenantEntry::new(&a.id, a.note.clone().unwrap_or_default()))
            .collect();
        let mut problems = validate::tenant_entries(&entries, "add")
            .err()
            .unwrap_or_default();
        let mut removals = Vec::new();
        for (i, id) in remove.iter().enumerate() {
            match validate::tenant_id(id, &format!("remove[{i}]")) {
                Ok(id) => removals.push(id),
                Err(p) => problems.push(p),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let add = add
            .iter()
            .map(|a| TenantAdd {
                id: a.id.trim().to_owned(),
                note: a.note.clone(),
            })
            .collect();
        Ok(TenantRequest {
            add,
            remove: removals,
        })
    }

    /// The list after this request, from `current` (order kept, additions at
    /// the end). A removal not in the list is a problem naming `remove[i]`.
    /// Does not check the count: a draft may hold any number (R3).
    pub fn apply(&self, current: &[TenantEntry]) -> Result<Vec<TenantEntry>> {
        let (next, problems) = self.merge(current);
        if problems.is_empty() {
            Ok(next)
        } else {
            Err(Error::Invalid(problems))
        }
    }

    /// The fewest tenants the list can hold after this request, from a list
    /// of `current` tenants: the additions are distinct ids (parse refused a
    /// repeat) and each removal takes one away at most. Counting is cheap, so
    /// the limit is checked on it before any merge work.
    pub fn fewest_after(&self, current: usize) -> usize {
        current
            .max(self.add.len())
            .saturating_sub(self.remove.len())
    }

    /// Refuses, before any merge work, a request that must leave more than
    /// [`validate::TENANTS_MAX`] tenants (`tenants`, naming the limit).
    pub fn check_limit(&self, current: usize) -> Result<()> {
        let fewest = self.fewest_after(current);
        if fewest > validate::TENANTS_MAX {
            return Err(Error::Invalid(vec![Problem::new(
                "tenants",
                format!(
                    "this change leaves at least {fewest} tenant IDs; at most {} are allowed",
                    validate::TENANTS_MAX
                ),
            )]));
        }
        Ok(())
    }

    /// The list after this request, and the removals that found nothing.
    /// Linear in the list and the request: ids are looked up in a map, never
    /// searched for.
    fn merge(&self, current: &[TenantEntry]) -> (Vec<TenantEntry>, Vec<Problem>) {
        let mut next = current.to_vec();
        let mut at: HashMap<String, usize> = next
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        for a in &self.add {
            match at.get(&a.id) {
                Some(&i) => {
                    if let Some(note) = &a.note {
                        next[i].note.clone_from(note);
                    }
                }
                None => {
                    at.insert(a.id.clone(), next.len());
                    next.push(TenantEntry::new(&a.id, a.note.clone().unwrap_or_default()));
                }
            }
        }
        let mut removed = vec![false; next.len()];
        let mut problems = Vec::new();
        for (i, id) in self.remove.iter().enumerate() {
            match at.get(id) {
                Some(&k) if !removed[k] => removed[k] = true,
                _ => problems.push(Problem::new(
                    format!("remove[{i}]"),
                    format!("Tenant ID {id} is not in the list"),
                )),
            }
        }
        let next = next
            .into_iter()
            .zip(removed)
            .filter_map(|(t, gone)| (!gone).then_some(t))
            .collect();
        (next, problems)
    }
}

/// Applies `request` to a created app's tenants: 1 to 200 remain (R1); one
/// activity entry per tenant added, re-noted or removed; a removed tenant's
/// connections end with it.
pub fn change_tenants(app: &AppState, request: &TenantRequest, stamp: &Stamp) -> Result<Change> {
    request.check_limit(app.tenants.len())?;
    let (next, mut problems) = request.merge(&app.tenants);
    problems.extend(validate::tenant_count(next.len()).err());
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let name = &app.fields.name;
    let mut out = Change::none(app, stamp);
    // Walk the request as the list changes, so that adding then removing the
    // same tenant records both, as it happened (notes by id: linear).
    let mut listed: HashMap<&str, &str> = app
        .tenants
        .iter()
        .map(|t| (t.id.as_str(), t.note.as_str()))
        .collect();
    for a in &request.add {
        match listed.get(a.id.as_str()).copied() {
            None => {
                let note = a.note.as_deref().unwrap_or_default();
                listed.insert(&a.id, note);
                out.tenants.push(TenantWrite::Insert(TenantEntry::new(
                    &a.id,
                    note.to_owned(),
                )));
                out.record(name, Action::TenantAdded, format!("tenant {} added", a.id));
            }
            Some(now) => match &a.note {
                Some(note) if note != now => {
                    listed.insert(&a.id, note);
                    out.tenants
                        .push(TenantWrite::SetNote(TenantEntry::new(&a.id, note.clone())));
                    let summary = format!("tenant {} note changed", a.id);
                    out.record(name, Action::TenantUpdated, summary);
                }
                _ => {}
            },
        }
    }
    let mut connections_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for c in &app.connections {
        connections_of
            .entry(c.tenant_id.as_str())
            .or_default()
            .push(c.id.as_str());
    }
    for id in &request.remove {
        listed.remove(id.as_str());
        let ended: Vec<_> = connections_of
            .remove(id.as_str())
            .unwrap_or_default()
            .into_iter()
            .map(|c| ConnectionWrite::Delete { id: c.to_owned() })
            .collect();
        let summary = match ended.len() {
            0 => format!("tenant {id} removed"),
            n => format!("tenant {id} removed; its {n} connection(s) ended"),
        };
        out.connections.extend(ended);
        out.tenants.push(TenantWrite::Delete(id.clone()));
        out.record(name, Action::TenantRemoved, summary);
    }
    Ok(out)
}
