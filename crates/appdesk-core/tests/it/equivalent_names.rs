//! Names that display alike are the same name to search and to the import's
//! same-name warning: "Café" typed precomposed (NFC) or as `e` + U+0301 (NFD),
//! or in full-width letters, folds to one key. The names themselves are stored
//! as given.

use appdesk_core::{ImportMode, ListQuery};

use crate::common::{TestDb, input};

/// A file with no id and no key that creates an app named `name`.
fn anonymous_file(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let path = dir.join("app.json");
    let doc = serde_json::json!({
        "format": "appdesk.app/v1",
        "status": "created",
        "name": name,
        "organization": "Acme",
        "homepageUrl": "https://acme.example",
        "audience": "private",
        "credentials": "tenant",
        "scopes": ["tn.crm.customers:r"],
        "tenants": [{"id": "1234", "note": ""}],
    });
    std::fs::write(&path, doc.to_string()).unwrap();
    path
}

#[test]
fn an_import_warns_of_an_app_whose_name_differs_only_by_unicode_composition() {
    let db = TestDb::new();
    db.store.create_app(&input("Caf\u{e9} Board")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for alike in ["Cafe\u{301} Board", "\u{ff23}af\u{e9} \u{ff22}oard"] {
        let file = vec![anonymous_file(dir.path(), alike)];
        let plan = db
            .store
            .import_paths(&file, ImportMode::Plan, |_, _, _| {})
            .unwrap();
        let warnings = &plan.apps[0].warnings;
        assert!(
            warnings.len() == 1 && warnings[0].contains("another app named \"Caf\u{e9} Board\""),
            "{alike:?}: {warnings:?}"
        );
    }
}

#[test]
fn a_search_finds_a_name_whatever_its_unicode_composition() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Cafe\u{301} Board")).unwrap();
    assert_eq!(app.name, "Cafe\u{301} Board", "the name is stored as given");
    for filter in ["caf\u{e9}", "Caf\u{e9} b", "\u{e9}"] {
        let query = ListQuery {
            filter: filter.into(),
            ..ListQuery::default()
        };
        let page = db.store.list_summaries(&query).unwrap();
        assert_eq!(page.total, 1, "{filter:?}");
    }
}

/// A database written before names were NFKC-folded (schema 2) is refolded when
/// a newer build opens it, so its apps are found the same way.
#[test]
fn opening_a_schema_2_database_refolds_its_names() {
    let db = TestDb::new();
    db.store.create_app(&input("Cafe\u{301} Board")).unwrap();
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    back_to_schema_2(&conn);
    conn.execute_batch(
        "UPDATE apps SET name_folded = 'cafe\u{301} board'; PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(conn);
    let reopened = db.reopen("x");
    let query = ListQuery {
        filter: "caf\u{e9} board".into(),
        ..ListQuery::default()
    };
    assert_eq!(reopened.list_summaries(&query).unwrap().total, 1);
}

/// Takes a database back to schema 2 as it would have been written: the tables,
/// indexes and columns later migrations added are dropped, so that reopening
/// runs them again (the schema-2 shape comes from the migrations themselves).
fn back_to_schema_2(conn: &rusqlite::Connection) {
    use std::collections::BTreeSet;
    let mut old = rusqlite::Connection::open_in_memory().unwrap();
    appdesk_core::store::migrate::migrate_to(&mut old, 2).unwrap();
    let objects = |c: &rusqlite::Connection, kind: &str| -> BTreeSet<String> {
        let sql = "SELECT name FROM sqlite_master WHERE type = ?1 AND name NOT LIKE 'sqlite_%'";
        let mut stmt = c.prepare(sql).unwrap();
        stmt.query_map([kind], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let columns = |c: &rusqlite::Connection, table: &str| -> BTreeSet<String> {
        let mut stmt = c.prepare(&format!("PRAGMA table_info({table})")).unwrap();
        stmt.query_map([], |r| r.get(1))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    for kind in ["trigger", "view", "index", "table"] {
        let keep = objects(&old, kind);
        for name in objects(conn, kind).difference(&keep) {
            // IF EXISTS: dropping a virtual table (FTS) has dropped its shadow tables.
            conn.execute_batch(&format!(
                "DROP {} IF EXISTS \"{name}\"",
                kind.to_uppercase()
            ))
            .unwrap();
        }
    }
    for table in objects(&old, "table") {
        let keep = columns(&old, &table);
        for column in columns(conn, &table).difference(&keep) {
            conn.execute_batch(&format!("ALTER TABLE \"{table}\" DROP COLUMN \"{column}\""))
                .unwrap();
        }
    }
}
