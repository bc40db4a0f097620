//! A pull applied by the store (`Store::sync_apply`), with the portal's side
//! given as data: what it writes locally, what it queues (never the pulled
//! change itself), and what it never does (delete a never-synced app). The
//! oracle is the database file read with SQL and the store's own views.

use appdesk_core::exchange::VersionRecord;
use appdesk_core::store::{PortalApp, Theirs};
use appdesk_core::sync::Snapshot;
use rusqlite::Connection;

use crate::common::{TestDb, input};

fn linked() -> TestDb {
    let db = TestDb::new();
    db.store
        .add_remote("origin", "https://portal.example", "adp_x_token")
        .unwrap();
    db
}

fn count(db: &TestDb, sql: &str) -> i64 {
    Connection::open(db.path())
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

fn portal_app(id: &str, name: &str, revision: i64) -> PortalApp {
    PortalApp {
        snapshot: Snapshot {
            id: id.to_owned(),
            app_key: "ak1.abcdefghijklmnopqrstuvwxy".to_owned(),
            name: name.to_owned(),
            organization: "Acme".to_owned(),
            homepage_url: "https://acme.example/".to_owned(),
            audience: Default::default(),
            credentials: Default::default(),
            scopes: ["tn.crm.customers:r".to_owned()].into(),
            tenants: [("1234".to_owned(), String::new())].into(),
        },
        revision,
        version: 1,
        created_at: "2026-01-02T03:04:05.000Z".to_owned(),
        history: Some(vec![VersionRecord {
            version: 1,
            scopes: vec!["tn.crm.customers:r".to_owned()],
            created_at: "2026-01-02T03:04:05.000Z".to_owned(),
            created_by: "portal-user".to_owned(),
        }]),
    }
}

#[test]
fn a_pulled_app_is_written_with_the_portals_history_and_queues_nothing() {
    let db = linked();
    let id = "01a2aaaa-0000-7000-8000-000000000001";
    let theirs = Theirs {
        app_id: id.to_owned(),
        app: Some(portal_app(id, "From the portal", 3)),
        mutation: None,
    };
    let pulled = db
        .store
        .sync_apply("origin", &[theirs], Some("0.5.1"))
        .unwrap();
    assert_eq!(pulled[0].what, "added");
    let app = db.store.app(id).unwrap();
    assert_eq!(app.name, "From the portal");
    assert_eq!(app.created_at, "2026-01-02T03:04:05.000Z");
    let history = db.store.history(id).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].created_by.as_str(), history[0].pending),
        ("portal-user", false)
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM outbox"),
        0,
        "a pull queues no intent"
    );
    assert_eq!(count(&db, "SELECT revision FROM sync_bases"), 3);
    assert_eq!(
        db.store.sync_link(None).unwrap().cursor.as_deref(),
        Some("0.5.1")
    );
}

#[test]
fn a_deletion_pulled_for_a_never_synced_app_deletes_nothing() {
    let db = linked();
    let app = db.store.create_app(&input("Mine only")).unwrap();
    let gone = Theirs {
        app_id: app.id.clone(),
        app: None,
        mutation: None,
    };
    let pulled = db.store.sync_apply("origin", &[gone], None).unwrap();
    assert!(pulled.is_empty(), "{pulled:?}");
    assert_eq!(db.store.app(&app.id).unwrap().name, "Mine only");
    assert_eq!(
        count(&db, "SELECT count(*) FROM outbox"),
        1,
        "its creation stays queued"
    );
}

#[test]
fn a_deletion_pulled_for_a_synced_untouched_app_deletes_it_and_retires_its_key() {
    let db = linked();
    let id = "01a2aaaa-0000-7000-8000-000000000002";
    let app = portal_app(id, "Shared", 1);
    let theirs = Theirs {
        app_id: id.to_owned(),
        app: Some(app),
        mutation: None,
    };
    db.store.sync_apply("origin", &[theirs], None).unwrap();
    let gone = Theirs {
        app_id: id.to_owned(),
        app: None,
        mutation: None,
    };
    let pulled = db.store.sync_apply("origin", &[gone], None).unwrap();
    assert_eq!(pulled[0].what, "deleted");
    assert!(db.store.app(id).is_err());
    assert_eq!(count(&db, "SELECT count(*) FROM tombstones"), 1);
    assert_eq!(
        count(&db, "SELECT count(*) FROM outbox"),
        0,
        "nothing to push"
    );
}

#[test]
fn a_pulled_app_that_breaks_a_rule_is_refused_naming_it_and_nothing_is_written() {
    let db = linked();
    let id = "01a2aaaa-0000-7000-8000-000000000003";
    let mut bad = portal_app(id, "Bad", 1);
    bad.snapshot.scopes = ["tn.no.such:r".to_owned()].into();
    let before = db.snapshot();
    let err = db
        .store
        .sync_apply(
            "origin",
            &[Theirs {
                app_id: id.to_owned(),
                app: Some(bad),
                mutation: None,
            }],
            Some("0.9.9"),
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(err.to_string().contains(id), "{err}");
    assert_eq!(db.snapshot(), before);
    assert_eq!(
        db.store.sync_link(None).unwrap().cursor,
        None,
        "the cursor did not move"
    );
}
