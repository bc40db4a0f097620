//! R7: tenants are added and removed at any time, with no version and no key change.

use crate::common::{TestDb, input};
use appdesk_core::{AppInput, Environment, TenantAdd, TenantEntry};

fn add(arg: &str) -> TenantAdd {
    TenantAdd::parse_arg(arg)
}

#[test]
fn r7_adding_and_removing_tenants_makes_no_version_and_keeps_the_key() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("T")).unwrap();
    let after = db
        .store
        .change_tenants(
            &app.id,
            &[add("4294967296=big one"), add("0042")],
            &["1234".into()],
        )
        .unwrap();
    let ids: Vec<_> = after.tenants.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        ["0042", "4294967296", "9876543210123"],
        "stored as text: leading zeros and >32 bits kept"
    );
    assert_eq!(after.tenants[1].note, "big one");
    assert_eq!(after.version, Some(1));
    assert_eq!(after.app_key, app.app_key);
    assert_eq!(db.store.history(&app.id).unwrap().len(), 1);
}

#[test]
fn r7_a_note_is_kept_unless_given_and_changed_when_given() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("N")).unwrap();
    let kept = db
        .store
        .change_tenants(&app.id, &[add("1234")], &[])
        .unwrap();
    assert_eq!(kept.tenants[0].note, "HQ");
    let changed = db
        .store
        .change_tenants(&app.id, &[add("1234=Main office")], &[])
        .unwrap();
    assert_eq!(changed.tenants[0].note, "Main office");
    let cleared = db
        .store
        .change_tenants(&app.id, &[add("1234=")], &[])
        .unwrap();
    assert_eq!(cleared.tenants[0].note, "");
}

#[test]
fn r7_bad_tenant_input_is_refused_whole() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("B")).unwrap();
    let before = db.snapshot();
    let err = db
        .store
        .change_tenants(&app.id, &[add("77"), add("x1"), add("77")], &["55".into()])
        .unwrap_err();
    let fields: Vec<_> = err.problems().iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["add[1].id", "add[2].id"]);
    let err = db
        .store
        .change_tenants(&app.id, &[], &["55".into()])
        .unwrap_err();
    assert_eq!(err.field(), Some("remove[0]"));
    let err = db
        .store
        .change_tenants(&app.id, &[], &["1234".into(), "9876543210123".into()])
        .unwrap_err();
    assert_eq!(
        err.field(),
        Some("tenants"),
        "a created app keeps at least one tenant"
    );
    let many: Vec<TenantAdd> = (0..199).map(|i| add(&format!("{}", 100_000 + i))).collect();
    let err = db.store.change_tenants(&app.id, &many, &[]).unwrap_err();
    assert!(err.to_string().contains("at most 200"), "{err}");
    assert_eq!(db.snapshot(), before);
}

#[test]
fn removing_a_tenant_ends_its_connections() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("C")).unwrap();
    db.store
        .connect(&app.id, "1234", Environment::Integration)
        .unwrap();
    db.store
        .connect(&app.id, "9876543210123", Environment::Production)
        .unwrap();
    db.store
        .change_tenants(&app.id, &[], &["1234".into()])
        .unwrap();
    let left: Vec<_> = db
        .store
        .connections(&app.id)
        .unwrap()
        .into_iter()
        .map(|c| c.tenant_id)
        .collect();
    assert_eq!(left, ["9876543210123"]);
    let log = db.store.activity(Some(&app.id), 1).unwrap();
    assert!(
        log[0].summary.contains("1 connection(s) ended"),
        "{}",
        log[0].summary
    );
}

#[test]
fn a_drafts_tenants_change_as_typed() {
    let db = TestDb::new();
    let draft = db
        .store
        .save_draft(&AppInput {
            tenants: vec![TenantEntry::new("1", "")],
            ..AppInput::default()
        })
        .unwrap();
    let draft = db
        .store
        .change_tenants(&draft.id, &[add("2=two")], &["1".into()])
        .unwrap();
    assert_eq!(draft.tenants, vec![TenantEntry::new("2", "two")]);
    assert!(
        draft
            .problems
            .iter()
            .all(|p| !p.field.starts_with("tenants"))
    );
}
