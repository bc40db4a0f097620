//! A pull applied by the store (`Store::sync_apply`), with the portal's side
//! given as data: what it writes locally, what it queues (never the pulled
//! change itself), and what it never does (delete a never-synced app). The
//! oracle is the database file read with SQL and the store's own views.

use appdesk_core::exchange::VersionRecord;
use appdesk_core::store::{Ack, PortalApp, Theirs};
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

#[test]
fn a_cursor_that_is_not_one_or_goes_back_an_epoch_is_never_kept_and_the_page_not_applied() {
    let db = linked();
    let id = "01a2aaaa-0000-7000-8000-000000000004";
    let good = || Theirs {
        app_id: id.to_owned(),
        app: Some(portal_app(id, "Good", 1)),
        mutation: None,
    };
    db.store.sync_apply("origin", &[], Some("2.40.1")).unwrap();
    let before = db.snapshot();
    for bad in [
        "x",
        "",
        "1.2.3.4",
        "-1.2",
        "1..2",
        "01a2.b.c",
        "1.2\u{1b}",
        "1.40.2",
    ] {
        let err = db
            .store
            .sync_apply("origin", &[good()], Some(bad))
            .unwrap_err();
        assert_eq!(err.code(), "invalid", "{bad:?}: {err}");
        assert!(err.to_string().contains("cursor"), "{bad:?}: {err}");
        assert_eq!(db.snapshot(), before, "{bad:?}: nothing written");
    }
    assert_eq!(
        db.store.sync_link(None).unwrap().cursor.as_deref(),
        Some("2.40.1"),
        "the kept cursor is the last good one"
    );
    db.store
        .sync_apply("origin", &[good()], Some("3.1.1"))
        .expect("a later epoch is kept");
    assert_eq!(count(&db, "SELECT count(*) FROM apps"), 1);
}

#[test]
fn a_pull_that_would_change_an_apps_id_or_key_is_kept_aside_and_changes_nothing_of_the_app() {
    let db = linked();
    let id = "01a2aaaa-0000-7000-8000-000000000005";
    let at = |revision: i64, key: &str, snapshot_id: &str| {
        let mut app = portal_app(id, "Renamed", revision);
        app.snapshot.app_key = key.to_owned();
        app.snapshot.id = snapshot_id.to_owned();
        app.history = None;
        Theirs {
            app_id: id.to_owned(),
            app: Some(app),
            mutation: None,
        }
    };
    let first = Theirs {
        app_id: id.to_owned(),
        app: Some(portal_app(id, "Board", 1)),
        mutation: None,
    };
    db.store
        .sync_apply("origin", &[first], Some("0.1.1"))
        .unwrap();
    let app_rows = |db: &TestDb| -> Vec<(String, String, i64)> {
        let conn = Connection::open(db.path()).unwrap();
        let mut stmt = conn
            .prepare("SELECT name, app_key, revision FROM apps ORDER BY id")
            .unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)));
        rows.unwrap().map(Result::unwrap).collect()
    };
    let before = app_rows(&db);
    let other = "01a2aaaa-0000-7000-8000-0000000000ff";
    for (i, (theirs, field)) in [
        (at(2, "ak1.zzzzzzzzzzzzzzzzzzzzzzzzz", id), "appKey"),
        (at(3, "", id), "appKey"),
        (at(4, "ak1.abcdefghijklmnopqrstuvwxy", other), "id"),
    ]
    .into_iter()
    .enumerate()
    {
        let cursor = format!("0.{}.1", i + 2);
        db.store
            .sync_apply("origin", &[theirs], Some(&cursor))
            .expect("the page goes on");
        assert_eq!(app_rows(&db), before, "{field}: the app as it was");
        let kept = db.store.sync_quarantined("origin").unwrap();
        assert_eq!(kept.len(), 1, "{field}: {kept:?}");
        assert_eq!(kept[0].app, id);
        assert!(
            kept[0].reason.contains(&format!("apps[{id}].{field}")),
            "{field}: {}",
            kept[0].reason
        );
        assert_eq!(
            db.store.sync_link(None).unwrap().cursor,
            Some(cursor),
            "the cursor moves on past it"
        );
    }
    assert_eq!(
        before[0].1, "ak1.abcdefghijklmnopqrstuvwxy",
        "the key seen first"
    );
}

/// The portal's answer to a write as the sync engine stores it.
fn answered(app: &appdesk_core::store::Queued, key: &str, revision: i64) -> Ack {
    let mut p = portal_app(&app.app_id, "Board", revision);
    p.snapshot.app_key = key.to_owned();
    p.history = None;
    Ack::App(Box::new(p))
}

#[test]
fn only_the_answer_to_a_create_may_set_the_key_and_an_edits_answer_cannot_change_it() {
    let db = linked();
    let created = db.store.create_app(&input("Board")).unwrap();
    let queued = db.store.sync_queued("origin").unwrap();
    assert_eq!(queued.len(), 1, "the create");
    let portal_key = "ak1.ppppppppppppppppppppppppp";
    // The portal decides keys: the answer to the create may choose one.
    db.store
        .sync_acknowledge(
            "origin",
            queued[0].seq,
            &answered(&queued[0], portal_key, 1),
        )
        .expect("the create's answer is stored");
    let key: String = Connection::open(db.path())
        .unwrap()
        .query_row("SELECT app_key FROM apps", [], |r| r.get(0))
        .unwrap();
    assert_eq!(key, portal_key, "the key the portal chose at creation");
    let edit = appdesk_core::AppEdit {
        name: Some("Board 2".into()),
        ..Default::default()
    };
    db.store.edit_app(&created.id, &edit).unwrap();
    let queued = db.store.sync_queued("origin").unwrap();
    assert_eq!(queued.len(), 1, "the edit");
    let before = db.snapshot();
    let err = db
        .store
        .sync_acknowledge(
            "origin",
            queued[0].seq,
            &answered(&queued[0], "ak1.zzzzzzzzzzzzzzzzzzzzzzzzz", 2),
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid", "{err}");
    assert_eq!(
        db.snapshot(),
        before,
        "nothing stored, the edit still queued"
    );
    assert_eq!(db.store.sync_pending("origin").unwrap(), 1);
}
