//! `change_tenants` (R1, R7, R8) against an oracle of a tenant map.

use std::collections::{BTreeMap, BTreeSet};

use appdesk_core::decide::{self, Action, ConnectionWrite, TenantAdd, TenantRequest};
use proptest::prelude::*;

use super::{app_state, apply, check_invariants, check_refused, check_shape, stamp, tenant};

/// Ids near the small lists (1000–1006) and near the limit (1196–1202).
fn tenant_ids() -> impl Strategy<Value = String> {
    prop_oneof![
        (0usize..7).prop_map(tenant),
        (196usize..203).prop_map(tenant)
    ]
}

fn additions() -> impl Strategy<Value = Vec<TenantAdd>> {
    let note = prop_oneof![
        Just(None),
        Just(Some(String::new())),
        Just(Some("HQ".to_owned())),
        Just(Some("new".to_owned()))
    ];
    proptest::collection::btree_map(tenant_ids(), note, 0..4).prop_map(|m| {
        m.into_iter()
            .map(|(id, note)| TenantAdd { id, note })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn tenant_changes_follow_the_list_oracle_and_end_removed_tenants_connections(
        app in app_state(),
        add in additions(),
        remove in proptest::collection::vec(tenant_ids(), 0..3),
    ) {
        let request = TenantRequest::parse(&add, &remove).unwrap();
        let before = app.clone();
        let out = decide::change_tenants(&app, &request, &stamp());
        // The oracle: a map id → note; additions first, then removals.
        let mut list: BTreeMap<String, String> =
            before.tenants.iter().map(|t| (t.id.clone(), t.note.clone())).collect();
        let mut added = 0;
        let mut renoted = 0;
        for a in &add {
            match (list.get(&a.id), &a.note) {
                (None, note) => {
                    list.insert(a.id.clone(), note.clone().unwrap_or_default());
                    added += 1;
                }
                (Some(old), Some(note)) if old != note => {
                    list.insert(a.id.clone(), note.clone());
                    renoted += 1;
                }
                _ => {}
            }
        }
        let mut missing = false;
        for id in &remove {
            missing |= list.remove(id).is_none();
        }
        if missing || list.is_empty() || list.len() > 200 {
            let e = check_refused(&before, &app, out);
            let field = e.field().unwrap_or_default().to_owned();
            prop_assert!(field.starts_with("remove[") || field == "tenants", "{e}");
            return Ok(());
        }
        let change = out.unwrap();
        check_shape(&before, &change);
        prop_assert!(change.version.is_none(), "tenants make no version (R7)");
        prop_assert!(change.fields.is_none());
        let count = |action| change.activity.iter().filter(|a| a.action == action).count();
        prop_assert_eq!(count(Action::TenantAdded), added);
        prop_assert_eq!(count(Action::TenantUpdated), renoted);
        prop_assert_eq!(count(Action::TenantRemoved), remove.len());
        // Exactly the removed tenants' connections end.
        let removed: BTreeSet<&String> = remove.iter().collect();
        let ended: BTreeSet<&String> = change.connections.iter().map(|w| match w {
            ConnectionWrite::Delete { id } => id,
            other => panic!("a tenant change only ends connections: {other:?}"),
        }).collect();
        let expected: BTreeSet<&String> = before.connections.iter()
            .filter(|c| removed.contains(&c.tenant_id)).map(|c| &c.id).collect();
        prop_assert_eq!(ended, expected);
        let after = apply(&before, &change);
        let got: BTreeMap<String, String> =
            after.tenants.iter().map(|t| (t.id.clone(), t.note.clone())).collect();
        prop_assert_eq!(got, list);
        prop_assert_eq!(&after.scopes, &before.scopes);
        check_invariants(&after);
    }

    #[test]
    fn malformed_tenant_requests_are_refused_naming_the_item(
        good in proptest::collection::vec(tenant_ids(), 0..3),
        bad in prop_oneof![Just("12a"), Just(""), Just("１２３"), Just("123456789012345678901")],
        at in 0usize..3,
    ) {
        let mut remove = good.clone();
        let at = at.min(remove.len());
        remove.insert(at, bad.to_owned());
        let e = TenantRequest::parse(&[], &remove).unwrap_err();
        prop_assert_eq!(e.field().map(str::to_owned), Some(format!("remove[{at}]")));
    }

    /// The limit is checked before any merge on a count that never overstates
    /// the list after the request: a request it refuses leaves more than 200
    /// tenants whatever the merge would find, and one it lets through is
    /// decided as before.
    #[test]
    fn the_count_checked_before_the_merge_never_exceeds_the_list_after_it(
        current in proptest::collection::btree_set(0usize..400, 0..300),
        add in proptest::collection::btree_set(0usize..400, 0..300),
        remove in proptest::collection::btree_set(0usize..400, 0..300),
    ) {
        let add: Vec<TenantAdd> = add.iter().map(|&i| TenantAdd { id: tenant(i), note: None }).collect();
        let remove: Vec<String> = remove.iter().map(|&i| tenant(i)).collect();
        let request = TenantRequest::parse(&add, &remove).unwrap();
        let mut list: BTreeSet<String> = current.iter().map(|&i| tenant(i)).collect();
        list.extend(add.iter().map(|a| a.id.clone()));
        let mut missing = false;
        for id in &remove {
            missing |= !list.remove(id);
        }
        if !missing {
            prop_assert!(request.fewest_after(current.len()) <= list.len());
        }
        if let Err(e) = request.check_limit(current.len()) {
            prop_assert_eq!(e.field(), Some("tenants"));
            prop_assert!(missing || list.len() > 200, "{e}");
        }
    }
}
