//! Stored conflicts resolved through the decisions: the app as the oracle
//! (`Store::app`), and the outbox and conflict tables read with SQL.

use appdesk_core::ErrorCode;
use appdesk_core::sync::Conflict;
use appdesk_core::sync::resolve::Take;
use appdesk_core::{AppEdit, Store};
use rusqlite::Connection;

use crate::common::{TestDb, input};

const TOKEN: &str = "adp_1a2b3c4d_SuperSecretPortalToken42";
const EXTRA: &str = "tn.dis.capacity:w";

fn conflict(field: &str, mine: Option<&str>, theirs: Option<&str>) -> Conflict {
    Conflict {
        field: field.to_owned(),
        mine: mine.map(str::to_owned),
        theirs: theirs.map(str::to_owned),
        base: None,
    }
}

/// A linked database with app "Mine" (tenants 1234 "HQ" and one more, an
/// extra scope), as after a sync: nothing queued.
fn synced() -> (TestDb, String) {
    let db = TestDb::new();
    db.store
        .add_remote("origin", "https://portal.example", TOKEN)
        .unwrap();
    let app = db.store.create_app(&input("Mine")).unwrap();
    db.store
        .change_scopes(&app.id, &[EXTRA.to_owned()], &[])
        .unwrap();
    sql(&db).execute("DELETE FROM outbox", []).unwrap();
    (db, app.id)
}

fn sql(db: &TestDb) -> Connection {
    Connection::open(db.path()).unwrap()
}

/// The kinds and JSON of the queued intents.
fn queued(db: &TestDb) -> Vec<serde_json::Value> {
    let conn = sql(db);
    let mut stmt = conn
        .prepare("SELECT intent FROM outbox ORDER BY seq")
        .unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|t| serde_json::from_str(&t.unwrap()).unwrap())
        .collect()
}

fn fields(store: &Store) -> Vec<String> {
    store
        .conflicts()
        .unwrap()
        .into_iter()
        .map(|c| c.field)
        .collect()
}

#[test]
fn taking_theirs_gives_the_app_the_portals_values_and_queues_nothing() {
    let (db, id) = synced();
    db.store
        .record_conflicts(
            &id,
            &[
                conflict("name", Some("Mine"), Some("Theirs")),
                conflict(&format!("scopes[{EXTRA}]"), Some(EXTRA), None),
                conflict("tenants[1234]", Some("HQ"), Some("Head office")),
            ],
        )
        .unwrap();
    assert_eq!(fields(&db.store).len(), 3);
    let done = db
        .store
        .resolve_conflicts("Mine", None, &Take::Theirs)
        .unwrap();
    assert_eq!(done.resolved.len(), 3);
    assert_eq!(done.remaining, 0);
    let app = db.store.app(&id).unwrap();
    assert_eq!(app.name, "Theirs");
    assert!(!app.scopes.contains(&EXTRA.to_owned()), "{:?}", app.scopes);
    assert_eq!(app.version, Some(3), "a scope change is a version (R5)");
    assert_eq!(app.tenants[0].note, "Head office");
    assert!(queued(&db).is_empty(), "the portal has these already");
    assert!(fields(&db.store).is_empty());
}

#[test]
fn taking_mine_keeps_the_app_and_queues_mine_for_the_next_push() {
    let (db, id) = synced();
    db.store
        .record_conflicts(
            &id,
            &[
                conflict("name", Some("Mine"), Some("Theirs")),
                conflict("tenants[1234]", Some("HQ"), None),
            ],
        )
        .unwrap();
    let before = db.store.app(&id).unwrap();
    let done = db
        .store
        .resolve_conflicts(&id, Some("name"), &Take::Mine)
        .unwrap();
    assert_eq!(done.remaining, 1);
    assert_eq!(
        db.store.app(&id).unwrap(),
        before,
        "the local app already has mine"
    );
    let q = queued(&db);
    assert_eq!(q.len(), 1);
    assert_eq!(
        (q[0]["kind"].as_str(), q[0]["fields"]["name"].as_str()),
        (Some("fields"), Some("Mine"))
    );
    db.store.resolve_conflicts(&id, None, &Take::Mine).unwrap();
    let q = queued(&db);
    assert_eq!(
        q[1]["add"],
        serde_json::json!([{"id": "1234", "note": "HQ"}])
    );
    assert!(fields(&db.store).is_empty());
}

#[test]
fn a_value_of_ones_own_goes_through_the_field_rules_and_a_bad_one_changes_nothing() {
    let (db, id) = synced();
    db.store
        .record_conflicts(
            &id,
            &[conflict(
                "homepageUrl",
                Some("https://a.example"),
                Some("https://b.example"),
            )],
        )
        .unwrap();
    let before = db.snapshot();
    let err = db
        .store
        .resolve_conflicts(&id, Some("homepageUrl"), &Take::Value("not a url".into()))
        .unwrap_err();
    assert_eq!(
        (err.code(), err.body().field.as_deref()),
        (ErrorCode::Invalid, Some("homepageUrl")),
        "{err}"
    );
    assert_eq!(db.snapshot(), before);
    assert_eq!(fields(&db.store), ["homepageUrl"], "the conflict stays");
    db.store
        .resolve_conflicts(
            &id,
            Some("homepageUrl"),
            &Take::Value("https://c.example".into()),
        )
        .unwrap();
    assert_eq!(
        db.store.app(&id).unwrap().homepage_url,
        "https://c.example/"
    );
    assert_eq!(
        queued(&db)[0]["fields"]["homepageUrl"],
        "https://c.example/"
    );
}

#[test]
fn a_scope_takes_a_side_not_a_value_and_unknown_fields_are_named() {
    let (db, id) = synced();
    let scope = format!("scopes[{EXTRA}]");
    db.store
        .record_conflicts(&id, &[conflict(&scope, Some(EXTRA), None)])
        .unwrap();
    let err = db
        .store
        .resolve_conflicts(&id, Some(&scope), &Take::Value("x".into()))
        .unwrap_err();
    assert_eq!(err.body().field.as_deref(), Some("value"));
    let err = db
        .store
        .resolve_conflicts(&id, Some("name"), &Take::Mine)
        .unwrap_err();
    assert_eq!(err.body().field.as_deref(), Some("field"));
    assert_eq!(fields(&db.store), [scope]);
}

#[test]
fn taking_the_deleting_side_of_a_delete_against_edit_deletes_the_app_and_queues_it() {
    let (db, id) = synced();
    db.store
        .edit_app(
            &id,
            &AppEdit {
                name: Some("Edited".into()),
                ..AppEdit::default()
            },
        )
        .unwrap();
    sql(&db).execute("DELETE FROM outbox", []).unwrap();
    db.store
        .record_conflicts(
            &id,
            &[
                conflict("app", None, Some("Edited")),
                conflict("name", Some("x"), Some("y")),
            ],
        )
        .unwrap();
    db.store.resolve_conflicts(&id, None, &Take::Mine).unwrap();
    assert_eq!(db.store.app(&id).unwrap_err().code(), "not_found");
    let kinds: Vec<_> = queued(&db)
        .iter()
        .map(|q| q["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds, ["delete"]);
    assert!(
        fields(&db.store).is_empty(),
        "a deleted app has no conflicts left"
    );
}

#[test]
fn an_unlinked_database_has_no_conflicts_to_resolve() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Board")).unwrap();
    assert!(db.store.conflicts().unwrap().is_empty());
    let err = db
        .store
        .resolve_conflicts(&app.id, None, &Take::Mine)
        .unwrap_err();
    assert_eq!(err.code(), "not_allowed");
    assert_eq!(
        db.store.record_conflicts(&app.id, &[]).unwrap_err().code(),
        "not_allowed"
    );
}
