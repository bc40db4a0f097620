//! Intents rebuilt from state: what a push must ask of the portal to take an
//! app from what the portal has to what the merge kept, and what of a queued
//! intent a conflict holds back. Pure, so the store's pull (after a merge, or
//! a `412`) and its push compute the same intents from the same states.
//!
//! A rebuilt intent is a diff against the portal's current state, so an
//! intent that was sent before, committed, and never acknowledged (the
//! answer lost) is already in that state and is not asked for again.

use std::collections::BTreeSet;

use super::intent::Intent;
use super::merge::Snapshot;
use crate::model::{AppEdit, TenantEntry};

/// The intents that take `from` (the portal's app) to `to` (the merged app),
/// leaving out every field in `held` (conflict field names, as
/// [`super::Conflict::field`]): fields, then scopes, then tenants.
pub fn intents_between(from: &Snapshot, to: &Snapshot, held: &BTreeSet<String>) -> Vec<Intent> {
    let free = |field: &str| !held.contains(field) && !held.contains("app");
    let changed = |field: &str, a: &String, b: &String| (free(field) && a != b).then(|| b.clone());
    let fields = AppEdit {
        name: changed("name", &from.name, &to.name),
        organization: changed("organization", &from.organization, &to.organization),
        homepage_url: changed("homepageUrl", &from.homepage_url, &to.homepage_url),
        audience: (free("audience") && from.audience != to.audience).then_some(to.audience),
        credentials: (free("credentials") && from.credentials != to.credentials)
            .then_some(to.credentials),
    };
    let mut out = Vec::new();
    if !fields.is_empty() {
        out.push(Intent::Fields { fields });
    }
    let scope_free = |s: &&String| free(&format!("scopes[{s}]"));
    let add: Vec<String> = to
        .scopes
        .difference(&from.scopes)
        .filter(scope_free)
        .cloned()
        .collect();
    let remove: Vec<String> = from
        .scopes
        .difference(&to.scopes)
        .filter(scope_free)
        .cloned()
        .collect();
    if !add.is_empty() || !remove.is_empty() {
        out.push(Intent::Scopes { add, remove });
    }
    let tenant_free = |id: &String| free(&format!("tenants[{id}]"));
    let add: Vec<TenantEntry> = to
        .tenants
        .iter()
        .filter(|(id, note)| from.tenants.get(*id) != Some(note) && tenant_free(id))
        .map(|(id, note)| TenantEntry::new(id.clone(), note.clone()))
        .collect();
    let remove: Vec<String> = from
        .tenants
        .keys()
        .filter(|id| !to.tenants.contains_key(*id) && tenant_free(id))
        .cloned()
        .collect();
    if !add.is_empty() || !remove.is_empty() {
        out.push(Intent::Tenants { add, remove });
    }
    out
}

/// What of `intent` may be sent while the fields in `held` are in conflict:
/// the intent without those parts (`None`: nothing is left), and each part
/// held back as `(field, value)` (`None`: absent), the local value a
/// resolution keeping *mine* must send.
pub fn hold_back(
    intent: &Intent,
    held: &BTreeSet<String>,
) -> (Option<Intent>, Vec<(String, Option<String>)>) {
    let mut kept_back = Vec::new();
    if held.is_empty() {
        return (Some(intent.clone()), kept_back);
    }
    if held.contains("app") {
        return (None, kept_back);
    }
    let mut take = |field: String, value: Option<String>| {
        let hold = held.contains(&field);
        if hold {
            kept_back.push((field, value));
        }
        !hold
    };
    let left = match intent {
        Intent::Create { .. } | Intent::Delete => Some(intent.clone()),
        Intent::Fields { fields } => {
            let mut f = fields.clone();
            let mut scalar = |name: &str, slot: Option<String>| match slot {
                Some(v) if !take(name.to_owned(), Some(v.clone())) => None,
                other => other,
            };
            f.name = scalar("name", f.name);
            f.organization = scalar("organization", f.organization);
            f.homepage_url = scalar("homepageUrl", f.homepage_url);
            let audience = scalar("audience", f.audience.map(|a| a.as_str().to_owned()));
            f.audience = f.audience.filter(|_| audience.is_some());
            let credentials = scalar("credentials", f.credentials.map(|c| c.as_str().to_owned()));
            f.credentials = f.credentials.filter(|_| credentials.is_some());
            (!f.is_empty()).then_some(Intent::Fields { fields: f })
        }
        Intent::Scopes { add, remove } => {
            let add: Vec<String> = add
                .iter()
                .filter(|s| take(format!("scopes[{s}]"), Some((*s).clone())))
                .cloned()
                .collect();
            let remove: Vec<String> = remove
                .iter()
                .filter(|s| take(format!("scopes[{s}]"), None))
                .cloned()
                .collect();
            (!add.is_empty() || !remove.is_empty()).then_some(Intent::Scopes { add, remove })
        }
        Intent::Tenants { add, remove } => {
            let add: Vec<TenantEntry> = add
                .iter()
                .filter(|t| take(format!("tenants[{}]", t.id), Some(t.note.clone())))
                .cloned()
                .collect();
            let remove: Vec<String> = remove
                .iter()
                .filter(|id| take(format!("tenants[{id}]"), None))
                .cloned()
                .collect();
            (!add.is_empty() || !remove.is_empty()).then_some(Intent::Tenants { add, remove })
        }
    };
    (left, kept_back)
}

/// The value of a conflict field in an app (`None`: absent, or no app).
pub fn field_value(app: Option<&Snapshot>, field: &str) -> Option<String> {
    let app = app?;
    let inner = |prefix: &str| {
        field
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(']'))
    };
    match field {
        "name" | "app" => Some(app.name.clone()),
        "organization" => Some(app.organization.clone()),
        "homepageUrl" => Some(app.homepage_url.clone()),
        "audience" => Some(app.audience.as_str().to_owned()),
        "credentials" => Some(app.credentials.as_str().to_owned()),
        _ => {
            if let Some(scope) = inner("scopes[") {
                app.scopes.get(scope).cloned()
            } else if let Some(id) = inner("tenants[") {
                app.tenants.get(id).cloned()
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::{Audience, Credentials};

    /// An app for the sync modules' tests.
    pub(in crate::sync) fn app(name: &str, scopes: &[&str], tenants: &[(&str, &str)]) -> Snapshot {
        Snapshot {
            id: "a".into(),
            app_key: "ak1.x".into(),
            name: name.into(),
            organization: "Acme".into(),
            homepage_url: "https://acme.example".into(),
            audience: Audience::Private,
            credentials: Credentials::Tenant,
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            tenants: tenants
                .iter()
                .map(|(i, n)| ((*i).to_owned(), (*n).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn the_intents_between_two_states_leave_held_fields_out() {
        let from = app("Board", &["a:r", "b:r"], &[("1", ""), ("2", "x")]);
        let to = app("Board 2", &["a:r", "c:r"], &[("1", "note"), ("3", "")]);
        let none = BTreeSet::new();
        let all = intents_between(&from, &to, &none);
        assert_eq!(all.len(), 3, "{all:?}");
        assert_eq!(
            all[1],
            Intent::Scopes {
                add: vec!["c:r".into()],
                remove: vec!["b:r".into()]
            }
        );
        let held: BTreeSet<String> = ["name", "scopes[b:r]", "tenants[2]"]
            .into_iter()
            .map(String::from)
            .collect();
        let some = intents_between(&from, &to, &held);
        assert_eq!(
            some,
            vec![
                Intent::Scopes {
                    add: vec!["c:r".into()],
                    remove: vec![]
                },
                Intent::Tenants {
                    add: vec![TenantEntry::new("1", "note"), TenantEntry::new("3", "")],
                    remove: vec![]
                }
            ]
        );
        assert!(intents_between(&to, &to, &none).is_empty());
    }

    #[test]
    fn a_held_field_is_taken_out_of_a_queued_intent_with_its_value() {
        let held: BTreeSet<String> = ["name".to_owned()].into();
        let fields = Intent::Fields {
            fields: AppEdit {
                name: Some("Mine".into()),
                organization: Some("Org".into()),
                ..AppEdit::default()
            },
        };
        let (left, back) = hold_back(&fields, &held);
        assert_eq!(
            left,
            Some(Intent::Fields {
                fields: AppEdit {
                    organization: Some("Org".into()),
                    ..AppEdit::default()
                }
            })
        );
        assert_eq!(back, vec![("name".to_owned(), Some("Mine".to_owned()))]);
        let app_held: BTreeSet<String> = ["app".to_owned()].into();
        assert_eq!(hold_back(&Intent::Delete, &app_held).0, None);
    }
}
