//! The store itself: pragmas, schema guard, migrations from older files,
//! bad files, and several handles (processes) on one file.

use std::fs;

use crate::common::{TestDb, input, strings};
use appdesk_core::store::migrate;
use appdesk_core::{AppStatus, Environment, Store, StoreOptions};
use rusqlite::Connection;

#[test]
fn every_connection_gets_the_pragmas_of_the_design() {
    let db = TestDb::new();
    db.store.create_app(&input("P")).unwrap();
    let conn = Connection::open(db.path()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal", "WAL is a property of the file");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, migrate::latest());
    // Connection-level pragmas, as the store's own connections have them.
    {
        let d = db.store.diagnostics().unwrap();
        assert_eq!(d.journal_mode, "wal");
        assert!(d.foreign_keys);
        assert_eq!(d.synchronous, "1", "NORMAL");
        assert!(d.busy_timeout_ms >= 1000);
        assert_eq!(d.schema_version, migrate::latest());
        assert_eq!(d.database.as_deref(), Some(db.path().to_str().unwrap()));
    }
}

#[test]
fn a_database_from_a_newer_build_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = fs::read(&path).unwrap();
    let err = Store::open(&path, StoreOptions::default()).unwrap_err();
    assert_eq!(err.code(), "schema_too_new");
    let text = err.to_string();
    assert!(text.contains("99") && text.contains("future.db"), "{text}");
    assert_eq!(fs::read(&path).unwrap(), before, "not a byte changed");
    assert!(
        !dir.path().join("future.key").exists(),
        "no key file made either"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    fs::write(
        &path,
        "this is not sqlite, it is a shopping list\n".repeat(200),
    )
    .unwrap();
    let before = fs::read(&path).unwrap();
    let err = Store::open(&path, StoreOptions::default()).unwrap_err();
    assert_eq!(err.code(), "open_failed");
    assert!(err.to_string().contains("notes.txt"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_database_created_by_the_first_schema_opens_under_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    Connection::open(&path)
        .unwrap()
        .execute_batch(include_str!("fixtures/schema1.sql"))
        .unwrap();
    let store = Store::open(
        &path,
        StoreOptions {
            user: Some("t".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let version: i64 = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, migrate::latest());

    let legacy = store.app("ak1.legacy0000000000000000001").unwrap();
    assert_eq!(legacy.version, Some(2));
    assert_eq!(
        legacy.scopes,
        strings(&["tn.crm.customers:r", "tn.jpm.jobs:r"])
    );
    assert_eq!(
        store.history(&legacy.id).unwrap()[1].added,
        strings(&["tn.jpm.jobs:r"])
    );
    let conn = &store.connections(&legacy.id).unwrap()[0];
    assert!(conn.upgrade_available);
    assert_eq!(conn.pending_added, strings(&["tn.jpm.jobs:r"]));
    let draft = store.app("Half a draft").unwrap();
    assert_eq!(draft.status, AppStatus::Draft);
    assert_eq!(draft.tenants[0].id, "12a");
    assert_eq!(
        store
            .app("ak1.gone00000000000000000009")
            .unwrap_err()
            .code(),
        "not_found"
    );
    let found = store.list_apps(&appdesk_core::ListQuery {
        filter: "legacy".into(),
        ..Default::default()
    });
    assert_eq!(
        found.unwrap().total,
        1,
        "name search works on the migrated file"
    );
    // And it keeps working under the new schema.
    store
        .change_scopes(&legacy.id, &strings(&["tn.crm.leads:r"]), &[])
        .unwrap();
    store.set_configured_user("new schema").unwrap();
    assert_eq!(store.app(&legacy.id).unwrap().version, Some(3));
}

#[test]
fn two_handles_on_one_file_see_each_others_changes() {
    let db = TestDb::new();
    let other = db.reopen("cli");
    let app = other.create_app(&input("Shared")).unwrap();
    assert_eq!(db.store.app(&app.id).unwrap().app_key, app.app_key);
    db.store
        .change_scopes(&app.id, &strings(&["tn.crm.leads:r"]), &[])
        .unwrap();
    assert_eq!(other.app(&app.id).unwrap().version, Some(2));
}

#[test]
fn concurrent_writers_lose_nothing() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Busy")).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            // Half share the handle (pool), half open their own (like other processes).
            let store = if t % 2 == 0 {
                db.store.clone()
            } else {
                db.reopen("other")
            };
            let id = app.id.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let tenant = format!("{}", 10_000 + t * 100 + i);
                    store
                        .change_tenants(&id, &[appdesk_core::TenantAdd::parse_arg(&tenant)], &[])
                        .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(db.store.app(&app.id).unwrap().tenants.len(), 2 + 100);
}

#[test]
fn an_in_memory_store_works_for_throwaway_use() {
    let store = Store::open_in_memory(StoreOptions::default()).unwrap();
    let app = store.create_app(&input("M")).unwrap();
    let c = store
        .connect(&app.id, "1234", Environment::Integration)
        .unwrap();
    let shown = store
        .connection(&app.id, "1234", Environment::Integration, true)
        .unwrap();
    assert_eq!(shown.client_secret, c.client_secret);
    assert!(store.path().is_none());
}
