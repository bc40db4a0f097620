//! The tenants an app is visible to (R1, R7): adding, re-noting, removing. No
//! version, the key untouched. A removed tenant's connections end (R8: only a
//! tenant in the list can use the app).
//!
//! Must not go in here: any write, or reading the list (the caller loads it).

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

    /// The list after this request, and the removals that found nothing.
    fn merge(&self, current: &[TenantEntry]) -> (Vec<TenantEntry>, Vec<Problem>) {
        let mut next = current.to_vec();
        for a in &self.add {
            match next.iter_mut().find(|t| t.id == a.id) {
                Some(t) => {
                    if let Some(note) = &a.note {
                        t.note.clone_from(note);
                    }
                }
                None => next.push(TenantEntry::new(&a.id, a.note.clone().unwrap_or_default())),
            }
        }
        let mut problems = Vec::new();
        for (i, id) in self.remove.iter().enumerate() {
            let before = next.len();
            next.retain(|t| &t.id != id);
            if next.len() == before {
                problems.push(Problem::new(
                    format!("remove[{i}]"),
                    format!("Tenant ID {id} is not in the list"),
                ));
            }
        }
        (next, problems)
    }
}

/// Applies `request` to a created app's tenants: 1 to 200 remain (R1); one
/// activity entry per tenant added, re-noted or removed; a removed tenant's
/// connections end with it.
pub fn change_tenants(app: &AppState, request: &TenantRequest, stamp: &Stamp) -> Result<Change> {
    let (next, mut problems) = request.merge(&app.tenants);
    problems.extend(validate::tenant_count(next.len()).err());
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let name = &app.fields.name;
    let mut out = Change::none(app, stamp);
    // Walk the request as the list changes, so that adding then removing the
    // same tenant records both, as it happened.
    let mut listed = app.tenants.clone();
    for a in &request.add {
        match listed.iter_mut().find(|t| t.id == a.id) {
            None => {
                let entry = TenantEntry::new(&a.id, a.note.clone().unwrap_or_default());
                listed.push(entry.clone());
                out.tenants.push(TenantWrite::Insert(entry));
                out.record(name, Action::TenantAdded, format!("tenant {} added", a.id));
            }
            Some(t) => match &a.note {
                Some(note) if *note != t.note => {
                    t.note.clone_from(note);
                    out.tenants.push(TenantWrite::SetNote(t.clone()));
                    let summary = format!("tenant {} note changed", a.id);
                    out.record(name, Action::TenantUpdated, summary);
                }
                _ => {}
            },
        }
    }
    for id in &request.remove {
        listed.retain(|t| &t.id != id);
        let ended: Vec<_> = app
            .connections
            .iter()
            .filter(|c| &c.tenant_id == id)
            .map(|c| ConnectionWrite::Delete { id: c.id.clone() })
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
