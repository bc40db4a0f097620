//! Property tests of the three-way merge (SYNC.md §3) against a model written
//! here: per-field "who changed it" booleans and per-element membership
//! formulas, not the merge's own per-key function.

use std::collections::{BTreeMap, BTreeSet};

use appdesk_core::sync::{Conflict, Snapshot, merge};
use appdesk_core::{Audience, Credentials};
use proptest::prelude::*;

const KEY: &str = "ak1.aaaaaaaaaaaaaaaaaaaaaaaaa";

fn snapshot() -> impl Strategy<Value = Snapshot> {
    let word = prop::sample::select(vec!["a", "b", "c"]);
    (
        word.clone(),
        word.clone(),
        word,
        any::<bool>(),
        any::<bool>(),
        prop::collection::btree_set(
            prop::sample::select(vec!["s1:r", "s1:w", "s2:r", "s3:w"]),
            0..4,
        ),
        prop::collection::btree_map(
            prop::sample::select(vec!["1001", "1002", "1003"]),
            prop::sample::select(vec!["", "n1", "n2"]),
            0..3,
        ),
    )
        .prop_map(|(n, o, h, public, developer, scopes, tenants)| Snapshot {
            id: "0190c0de-0000-7000-8000-000000000001".to_owned(),
            app_key: KEY.to_owned(),
            name: format!("App {n}"),
            organization: format!("Org {o}"),
            homepage_url: format!("https://{h}.example"),
            audience: if public {
                Audience::Public
            } else {
                Audience::Private
            },
            credentials: if developer {
                Credentials::Developer
            } else {
                Credentials::Tenant
            },
            scopes: scopes.into_iter().map(str::to_owned).collect(),
            tenants: tenants
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        })
}

/// A base, and two sides that each are the base unchanged or a random edit
/// of it (so "one side did not change" comes up often).
fn three() -> impl Strategy<Value = (Snapshot, Snapshot, Snapshot)> {
    (
        snapshot(),
        snapshot(),
        snapshot(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(b, m, t, keep_m, keep_t)| {
            let m = if keep_m { b.clone() } else { m };
            let t = if keep_t { b.clone() } else { t };
            (b, m, t)
        })
}

fn fields(s: &Snapshot) -> [(&'static str, String); 5] {
    [
        ("name", s.name.clone()),
        ("organization", s.organization.clone()),
        ("homepageUrl", s.homepage_url.clone()),
        ("audience", s.audience.to_string()),
        ("credentials", s.credentials.to_string()),
    ]
}

fn swapped(c: &Conflict) -> Conflict {
    Conflict {
        field: c.field.clone(),
        mine: c.theirs.clone(),
        theirs: c.mine.clone(),
        base: c.base.clone(),
    }
}

proptest! {
    #[test]
    fn merging_against_an_unchanged_side_returns_the_other_side_exactly((b, x, _) in three()) {
        let theirs_changed = merge(Some(&b), Some(&b), Some(&x));
        prop_assert_eq!(theirs_changed.app.as_ref(), Some(&x));
        prop_assert!(theirs_changed.conflicts.is_empty());
        let mine_changed = merge(Some(&b), Some(&x), Some(&b));
        prop_assert_eq!(mine_changed.app.as_ref(), Some(&x));
        prop_assert!(mine_changed.conflicts.is_empty());
    }

    #[test]
    fn both_sides_making_the_same_change_merge_to_it_with_no_conflict((b, x, _) in three()) {
        let merged = merge(Some(&b), Some(&x), Some(&x));
        prop_assert_eq!(merged.app.as_ref(), Some(&x));
        prop_assert!(merged.conflicts.is_empty());
        let no_base = merge(None, Some(&x), Some(&x));
        prop_assert_eq!(no_base.app.as_ref(), Some(&x));
        prop_assert!(no_base.conflicts.is_empty());
    }

    #[test]
    fn scalar_fields_conflict_exactly_when_both_sides_changed_them_differently((b, m, t) in three()) {
        let merged = merge(Some(&b), Some(&m), Some(&t));
        let app = merged.app.expect("both sides have the app");
        let got = fields(&app);
        for (i, ((field, base), ((_, mine), (_, theirs)))) in
            fields(&b).into_iter().zip(fields(&m).into_iter().zip(fields(&t))).enumerate()
        {
            let conflict = merged.conflicts.iter().find(|c| c.field == field);
            let mine_changed = mine != base;
            let theirs_changed = theirs != base;
            if mine_changed && theirs_changed && mine != theirs {
                prop_assert_eq!(
                    conflict,
                    Some(&Conflict {
                        field: field.to_owned(),
                        mine: Some(mine.clone()),
                        theirs: Some(theirs.clone()),
                        base: Some(base.clone()),
                    })
                );
                prop_assert_eq!(&got[i].1, &mine, "a conflicted field keeps mine");
            } else {
                prop_assert!(conflict.is_none(), "{field}: {conflict:?}");
                let expected = if theirs_changed { &theirs } else { &mine };
                prop_assert_eq!(&got[i].1, expected, "{}", field);
            }
        }
    }

    #[test]
    fn scope_sets_keep_every_addition_and_apply_every_removal((b, m, t) in three()) {
        let merged = merge(Some(&b), Some(&m), Some(&t)).app.expect("both sides have it");
        let every: BTreeSet<&String> = b.scopes.iter().chain(&m.scopes).chain(&t.scopes).collect();
        for s in every {
            let (in_b, in_m, in_t) = (b.scopes.contains(s), m.scopes.contains(s), t.scopes.contains(s));
            // Kept if no side removed it from the base, or if a side added it.
            let expected = if in_b { in_m && in_t } else { in_m || in_t };
            prop_assert_eq!(merged.scopes.contains(s), expected, "{}", s);
        }
        prop_assert!(merged.scopes.iter().all(|s| b.scopes.contains(s) || m.scopes.contains(s) || t.scopes.contains(s)));
    }

    #[test]
    fn tenants_merge_as_a_set_and_a_removal_against_a_note_change_is_a_conflict((b, m, t) in three()) {
        let merged = merge(Some(&b), Some(&m), Some(&t));
        let app = merged.app.expect("both sides have it");
        let ids: BTreeSet<&String> = b.tenants.keys().chain(m.tenants.keys()).chain(t.tenants.keys()).collect();
        for id in ids {
            let (vb, vm, vt) = (b.tenants.get(id), m.tenants.get(id), t.tenants.get(id));
            let field = format!("tenants[{id}]");
            let conflict = merged.conflicts.iter().any(|c| c.field == field);
            let clash = vm != vb && vt != vb && vm != vt;
            prop_assert_eq!(conflict, clash, "{}", field);
            let expected = if clash || vt == vb { vm } else { vt };
            prop_assert_eq!(app.tenants.get(id), expected, "{}", field);
        }
    }

    #[test]
    fn swapping_mine_and_theirs_swaps_the_conflicts_values((b, m, t) in three(), with_base in any::<bool>()) {
        let base = with_base.then_some(&b);
        let one = merge(base, Some(&m), Some(&t)).conflicts;
        let other = merge(base, Some(&t), Some(&m)).conflicts;
        prop_assert_eq!(one.iter().map(swapped).collect::<Vec<_>>(), other);
    }

    #[test]
    fn a_delete_against_an_edit_is_a_conflict_that_keeps_the_edit((b, x, _) in three()) {
        let local_delete = merge(Some(&b), None, Some(&x));
        let remote_delete = merge(Some(&b), Some(&x), None);
        if x == b {
            prop_assert_eq!(local_delete.app, None, "an untouched app follows the delete");
            prop_assert_eq!(remote_delete.app, None);
            prop_assert!(local_delete.conflicts.is_empty() && remote_delete.conflicts.is_empty());
        } else {
            prop_assert_eq!(local_delete.app.as_ref(), Some(&x));
            prop_assert_eq!(remote_delete.app.as_ref(), Some(&x));
            let fields: Vec<&str> = local_delete.conflicts.iter().map(|c| c.field.as_str()).collect();
            prop_assert_eq!(fields, vec!["app"]);
            prop_assert_eq!(&local_delete.conflicts[0].mine, &None);
            prop_assert_eq!(local_delete.conflicts.iter().map(swapped).collect::<Vec<_>>(), remote_delete.conflicts);
        }
    }

    #[test]
    fn without_a_base_every_difference_is_a_conflict_and_mine_is_kept((m, t) in (snapshot(), snapshot())) {
        let merged = merge(None, Some(&m), Some(&t));
        let app = merged.app.clone().expect("both sides have the app");
        prop_assert_eq!(&app.scopes, &m.scopes, "no scope of theirs taken silently");
        prop_assert_eq!(&app.tenants, &m.tenants, "no tenant of theirs taken silently");
        let mut differing: BTreeSet<String> = fields(&m)
            .iter()
            .zip(fields(&t).iter())
            .filter(|(a, b)| a.1 != b.1)
            .map(|(a, _)| a.0.to_owned())
            .collect();
        differing.extend(m.scopes.symmetric_difference(&t.scopes).map(|s| format!("scopes[{s}]")));
        let ids: BTreeSet<&String> = m.tenants.keys().chain(t.tenants.keys()).collect();
        differing.extend(
            ids.into_iter()
                .filter(|id| m.tenants.get(*id) != t.tenants.get(*id))
                .map(|id| format!("tenants[{id}]")),
        );
        let listed: BTreeSet<String> = merged.conflicts.iter().map(|c| c.field.clone()).collect();
        prop_assert_eq!(listed, differing);
    }

    #[test]
    fn a_never_synced_local_app_is_pushed_and_a_portal_only_app_is_pulled(x in snapshot()) {
        let local = merge(None, Some(&x), None);
        prop_assert_eq!(local.app.as_ref(), Some(&x), "never synced is not deleted");
        prop_assert!(local.conflicts.is_empty());
        let remote = merge(None, None, Some(&x));
        prop_assert_eq!(remote.app.as_ref(), Some(&x));
        prop_assert!(remote.conflicts.is_empty());
    }
}

#[test]
fn the_portals_app_key_wins_over_a_local_proposal() {
    let mine = Snapshot {
        id: "0190c0de-0000-7000-8000-000000000002".to_owned(),
        app_key: "ak1.minemineminemineminemine".to_owned(),
        name: "Dispatch".to_owned(),
        organization: "Acme".to_owned(),
        homepage_url: "https://acme.example".to_owned(),
        audience: Audience::Private,
        credentials: Credentials::Tenant,
        scopes: BTreeSet::from(["s1:r".to_owned()]),
        tenants: BTreeMap::from([("1001".to_owned(), String::new())]),
    };
    let theirs = Snapshot {
        app_key: KEY.to_owned(),
        ..mine.clone()
    };
    let merged = merge(None, Some(&mine), Some(&theirs));
    assert_eq!(merged.app.map(|a| a.app_key).as_deref(), Some(KEY));
    assert!(merged.conflicts.is_empty());
}
