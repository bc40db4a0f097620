//! R2 (scopes), R5 (versions) and R6 (history), including property tests of
//! versioning over arbitrary edit sequences.

use crate::common::{TestDb, input, strings};
use appdesk_core::{Catalog, Environment, ScopeSet};
use proptest::prelude::*;

#[test]
fn r5_each_changed_save_makes_the_next_version_and_an_unchanged_one_none() {
    let db = TestDb::as_user("alice");
    let app = db.store.create_app(&input("V")).unwrap();
    let change = db
        .store
        .change_scopes(&app.id, &strings(&["tn.dis.capacity:w"]), &[])
        .unwrap();
    assert_eq!(change.new_version, Some(2));
    assert_eq!(change.added, strings(&["tn.dis.capacity:w"]));
    let same = db
        .store
        .change_scopes(&app.id, &strings(&["tn.dis.capacity:w"]), &[])
        .unwrap();
    assert_eq!(
        same.new_version, None,
        "a save that leaves the set as it was makes no version"
    );
    let reorder = db
        .store
        .set_scopes(
            &app.id,
            &strings(&["tn.jpm.jobs:rw", "tn.dis.capacity:w", "tn.crm.customers:r"]),
        )
        .unwrap();
    assert_eq!(reorder.new_version, None, "order does not matter");
    let three = db
        .store
        .change_scopes(
            &app.id,
            &strings(&["tn.crm.leads:r"]),
            &strings(&["tn.jpm.jobs:rw"]),
        )
        .unwrap();
    assert_eq!(three.new_version, Some(3));
    assert_eq!(three.removed, strings(&["tn.jpm.jobs:r", "tn.jpm.jobs:w"]));
    assert_eq!(db.store.app(&app.id).unwrap().version, Some(3));
}

#[test]
fn r6_history_shows_each_version_with_its_diff_time_and_user() {
    let db = TestDb::as_user("alice");
    let app = db.store.create_app(&input("H")).unwrap();
    db.reopen("bob")
        .change_scopes(
            &app.id,
            &strings(&["tn.crm.leads:r"]),
            &strings(&["tn.jpm.jobs:w"]),
        )
        .unwrap();
    let history = db.store.history(&app.id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].version, 1);
    assert_eq!(history[0].created_by, "alice");
    assert_eq!(
        history[0].added, history[0].scopes,
        "version 1 adds all of its scopes"
    );
    assert!(history[0].removed.is_empty());
    assert_eq!(history[1].created_by, "bob");
    assert_eq!(history[1].added, strings(&["tn.crm.leads:r"]));
    assert_eq!(history[1].removed, strings(&["tn.jpm.jobs:w"]));
    assert!(history[1].created_at >= history[0].created_at);
    assert!(history[1].created_at.ends_with('Z'), "UTC");
}

#[test]
fn r2_only_allowed_accesses_can_be_added_and_the_set_never_empties() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("S")).unwrap();
    let before = db.snapshot();
    let err = db
        .store
        .change_scopes(&app.id, &strings(&["tn.crm.tags:r", "tn.nope:r"]), &[])
        .unwrap_err();
    assert_eq!(err.problems().len(), 2);
    assert_eq!(err.problems()[0].field, "add[0]");
    let err = db
        .store
        .change_scopes(&app.id, &[], &strings(&["tn.crm.leads:r"]))
        .unwrap_err();
    assert!(err.to_string().contains("not among"), "{err}");
    let err = db
        .store
        .change_scopes(
            &app.id,
            &[],
            &strings(&["tn.crm.customers:r", "tn.jpm.jobs:rw"]),
        )
        .unwrap_err();
    assert_eq!(err.field(), Some("scopes"));
    assert_eq!(db.snapshot(), before, "failed changes write nothing");
}

#[test]
fn preview_tells_the_version_and_the_connections_that_would_fall_behind() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("P")).unwrap();
    db.store
        .connect(&app.id, "1234", Environment::Integration)
        .unwrap();
    db.store
        .connect(&app.id, "1234", Environment::Production)
        .unwrap();
    let next = strings(&["tn.crm.customers:r", "tn.dis.capacity:w"]);
    let preview = db.store.preview_scopes(&app.id, &next).unwrap();
    assert_eq!(preview.next_version, Some(2));
    assert_eq!(preview.added, strings(&["tn.dis.capacity:w"]));
    assert_eq!(
        preview.removed,
        strings(&["tn.jpm.jobs:r", "tn.jpm.jobs:w"])
    );
    assert_eq!(preview.connections_behind, 2);
    assert_eq!(
        db.store.app(&app.id).unwrap().version,
        Some(1),
        "a preview writes nothing"
    );
    let change = db.store.set_scopes(&app.id, &next).unwrap();
    assert_eq!(change.connections_behind, 2);
}

#[test]
fn preview_returns_the_canonical_set_it_previewed() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("C")).unwrap();
    let typed = strings(&[
        "tn.crm.leads:rw",
        "tn.crm.customers:r",
        "tn.crm.customers:r",
    ]);
    let preview = db.store.preview_scopes(&app.id, &typed).unwrap();
    assert_eq!(
        preview.scopes,
        strings(&["tn.crm.customers:r", "tn.crm.leads:r", "tn.crm.leads:w"])
    );
    let saved = db.store.set_scopes(&app.id, &typed).unwrap();
    assert!(saved.new_version.is_some());
    assert_eq!(db.store.app(&app.id).unwrap().scopes, preview.scopes);
}

/// One step of a random edit sequence: scopes to add and to remove, drawn from
/// a small pool so that sequences revisit the same sets.
fn edit() -> impl Strategy<Value = (Vec<String>, Vec<String>)> {
    let pool: Vec<String> = [
        "tn.crm.customers:r",
        "tn.crm.customers:w",
        "tn.jpm.jobs:r",
        "tn.dis.capacity:w",
        "tn.crm.leads:rw",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    (
        proptest::sample::subsequence(pool.clone(), 0..=3),
        proptest::sample::subsequence(pool, 0..=2),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn versioning_follows_the_edits(edits in proptest::collection::vec(edit(), 0..12)) {
        let db = TestDb::new();
        let app = db.store.create_app(&input("Prop")).unwrap();
        let key = app.app_key.clone();
        let catalog = Catalog::embedded();
        let mut expected = ScopeSet::parse_checked(&app.scopes, &catalog, "s").unwrap();
        let mut changed = 0;
        for (add, remove) in edits {
            let present: Vec<String> = remove
                .into_iter()
                .filter(|r| {
                    let set = ScopeSet::parse_checked(&[r.as_str()], &catalog, "s").unwrap();
                    set.iter().any(|s| expected.contains(s))
                })
                .collect();
            let mut next = expected.clone();
            for s in ScopeSet::parse_checked(&add, &catalog, "s").unwrap().iter() {
                next.insert(s.clone());
            }
            for s in ScopeSet::parse_checked(&present, &catalog, "s").unwrap().iter() {
                next.remove(s);
            }
            match db.store.change_scopes(&app.id, &add, &present) {
                Ok(change) => {
                    prop_assert!(!next.is_empty());
                    prop_assert_eq!(change.new_version.is_some(), next != expected);
                    if next != expected { changed += 1; }
                    expected = next;
                }
                Err(e) => {
                    prop_assert!(next.is_empty(), "unexpected error {}", e);
                    prop_assert_eq!(e.field(), Some("scopes"));
                }
            }
        }
        let now = db.store.app(&app.id).unwrap();
        prop_assert_eq!(now.version, Some(1 + changed));
        prop_assert_eq!(now.app_key, key);
        prop_assert_eq!(&now.scopes, &expected.to_strings());
        // Replaying added/removed from version 1 gives the current scopes.
        let mut replay = ScopeSet::new();
        for entry in db.store.history(&app.id).unwrap() {
            let added = ScopeSet::from_stored(&entry.added);
            let removed = ScopeSet::from_stored(&entry.removed);
            replay = replay.apply(&appdesk_core::ScopeDiff { added, removed });
            prop_assert_eq!(replay.to_strings(), entry.scopes);
        }
        prop_assert_eq!(replay, expected);
    }
}
