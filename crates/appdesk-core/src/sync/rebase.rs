//! Folding a client's own applied intents into its base (SYNC.md, "Lost
//! acknowledgements"). When the portal says, in what a pull reads, that it
//! applied this client's intents up to mutation N for an app, those intents
//! are no longer "mine": they are part of what the portal has. The base a
//! three-way merge compares against is then the last synced snapshot with
//! those intents replayed on it, so the portal's copy of the client's own
//! write is never read as someone else's change merged over later edits.
//!
//! Pure: the store hands in the base and the intents, in the order they were
//! queued. Replaying is lenient on purpose (an addition already there, a
//! removal already gone change nothing): the portal applied these intents,
//! so they held there.

use super::intent::Intent;
use super::merge::Snapshot;

/// `base` (`None`: the portal had no such app) with `applied` replayed on it,
/// in order: a create makes the app, a delete removes it, the others change
/// the fields, scopes and tenants they name.
pub fn replay<'a>(
    base: Option<&Snapshot>,
    applied: impl IntoIterator<Item = &'a Intent>,
) -> Option<Snapshot> {
    let mut app = base.cloned();
    for intent in applied {
        app = match (intent, app) {
            (Intent::Create { app }, _) => Some(app.clone()),
            (Intent::Delete, _) => None,
            (_, None) => None,
            (Intent::Fields { fields }, Some(mut a)) => {
                let set = |slot: &mut String, value: &Option<String>| {
                    if let Some(v) = value {
                        slot.clone_from(v);
                    }
                };
                set(&mut a.name, &fields.name);
                set(&mut a.organization, &fields.organization);
                set(&mut a.homepage_url, &fields.homepage_url);
                a.audience = fields.audience.unwrap_or(a.audience);
                a.credentials = fields.credentials.unwrap_or(a.credentials);
                Some(a)
            }
            (Intent::Scopes { add, remove }, Some(mut a)) => {
                a.scopes.extend(add.iter().cloned());
                remove.iter().for_each(|s| {
                    a.scopes.remove(s);
                });
                Some(a)
            }
            (Intent::Tenants { add, remove }, Some(mut a)) => {
                for t in add {
                    a.tenants.insert(t.id.clone(), t.note.clone());
                }
                remove.iter().for_each(|id| {
                    a.tenants.remove(id);
                });
                Some(a)
            }
        };
    }
    app
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::model::{AppEdit, Audience, Credentials, TenantEntry};

    fn app(name: &str, scopes: &[&str], tenants: &[(&str, &str)]) -> Snapshot {
        Snapshot {
            id: "a".into(),
            app_key: "ak1.x".into(),
            name: name.into(),
            organization: "Acme".into(),
            homepage_url: "https://acme.example".into(),
            audience: Audience::Private,
            credentials: Credentials::Tenant,
            scopes: scopes
                .iter()
                .map(|s| (*s).to_owned())
                .collect::<BTreeSet<_>>(),
            tenants: tenants
                .iter()
                .map(|(i, n)| ((*i).to_owned(), (*n).to_owned()))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    #[test]
    fn replaying_intents_changes_only_what_each_names_in_order() {
        let base = app("Board", &["a:r", "b:r"], &[("1", ""), ("2", "x")]);
        let intents = [
            Intent::Fields {
                fields: AppEdit {
                    name: Some("Board 2".into()),
                    audience: Some(Audience::Public),
                    ..AppEdit::default()
                },
            },
            Intent::Scopes {
                add: vec!["c:r".into()],
                remove: vec!["a:r".into()],
            },
            Intent::Scopes {
                add: vec!["a:r".into()],
                remove: vec![],
            },
            Intent::Tenants {
                add: vec![TenantEntry::new("2", "y"), TenantEntry::new("3", "")],
                remove: vec!["1".into()],
            },
        ];
        let mut want = app("Board 2", &["a:r", "b:r", "c:r"], &[("2", "y"), ("3", "")]);
        want.audience = Audience::Public;
        assert_eq!(replay(Some(&base), &intents), Some(want));
        assert_eq!(replay(Some(&base), &[]), Some(base.clone()));
    }

    #[test]
    fn a_create_makes_the_app_and_a_delete_removes_it() {
        let made = app("New", &["a:r"], &[("1", "")]);
        let create = Intent::Create { app: made.clone() };
        assert_eq!(replay(None, [&create]), Some(made.clone()));
        assert_eq!(replay(Some(&made), [&Intent::Delete]), None);
        let rename = Intent::Fields {
            fields: AppEdit {
                name: Some("X".into()),
                ..AppEdit::default()
            },
        };
        assert_eq!(replay(None, [&rename]), None, "an edit of no app is no app");
    }
}
