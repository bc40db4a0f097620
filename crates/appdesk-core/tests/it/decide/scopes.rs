//! `change_scopes` (R2, R5) against an oracle of string sets.

use std::collections::BTreeSet;

use appdesk_core::decide::{self, ScopeRequest};
use appdesk_core::{Error, ScopeSet};
use proptest::prelude::*;

use super::{
    app_state, apply, check_invariants, check_refused, check_shape, scope_pool, stamp, strings,
};

/// A removal item: `res:r`, `res:w` or `res:rw` for a resource of the pool.
fn removal() -> impl Strategy<Value = String> {
    let resources: Vec<String> = scope_pool()
        .iter()
        .map(|s| {
            s.rsplit_once(':')
                .map(|(r, _)| r.to_owned())
                .unwrap_or_default()
        })
        .collect();
    (
        proptest::sample::select(resources),
        prop_oneof![Just("r"), Just("w"), Just("rw")],
    )
        .prop_map(|(r, a)| format!("{r}:{a}"))
}

/// The oracle's expansion of `res:rw` into its two scopes.
fn expand(item: &str) -> Vec<String> {
    match item.rsplit_once(':') {
        Some((r, "rw")) => vec![format!("{r}:r"), format!("{r}:w")],
        _ => vec![item.to_owned()],
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn adding_and_removing_scopes_makes_version_n_plus_1_exactly_when_the_set_changed(
        app in app_state(),
        add in proptest::sample::subsequence(scope_pool(), 0..=4),
        remove in proptest::collection::vec(removal(), 0..3),
    ) {
        let request = ScopeRequest::change(&add, &remove, super::catalog()).unwrap();
        let before = app.clone();
        let out = decide::change_scopes(&app, &request, &stamp());
        // The oracle: current ∪ add − remove, each removal finding something.
        let current = strings(&before.scopes);
        let missing = remove.iter().any(|r| expand(r).iter().all(|s| !current.contains(s)));
        let mut next: BTreeSet<String> = current.iter().cloned().chain(add.iter().cloned()).collect();
        for r in &remove {
            for s in expand(r) {
                next.remove(&s);
            }
        }
        if missing {
            let e = check_refused(&before, &app, out);
            prop_assert!(e.field().is_some_and(|f| f.starts_with("remove[")), "{e}");
            return Ok(());
        }
        if next.is_empty() {
            let e = check_refused(&before, &app, out);
            prop_assert!(matches!(e, Error::Invalid(_)));
            prop_assert_eq!(e.field(), Some("scopes"));
            return Ok(());
        }
        let change = out.unwrap();
        check_shape(&before, &change);
        if next == current {
            prop_assert!(change.is_empty(), "same set, no version");
        } else {
            let v = change.version.as_ref().expect("a changed set makes a version");
            prop_assert_eq!(v.version, before.version + 1);
            prop_assert_eq!(v.scopes.iter().cloned().collect::<BTreeSet<_>>(), next.clone());
            prop_assert_eq!(&v.created_by, &stamp().user);
            prop_assert_eq!(change.activity.len(), 1);
            for s in next.difference(&current) {
                let added = format!("+{s}");
                prop_assert!(change.activity[0].summary.contains(&added), "{}", change.activity[0].summary);
            }
            prop_assert!(change.tenants.is_empty() && change.connections.is_empty() && change.fields.is_none(),
                "a scope change touches neither tenants nor connections (R8: they upgrade themselves)");
        }
        let after = apply(&before, &change);
        prop_assert_eq!(strings(&after.scopes), next);
        prop_assert_eq!(&after.app_key, &before.app_key);
        check_invariants(&after);
    }

    #[test]
    fn setting_the_scopes_makes_a_version_exactly_when_the_set_differs(
        app in app_state(),
        set in proptest::sample::subsequence(scope_pool(), 1..=6),
    ) {
        let request = ScopeRequest::set(&set, super::catalog()).unwrap();
        let change = decide::change_scopes(&app, &request, &stamp()).unwrap();
        check_shape(&app, &change);
        let wanted: BTreeSet<String> = set.iter().cloned().collect();
        let differs = wanted != strings(&app.scopes);
        prop_assert_eq!(change.version.as_ref().map(|v| v.version), differs.then_some(app.version + 1));
        prop_assert_eq!(decide::next_version(app.version, &app.scopes, &ScopeSet::from_stored(&set)),
            differs.then_some(app.version + 1));
        prop_assert_eq!(strings(&apply(&app, &change).scopes), wanted);
    }

    #[test]
    fn scopes_outside_the_catalog_are_refused_before_any_decision(
        set in proptest::sample::subsequence(scope_pool(), 0..=3),
        bad in prop_oneof![Just("tn.nope.nothing:r"), Just("no-access"), Just(":r"), Just("tn.crm.customers:x")],
        at in 0usize..4,
    ) {
        let mut items = set.clone();
        let at = at.min(items.len());
        items.insert(at, bad.to_owned());
        let e = ScopeRequest::set(&items, super::catalog()).unwrap_err();
        prop_assert_eq!(e.field().map(str::to_owned), Some(format!("scopes[{at}]")));
        let e = ScopeRequest::change(&items, &[], super::catalog()).unwrap_err();
        prop_assert_eq!(e.field().map(str::to_owned), Some(format!("add[{at}]")));
    }
}
