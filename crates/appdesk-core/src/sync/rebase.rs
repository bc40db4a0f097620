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

/// What of `intent` still changes `state` (the portal's app, with the
/// intents before this one replayed): the fields it sets to another value,
/// the scopes and tenants it adds that are not there (or whose note differs),
/// those it removes that are. `None`: nothing, or a create or delete (which a
/// pull that found the app on the portal settles by the merge).
pub fn trim(state: &Snapshot, intent: &Intent) -> Option<Intent> {
    match intent {
        Intent::Create { .. } | Intent::Delete => None,
        Intent::Fields { fields } => {
            let other = |now: &String, to: &Option<String>| to.clone().filter(|t| t != now);
            let fields = crate::model::AppEdit {
                name: other(&state.name, &fields.name),
                organization: other(&state.organization, &fields.organization),
                homepage_url: other(&state.homepage_url, &fields.homepage_url),
                audience: fields.audience.filter(|a| *a != state.audience),
                credentials: fields.credentials.filter(|c| *c != state.credentials),
            };
            (!fields.is_empty()).then_some(Intent::Fields { fields })
        }
        Intent::Scopes { add, remove } => {
            let add: Vec<String> = add
                .iter()
                .filter(|s| !state.scopes.contains(*s))
                .cloned()
                .collect();
            let remove: Vec<String> = remove
                .iter()
                .filter(|s| state.scopes.contains(*s))
                .cloned()
                .collect();
            (!add.is_empty() || !remove.is_empty()).then_some(Intent::Scopes { add, remove })
        }
        Intent::Tenants { add, remove } => {
            let add: Vec<_> = add
                .iter()
                .filter(|t| state.tenants.get(&t.id) != Some(&t.note))
                .cloned()
                .collect();
            let remove: Vec<String> = remove
                .iter()
                .filter(|id| state.tenants.contains_key(*id))
                .cloned()
                .collect();
            (!add.is_empty() || !remove.is_empty()).then_some(Intent::Tenants { add, remove })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AppEdit, Audience, TenantEntry};
    use crate::sync::rebuild::tests::app;

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
    fn trimming_keeps_only_what_still_changes_the_state() {
        let state = app("Board", &["a:r", "b:r"], &[("1", ""), ("2", "x")]);
        let scopes = Intent::Scopes {
            add: vec!["a:r".into(), "c:r".into()],
            remove: vec!["b:r".into(), "d:r".into()],
        };
        assert_eq!(
            trim(&state, &scopes),
            Some(Intent::Scopes {
                add: vec!["c:r".into()],
                remove: vec!["b:r".into()]
            })
        );
        let done = Intent::Scopes {
            add: vec!["a:r".into()],
            remove: vec!["z:r".into()],
        };
        assert_eq!(trim(&state, &done), None);
        let tenants = Intent::Tenants {
            add: vec![TenantEntry::new("1", ""), TenantEntry::new("2", "y")],
            remove: vec!["9".into()],
        };
        assert_eq!(
            trim(&state, &tenants),
            Some(Intent::Tenants {
                add: vec![TenantEntry::new("2", "y")],
                remove: vec![]
            })
        );
        let rename = Intent::Fields {
            fields: AppEdit {
                name: Some("Board".into()),
                organization: Some("Other".into()),
                ..AppEdit::default()
            },
        };
        let want = Intent::Fields {
            fields: AppEdit {
                organization: Some("Other".into()),
                ..AppEdit::default()
            },
        };
        assert_eq!(trim(&state, &rename), Some(want));
        assert_eq!(trim(&state, &Intent::Delete), None);
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
