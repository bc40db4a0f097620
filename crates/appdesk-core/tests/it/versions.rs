//! R2 (scopes), R5 (versions) and R6 (history), including property tests of
//! versioning over arbitrary edit sequences.

use std::collections::BTreeSet;

use crate::common::{TestDb, input, strings};
use appdesk_core::Environment;
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
/// a small pool so that sequences revisit the same sets. Removals are drawn from
/// the whole pool, so that some name scopes the app does not have.
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

/// The model's reading of a scope string, by string operations only (not the
/// crate's parser): `name:rw` is `name:r` and `name:w`.
fn expand(scope: &str) -> Vec<String> {
    match scope.strip_suffix(":rw") {
        Some(name) => vec![format!("{name}:r"), format!("{name}:w")],
        None => vec![scope.to_owned()],
    }
}

type Model = BTreeSet<String>;

fn model_of(scopes: &[String]) -> Model {
    scopes.iter().flat_map(|s| expand(s)).collect()
}

/// What the model says an edit does: `Err(indices)` of the removals naming no
/// scope the app has; else the next set (which may be empty, also an error).
fn model_edit(now: &Model, add: &[String], remove: &[String]) -> Result<Model, Vec<usize>> {
    let missing: Vec<usize> = remove
        .iter()
        .enumerate()
        .filter(|(_, r)| !expand(r).iter().any(|s| now.contains(s)))
        .map(|(i, _)| i)
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut next = now.clone();
    next.extend(add.iter().flat_map(|s| expand(s)));
    for s in remove.iter().flat_map(|s| expand(s)) {
        next.remove(&s);
    }
    Ok(next)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn versioning_follows_the_edits(edits in proptest::collection::vec(edit(), 0..12)) {
        let db = TestDb::new();
        let first = input("Prop");
        let app = db.store.create_app(&first).unwrap();
        let key = app.app_key.clone();
        // The model: every version's scope set, by string operations alone.
        let mut versions: Vec<Model> = vec![model_of(&first.scopes)];
        for (add, remove) in edits {
            let now = versions.last().unwrap().clone();
            let before = db.snapshot();
            let result = db.store.change_scopes(&app.id, &add, &remove);
            match (model_edit(&now, &add, &remove), result) {
                (Ok(next), Ok(change)) => {
                    prop_assert!(!next.is_empty(), "emptied to {:?}", change.app.scopes);
                    prop_assert_eq!(change.new_version.is_some(), next != now);
                    prop_assert_eq!(model_of(&change.app.scopes), next.clone());
                    if next != now {
                        versions.push(next);
                    }
                }
                (model, Err(e)) => {
                    match model {
                        Err(missing) => {
                            let fields: Vec<String> =
                                missing.iter().map(|i| format!("remove[{i}]")).collect();
                            let got: Vec<String> =
                                e.problems().iter().map(|p| p.field.clone()).collect();
                            prop_assert_eq!(got, fields, "{}", e);
                        }
                        Ok(next) => {
                            prop_assert!(next.is_empty(), "unexpected error {}", e);
                            prop_assert_eq!(e.field(), Some("scopes"));
                        }
                    }
                    prop_assert_eq!(db.snapshot(), before, "a refused edit changes nothing");
                }
                (Err(missing), Ok(change)) => {
                    prop_assert!(false, "removals {:?} name absent scopes, yet {:?}", missing, change.new_version);
                }
            }
        }
        let now = db.store.app(&app.id).unwrap();
        prop_assert_eq!(now.version, Some(versions.len() as i64));
        prop_assert_eq!(now.app_key, key);
        prop_assert_eq!(model_of(&now.scopes), versions.last().unwrap().clone());
        // History: each version's full set, and its diff against the one before.
        let history = db.store.history(&app.id).unwrap();
        prop_assert_eq!(history.len(), versions.len());
        let empty = Model::new();
        for (i, entry) in history.iter().enumerate() {
            let previous = if i == 0 { &empty } else { &versions[i - 1] };
            let set = &versions[i];
            prop_assert_eq!(entry.version, i as i64 + 1);
            prop_assert_eq!(model_of(&entry.scopes), set.clone());
            prop_assert_eq!(model_of(&entry.added), set - previous);
            prop_assert_eq!(model_of(&entry.removed), previous - set);
        }
    }
}
