//! The outbox (SYNC.md §2), read straight from the database file with SQL as
//! the oracle: a linked database queues one intent per local change, in
//! order, in the same transaction; a never-linked one queues nothing.

use appdesk_core::exchange::{self, ExportFormat};
use appdesk_core::{AppEdit, AppInput, Catalog, TenantAdd, TenantEntry};
use rusqlite::Connection;
use serde_json::{Value, json};

use crate::common::{TestDb, input, strings};

const TOKEN: &str = "adp_1a2b3c4d_SuperSecretPortalToken42";

/// One outbox row: `(kind, app_id, base_revision, local_revision, version,
/// intent)`.
type Row = (String, String, Option<i64>, i64, Option<i64>, Value);

/// The outbox rows in order, and their idempotency keys.
fn outbox(db: &TestDb) -> (Vec<Row>, Vec<String>) {
    let conn = Connection::open(db.path()).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT app_id, base_revision, local_revision, version, intent, idempotency_key
             FROM outbox ORDER BY seq",
        )
        .unwrap();
    let rows: Vec<_> = stmt
        .query_map([], |r| {
            let intent: String = r.get(4)?;
            let intent: Value = serde_json::from_str(&intent).unwrap();
            Ok((
                (
                    intent["kind"].as_str().unwrap().to_owned(),
                    r.get::<_, String>(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    intent,
                ),
                r.get::<_, String>(5)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    rows.into_iter().unzip()
}

fn count(db: &TestDb, table: &str) -> i64 {
    let conn = Connection::open(db.path()).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// Every kind of change: create, edit, scopes, tenants, connect, delete, and
/// a draft made and created.
fn every_kind_of_change(db: &TestDb) -> String {
    let s = &db.store;
    let app = s.create_app(&input("Dispatch Board")).unwrap();
    s.edit_app(
        &app.id,
        &AppEdit {
            name: Some("Field Pro".into()),
            ..AppEdit::default()
        },
    )
    .unwrap();
    s.change_scopes(
        &app.id,
        &strings(&["tn.dis.capacity:w"]),
        &strings(&["tn.jpm.jobs:w"]),
    )
    .unwrap();
    s.change_tenants(
        &app.id,
        &[TenantAdd {
            id: "5555".into(),
            note: Some("new".into()),
        }],
        &strings(&["9876543210123"]),
    )
    .unwrap();
    let draft = s
        .save_draft(&AppInput {
            name: "Later".into(),
            ..AppInput::default()
        })
        .unwrap();
    s.update_draft(&draft.id, &input("Later")).unwrap();
    s.create_draft(&draft.id).unwrap();
    s.delete_app(&draft.id).unwrap();
    app.id
}

#[test]
fn a_database_never_linked_writes_nothing_for_sync() {
    let db = TestDb::new();
    every_kind_of_change(&db);
    for table in ["remotes", "sync_state", "outbox", "sync_bases", "conflicts"] {
        assert_eq!(count(&db, table), 0, "{table}");
    }
    let app = db.store.app("Field Pro").unwrap();
    let history = serde_json::to_value(db.store.history(&app.id).unwrap()).unwrap();
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v.get("pending").is_none()),
        "an unlinked history reads as before: {history}"
    );
}

#[test]
fn each_local_change_in_a_linked_database_queues_its_intent_in_order() {
    let db = TestDb::new();
    db.store
        .add_remote("origin", "http://127.0.0.1:8477", TOKEN)
        .unwrap();
    let id = every_kind_of_change(&db);
    let (rows, keys) = outbox(&db);
    let kinds: Vec<(&str, bool)> = rows.iter().map(|r| (r.0.as_str(), r.1 == id)).collect();
    assert_eq!(
        kinds,
        [
            ("create", true),
            ("fields", true),
            ("scopes", true),
            ("tenants", true),
            ("create", false),
            ("delete", false)
        ],
        "drafts are local: only the created draft's creation and deletion are queued"
    );
    let create = &rows[0].5["app"];
    assert_eq!(create["name"], "Dispatch Board");
    assert_eq!(create["id"], id.as_str());
    assert_eq!(
        create["appKey"],
        db.store.app(&id).unwrap().app_key.unwrap().as_str()
    );
    assert_eq!(
        create["scopes"],
        json!(["tn.crm.customers:r", "tn.jpm.jobs:r", "tn.jpm.jobs:w"])
    );
    assert_eq!(
        create["tenants"],
        json!({"1234": "HQ", "9876543210123": ""})
    );
    assert_eq!(rows[1].5["fields"]["name"], "Field Pro");
    assert_eq!(
        rows[1].5["fields"]["organization"],
        Value::Null,
        "only what changed"
    );
    assert_eq!(rows[2].5["add"], json!(["tn.dis.capacity:w"]));
    assert_eq!(rows[2].5["remove"], json!(["tn.jpm.jobs:w"]));
    assert_eq!(rows[3].5["add"], json!([{"id": "5555", "note": "new"}]));
    assert_eq!(rows[3].5["remove"], json!(["9876543210123"]));
    // Never synced: no base revision; local revisions 1..4; versions 1 and 2.
    let numbers: Vec<_> = rows[..4].iter().map(|r| (r.2, r.3, r.4)).collect();
    assert_eq!(
        numbers,
        [
            (None, 1, Some(1)),
            (None, 2, None),
            (None, 3, Some(2)),
            (None, 4, None)
        ]
    );
    for key in &keys {
        let uuid = uuid::Uuid::parse_str(key).expect("a UUID");
        assert_eq!(uuid.get_version_num(), 7, "{key}");
    }
    let distinct: std::collections::BTreeSet<_> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len(), "one idempotency key per intent");
    assert_eq!(db.store.remotes().unwrap()[0].pending, keys.len() as i64);
}

#[test]
fn a_refused_change_in_a_linked_database_queues_nothing() {
    let db = TestDb::new();
    db.store
        .add_remote("origin", "https://portal.example", TOKEN)
        .unwrap();
    let app = db.store.create_app(&input("Board")).unwrap();
    let before = outbox(&db).1;
    db.store
        .edit_app(
            &app.id,
            &AppEdit {
                name: Some(" ".into()),
                ..AppEdit::default()
            },
        )
        .unwrap_err();
    db.store
        .change_tenants(&app.id, &[], &strings(&["1234", "9876543210123"]))
        .unwrap_err();
    db.store
        .change_scopes(&app.id, &strings(&["tn.crm.customers:r"]), &[])
        .unwrap();
    assert_eq!(
        outbox(&db).1,
        before,
        "an error or a no-op change queues nothing"
    );
}

#[test]
fn linking_a_database_with_apps_queues_their_creation_and_marks_their_versions_pending() {
    let db = TestDb::new();
    let a = db.store.create_app(&input("Alpha")).unwrap();
    db.store
        .change_scopes(&a.id, &strings(&["tn.dis.capacity:w"]), &[])
        .unwrap();
    let b = db.store.create_app(&input("Beta")).unwrap();
    db.store
        .save_draft(&AppInput {
            name: "Draft".into(),
            ..AppInput::default()
        })
        .unwrap();
    assert!(db.store.history(&a.id).unwrap().iter().all(|v| !v.pending));

    let added = db
        .store
        .add_remote("origin", "https://portal.example", TOKEN)
        .unwrap();
    assert_eq!(added.queued_apps, 2, "the draft stays local");
    let (rows, _) = outbox(&db);
    let queued: Vec<_> = rows
        .iter()
        .map(|r| (r.0.as_str(), r.1.clone(), r.4))
        .collect();
    assert_eq!(
        queued,
        [
            ("create", a.id.clone(), Some(2)),
            ("create", b.id.clone(), Some(1))
        ]
    );
    assert_eq!(rows[0].5["app"]["scopes"].as_array().unwrap().len(), 4);
    let pending: Vec<_> = db
        .store
        .history(&a.id)
        .unwrap()
        .iter()
        .map(|v| (v.version, v.pending))
        .collect();
    assert_eq!(
        pending,
        [(1, true), (2, true)],
        "the portal has seen none of them"
    );
}

#[test]
fn a_scope_change_after_the_first_sync_is_the_only_pending_version() {
    let db = TestDb::new();
    db.store
        .add_remote("origin", "https://portal.example", TOKEN)
        .unwrap();
    let app = db.store.create_app(&input("Board")).unwrap();
    // What a sync does once the portal acknowledged the creation: the intent
    // leaves the outbox and the base records the portal's revision.
    let conn = Connection::open(db.path()).unwrap();
    conn.execute("DELETE FROM outbox", []).unwrap();
    conn.execute(
        "INSERT INTO sync_bases (remote, app_id, revision, snapshot, synced_at)
         VALUES ('origin', ?1, 7, '{}', '2026-11-30T00:00:00.000Z')",
        [&app.id],
    )
    .unwrap();
    db.store
        .change_scopes(&app.id, &strings(&["tn.dis.capacity:w"]), &[])
        .unwrap();
    let pending: Vec<_> = db
        .store
        .history(&app.id)
        .unwrap()
        .iter()
        .map(|v| (v.version, v.pending))
        .collect();
    assert_eq!(pending, [(1, false), (2, true)]);
    let (rows, _) = outbox(&db);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].2, Some(7), "made on the portal's revision 7");
}

#[test]
fn an_import_into_a_linked_database_queues_the_changes_it_makes() {
    let db = TestDb::new();
    db.store
        .add_remote("origin", "https://portal.example", TOKEN)
        .unwrap();
    let app = db.store.create_app(&input("Board")).unwrap();
    let mut docs = db.store.export_documents(None, false).unwrap();
    docs[0].homepage_url = "https://new.example".into();
    docs[0].scopes = strings(&["tn.crm.customers:r", "tn.crm.leads:r"]);
    docs[0].tenants.push(TenantEntry::new("5555", "new"));
    let dir = tempfile::tempdir().unwrap();
    exchange::write_folder(dir.path(), &docs, ExportFormat::Appdesk).unwrap();
    let files = exchange::read_paths(&[dir.path().to_owned()], &Catalog::embedded()).unwrap();
    db.store.apply_import(&files).unwrap();
    let (rows, _) = outbox(&db);
    let kinds: Vec<(&str, bool)> = rows.iter().map(|r| (r.0.as_str(), r.1 == app.id)).collect();
    assert_eq!(
        kinds,
        [
            ("create", true),
            ("fields", true),
            ("scopes", true),
            ("tenants", true)
        ]
    );
    assert_eq!(rows[1].5["fields"]["homepageUrl"], "https://new.example/");
    assert_eq!(rows[2].5["add"], json!(["tn.crm.leads:r"]));
    assert_eq!(rows[3].5["add"], json!([{"id": "5555", "note": "new"}]));
}

#[test]
fn connections_in_a_linked_database_queue_nothing() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Board")).unwrap();
    let env = appdesk_core::Environment::Integration;
    db.store.connect(&app.id, "1234", env).unwrap();
    db.store
        .add_remote("origin", "https://portal.example", TOKEN)
        .unwrap();
    let before = outbox(&db).1;
    // Connections are the portal's in a linked database: refused locally.
    assert!(db.store.disable(&app.id, "1234", env).is_err());
    assert!(db.store.regenerate_secret(&app.id, "1234", env).is_err());
    assert_eq!(
        outbox(&db).1,
        before,
        "connections are the portal's, not intents"
    );
}
