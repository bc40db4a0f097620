//! Connections in a linked database are the portal's (issue 10 §5): a pulled
//! list replaces an app's connections and is shown read-only; secrets are
//! never kept; local actions are refused naming the portal. The oracle is the
//! JSON the portal would send and SQL on the database file.

use appdesk_core::sync::PulledConnection;
use appdesk_core::{Environment, ErrorCode};
use rusqlite::Connection;
use serde_json::json;

use crate::common::{TestDb, input};

const TOKEN: &str = "adp_1a2b3c4d_SuperSecretPortalToken42";
const INT: Environment = Environment::Integration;

/// One connection as the portal lists it (with a secret, which the store
/// must drop).
pub(super) fn pulled(tenant: &str, env: &str, version: i64, latest: i64) -> PulledConnection {
    serde_json::from_value(json!({
        "tenantId": tenant, "environment": env, "status": "active",
        "version": version, "latestVersion": latest, "upgradeAvailable": version < latest,
        "scopesInPlay": ["tn.crm.customers:r"],
        "pendingAdded": if version < latest { json!(["tn.crm.leads:r"]) } else { json!([]) },
        "pendingRemoved": [],
        "clientId": format!("cid.{:0>25}", tenant),
        "connectedAt": "2026-11-30T01:02:03Z",
        "clientSecret": "cs1.neverkeptneverkeptneverkeptneverkeptneverkept00"
    }))
    .unwrap()
}

fn sql_count(db: &TestDb, sql: &str) -> i64 {
    Connection::open(db.path())
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

fn linked_with_app(db: &TestDb) -> String {
    let app = db.store.create_app(&input("Board")).unwrap();
    db.store
        .add_remote("origin", "https://portal.example", TOKEN)
        .unwrap();
    app.id
}

#[test]
fn a_pulled_list_replaces_the_apps_connections_and_reads_back_as_sent() {
    let db = TestDb::new();
    let app = linked_with_app(&db);
    let first = [
        pulled("1234", "integration", 1, 2),
        pulled("1234", "production", 2, 2),
    ];
    assert_eq!(
        db.store.replace_portal_connections(&app, &first).unwrap(),
        2
    );
    let shown = db.store.connections(&app).unwrap();
    let expected: Vec<_> = first
        .iter()
        .cloned()
        .map(PulledConnection::into_view)
        .collect();
    assert_eq!(shown, expected);
    assert!(shown[0].upgrade_available && shown[0].pending_added == ["tn.crm.leads:r"]);
    let again = [pulled("5555", "integration", 2, 2)];
    db.store.replace_portal_connections(&app, &again).unwrap();
    let shown = db.store.connections(&app).unwrap();
    assert_eq!(
        shown.len(),
        1,
        "the portal's list replaced the old one: {shown:?}"
    );
    assert_eq!(shown[0].tenant_id, "5555");
}

#[test]
fn a_pulled_client_secret_reaches_neither_the_database_nor_a_view() {
    let db = TestDb::new();
    let app = linked_with_app(&db);
    db.store
        .replace_portal_connections(&app, &[pulled("1234", "integration", 1, 1)])
        .unwrap();
    drop(db.store.connections(&app).unwrap());
    let bytes = [
        std::fs::read(db.path()).unwrap(),
        std::fs::read(db.path().with_extension("db-wal")).unwrap_or_default(),
    ]
    .concat();
    assert!(
        !bytes.windows(4).any(|w| w == b"cs1."),
        "a secret was written"
    );
    let view = db.store.connection(&app, "1234", INT, false).unwrap();
    assert_eq!(view.client_secret, None);
    let err = db.store.connection(&app, "1234", INT, true).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotAllowed);
    assert!(err.to_string().contains("never pulled"), "{err}");
}

#[test]
fn a_bad_pulled_list_is_refused_naming_the_field_and_the_old_list_stays() {
    let db = TestDb::new();
    let app = linked_with_app(&db);
    let good = [pulled("1234", "integration", 1, 1)];
    db.store.replace_portal_connections(&app, &good).unwrap();
    let mut bad = pulled("5555", "integration", 1, 1);
    bad.client_id = "cid.\u{200b}hidden".into();
    let err = db
        .store
        .replace_portal_connections(&app, &[pulled("7777", "production", 1, 1), bad])
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Invalid);
    assert!(err.to_string().contains("connections[1].clientId"), "{err}");
    assert_eq!(sql_count(&db, "SELECT count(*) FROM portal_connections"), 1);
    assert_eq!(db.store.connections(&app).unwrap()[0].tenant_id, "1234");
}

#[test]
fn local_connection_actions_in_a_linked_database_are_refused_naming_the_portal() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Board")).unwrap().id;
    db.store.connect(&app, "1234", INT).unwrap();
    db.store
        .add_remote("origin", "https://portal.example", TOKEN)
        .unwrap();
    let local = "SELECT count(*) FROM connections WHERE status = 'active' AND version = 1 \
                 AND previous_secret_sealed IS NULL";
    let sealed = |db: &TestDb| -> Vec<u8> {
        Connection::open(db.path())
            .unwrap()
            .query_row("SELECT secret_sealed FROM connections", [], |r| r.get(0))
            .unwrap()
    };
    let (before, secret) = (db.snapshot(), sealed(&db));
    let s = &db.store;
    let refusals = [
        s.connect(&app, "9876543210123", INT).map(|_| ()),
        s.upgrade(&app, "1234", INT).map(|_| ()),
        s.disable(&app, "1234", INT).map(|_| ()),
        s.enable(&app, "1234", INT).map(|_| ()),
        s.regenerate_secret(&app, "1234", INT).map(|_| ()),
        s.rotate_secret(&app, "1234", INT).map(|_| ()),
        s.retire_previous_secret(&app, "1234", INT).map(|_| ()),
    ];
    for refused in refusals {
        let err = refused.unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotAllowed, "{err}");
        let text = err.to_string();
        assert!(
            text.contains("\"origin\"") && text.contains("tenant admin"),
            "{text}"
        );
    }
    assert_eq!(db.snapshot(), before, "a refused action changed data");
    assert_eq!(sql_count(&db, "SELECT count(*) FROM connections"), 1);
    assert_eq!(sql_count(&db, local), 1, "the local connection was changed");
    assert_eq!(sealed(&db), secret, "the local secret was replaced");
}

#[test]
fn unlinking_shows_the_local_connections_again() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Board")).unwrap().id;
    db.store.connect(&app, "1234", INT).unwrap();
    db.store
        .add_remote("origin", "https://portal.example", TOKEN)
        .unwrap();
    assert!(
        db.store.connections(&app).unwrap().is_empty(),
        "nothing pulled yet"
    );
    db.store.remove_remote("origin").unwrap();
    let local = db.store.connections(&app).unwrap();
    assert_eq!(local.len(), 1);
    assert_eq!(local[0].tenant_id, "1234");
}

#[test]
fn a_pull_into_a_database_never_linked_is_refused() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Board")).unwrap().id;
    let err = db
        .store
        .replace_portal_connections(&app, &[pulled("1234", "integration", 1, 1)])
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotAllowed);
    assert_eq!(sql_count(&db, "SELECT count(*) FROM portal_connections"), 0);
}

#[test]
fn an_action_on_an_app_the_portal_never_saw_is_refused_until_a_sync() {
    let db = TestDb::new();
    let app = linked_with_app(&db);
    let err = db.store.portal_target(&app).unwrap_err();
    assert!(err.to_string().contains("appdesk sync"), "{err}");
    let conn = Connection::open(db.path()).unwrap();
    conn.execute(
        "INSERT INTO sync_bases (remote, app_id, revision, snapshot, synced_at)
         VALUES ('origin', ?1, 7, '{}', '2026-11-30T00:00:00Z')",
        [&app],
    )
    .unwrap();
    let target = db.store.portal_target("Board").unwrap();
    assert_eq!((target.remote.as_str(), target.revision), ("origin", 7));
    let answer = pulled("1234", "integration", 2, 2);
    db.store
        .record_portal_connection(&target, Some(8), &answer)
        .unwrap();
    assert_eq!(db.store.portal_target(&app).unwrap().revision, 8);
    assert_eq!(
        db.store.connections(&app).unwrap(),
        vec![answer.clone().into_view()]
    );
    // A stale answer (the base moved on meanwhile) leaves the base alone.
    db.store
        .record_portal_connection(&target, Some(9), &answer)
        .unwrap();
    assert_eq!(db.store.portal_target(&app).unwrap().revision, 8);
}
