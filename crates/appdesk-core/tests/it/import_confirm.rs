//! An import's confirmation is bound to the plan that was shown (its
//! fingerprint), and a plan says when it makes a second app of a name.

use std::path::{Path, PathBuf};

use crate::common::{TestDb, input};
use appdesk_core::exchange::ExportFormat;
use appdesk_core::{Error, ImportMode, ImportPlan, PlanAction};

fn plan(db: &TestDb, paths: &[PathBuf]) -> ImportPlan {
    db.store
        .import_paths(paths, ImportMode::Plan, |_, _, _| {})
        .unwrap()
}

fn apply(db: &TestDb, paths: &[PathBuf], expect: &str) -> Result<ImportPlan, Error> {
    db.store.import_paths(
        paths,
        ImportMode::Apply {
            expect: Some(expect),
        },
        |_, _, _| {},
    )
}

/// Exports the app named `name` to `dir` and rewrites its homepage there.
fn exported_with_homepage(db: &TestDb, name: &str, dir: &Path, homepage: &str) -> PathBuf {
    let path = dir.join("app.json");
    let mut doc = db
        .store
        .export_documents(Some(name), false)
        .unwrap()
        .remove(0);
    doc.homepage_url = homepage.to_owned();
    std::fs::write(
        &path,
        appdesk_core::exchange::render(&doc, ExportFormat::Appdesk),
    )
    .unwrap();
    path
}

#[test]
fn a_confirmation_is_refused_when_the_files_changed_after_the_plan_was_shown() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Dispatch Board")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = exported_with_homepage(&db, "Dispatch Board", dir.path(), "https://shown.example");
    let shown = plan(&db, std::slice::from_ref(&file));
    assert_eq!(shown.apps[0].changes[0].to, "https://shown.example/");

    exported_with_homepage(&db, "Dispatch Board", dir.path(), "https://swapped.example");
    let before = db.snapshot();
    let err = apply(&db, std::slice::from_ref(&file), &shown.fingerprint).unwrap_err();
    assert!(matches!(err, Error::PlanChanged { .. }), "{err:?}");
    assert_eq!(err.code(), "plan_changed");
    assert_eq!(db.snapshot(), before, "nothing was written");

    let now = plan(&db, std::slice::from_ref(&file));
    assert_ne!(now.fingerprint, shown.fingerprint);
    assert_eq!(now.apps[0].changes[0].to, "https://swapped.example/");
    apply(&db, std::slice::from_ref(&file), &now.fingerprint).unwrap();
    assert_eq!(
        db.store.app(&app.id).unwrap().homepage_url,
        "https://swapped.example/"
    );
}

#[test]
fn a_confirmation_is_refused_when_the_database_changed_after_the_plan_was_shown() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Dispatch Board")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = exported_with_homepage(&db, "Dispatch Board", dir.path(), "https://new.example");
    let shown = plan(&db, std::slice::from_ref(&file));
    // Another process changes the scopes: the import would now also undo that.
    db.reopen("bob")
        .change_scopes(&app.id, &["tn.crm.leads:r".to_owned()], &[])
        .unwrap();
    let before = db.snapshot();
    let err = apply(&db, std::slice::from_ref(&file), &shown.fingerprint).unwrap_err();
    assert!(matches!(err, Error::PlanChanged { .. }), "{err:?}");
    assert_eq!(db.snapshot(), before);
}

#[test]
fn the_plan_that_was_shown_is_applied_when_nothing_changed() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Dispatch Board")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = exported_with_homepage(&db, "Dispatch Board", dir.path(), "https://new.example");
    let shown = plan(&db, std::slice::from_ref(&file));
    assert_eq!(shown.fingerprint.len(), 64, "{}", shown.fingerprint);
    assert_eq!(
        plan(&db, std::slice::from_ref(&file)).fingerprint,
        shown.fingerprint,
        "the same files and database give the same fingerprint"
    );
    let applied = apply(&db, std::slice::from_ref(&file), &shown.fingerprint).unwrap();
    assert_eq!(applied.fingerprint, shown.fingerprint);
    assert_eq!(
        db.store.app(&app.id).unwrap().homepage_url,
        "https://new.example/"
    );
}

/// A created app's file with no id and no app key: every import makes a new app.
fn anonymous_file(dir: &Path, file: &str) -> PathBuf {
    let path = dir.join(file);
    let text = r#"{
  "format": "appdesk.app/v1",
  "status": "created",
  "name": "Crew Tracker",
  "organization": "Acme",
  "homepageUrl": "https://acme.example",
  "audience": "private",
  "credentials": "tenant",
  "scopes": ["tn.crm.customers:r"],
  "tenants": [{"id": "1234", "note": ""}]
}
"#;
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn importing_a_file_without_id_or_key_twice_warns_of_the_same_name() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = vec![anonymous_file(dir.path(), "crew.json")];
    let first = plan(&db, &file);
    assert!(
        first.apps[0].warnings.is_empty(),
        "{:?}",
        first.apps[0].warnings
    );
    apply(&db, &file, &first.fingerprint).unwrap();

    let second = plan(&db, &file);
    assert_eq!(second.apps[0].action, PlanAction::Create);
    let warnings = &second.apps[0].warnings;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("another app named \"Crew Tracker\" exists"),
        "{warnings:?}"
    );
}

#[test]
fn two_files_making_apps_of_one_name_in_one_import_are_warned_of() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let files = vec![
        anonymous_file(dir.path(), "a.json"),
        anonymous_file(dir.path(), "b.json"),
    ];
    let plan = plan(&db, &files);
    assert!(
        plan.apps[0].warnings.is_empty(),
        "{:?}",
        plan.apps[0].warnings
    );
    let warnings = &plan.apps[1].warnings;
    assert!(
        warnings.len() == 1
            && warnings[0].contains("a.json")
            && warnings[0].contains("Crew Tracker"),
        "{warnings:?}"
    );
}

#[test]
fn renaming_an_app_to_the_name_of_another_is_warned_of() {
    let db = TestDb::new();
    db.store.create_app(&input("Crew Tracker")).unwrap();
    db.store.create_app(&input("Dispatch Board")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("board.json");
    let mut doc = db
        .store
        .export_documents(Some("Dispatch Board"), false)
        .unwrap()
        .remove(0);
    doc.name = "crew tracker".into();
    std::fs::write(
        &path,
        appdesk_core::exchange::render(&doc, ExportFormat::Appdesk),
    )
    .unwrap();
    let plan = plan(&db, &[path]);
    assert_eq!(plan.apps[0].action, PlanAction::Update);
    assert!(
        plan.apps[0].warnings[0].contains("another app named \"Crew Tracker\""),
        "{:?}",
        plan.apps[0].warnings
    );
}
