//! Random series of requests on one app, each decided and persisted on a
//! model: the rules hold after every step, whatever the order.

use appdesk_core::decide::{self, AppState, Change, ScopeRequest, TenantAdd, TenantRequest};
use appdesk_core::{AppEdit, Environment, Error};
use proptest::prelude::*;

use super::{app_state, apply, check_invariants, check_shape, scope_pool, stamp, strings, tenant};

#[derive(Debug, Clone)]
pub enum Request {
    SetScopes(Vec<String>),
    ChangeScopes(Vec<String>, Vec<String>),
    AddTenant(usize, Option<String>),
    RemoveTenant(usize),
    Rename(String),
    Connect(usize, Environment),
    Upgrade(usize, Environment),
    Disable(usize, Environment),
    Enable(usize, Environment),
    Regenerate(usize, Environment),
}

pub fn request() -> impl Strategy<Value = Request> {
    let t = 0usize..6;
    let env = prop_oneof![
        Just(Environment::Integration),
        Just(Environment::Production)
    ];
    let some = |n| proptest::sample::subsequence(scope_pool(), 0..=n);
    let note = proptest::option::of(prop_oneof![Just(String::new()), Just("HQ".to_owned())]);
    prop_oneof![
        some(3).prop_map(Request::SetScopes),
        (some(2), some(2)).prop_map(|(a, r)| Request::ChangeScopes(a, r)),
        (t.clone(), note).prop_map(|(t, n)| Request::AddTenant(t, n)),
        t.clone().prop_map(Request::RemoveTenant),
        prop_oneof![Just("Field Pro"), Just("  "), Just("Dispatch Board")]
            .prop_map(|n| Request::Rename(n.to_owned())),
        (t.clone(), env.clone()).prop_map(|(t, e)| Request::Connect(t, e)),
        (t.clone(), env.clone()).prop_map(|(t, e)| Request::Upgrade(t, e)),
        (t.clone(), env.clone()).prop_map(|(t, e)| Request::Disable(t, e)),
        (t.clone(), env.clone()).prop_map(|(t, e)| Request::Enable(t, e)),
        (t, env).prop_map(|(t, e)| Request::Regenerate(t, e)),
    ]
}

/// The request as a decision on the model.
pub fn decided(app: &AppState, r: &Request) -> Result<Change, Error> {
    let (s, c) = (stamp(), super::catalog());
    match r {
        Request::SetScopes(set) => decide::change_scopes(app, &ScopeRequest::set(set, c)?, &s),
        Request::ChangeScopes(a, rm) => {
            decide::change_scopes(app, &ScopeRequest::change(a, rm, c)?, &s)
        }
        Request::AddTenant(t, note) => {
            let add = [TenantAdd {
                id: tenant(*t),
                note: note.clone(),
            }];
            decide::change_tenants(app, &TenantRequest::parse(&add, &[])?, &s)
        }
        Request::RemoveTenant(t) => {
            decide::change_tenants(app, &TenantRequest::parse(&[], &[tenant(*t)])?, &s)
        }
        Request::Rename(name) => {
            let edit = AppEdit {
                name: Some(name.clone()),
                ..AppEdit::default()
            };
            decide::edit(app, &edit, &s)
        }
        Request::Connect(t, e) => decide::connect(app, &tenant(*t), *e, &s),
        Request::Upgrade(t, e) => decide::upgrade(app, &tenant(*t), *e, &s),
        Request::Disable(t, e) => decide::disable(app, &tenant(*t), *e, &s),
        Request::Enable(t, e) => decide::enable(app, &tenant(*t), *e, &s),
        Request::Regenerate(t, e) => decide::regenerate(app, &tenant(*t), *e, &s),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_series_of_requests_keeps_the_rules_and_counts_revisions_and_versions(
        start in app_state(),
        requests in proptest::collection::vec(request(), 1..25),
    ) {
        check_invariants(&start);
        let mut app = start.clone();
        let mut changes = 0;
        let mut versions = 0;
        for r in &requests {
            let before = app.clone();
            match decided(&app, r) {
                // Refused: nothing to persist, the model stays as it was.
                Err(_) => prop_assert_eq!(&app, &before),
                Ok(change) => {
                    check_shape(&before, &change);
                    let after = apply(&before, &change);
                    if strings(&after.scopes) != strings(&before.scopes) {
                        prop_assert_eq!(after.version, before.version + 1);
                        versions += 1;
                    } else {
                        prop_assert_eq!(after.version, before.version, "no version without a new set");
                    }
                    changes += usize::from(!change.is_empty());
                    check_invariants(&after);
                    app = after;
                }
            }
            prop_assert_eq!(&app.app_key, &start.app_key, "the key never changes (R4)");
        }
        prop_assert_eq!(app.revision, start.revision + changes as i64, "every change bumps the revision once");
        prop_assert_eq!(app.version, start.version + versions);
    }
}
