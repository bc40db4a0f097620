//! A stored JSON column that does not decode is corruption, reported with the
//! table, the row and the column, never read as an empty list.

use crate::common::{TestDb, input};
use appdesk_core::{AppInput, Error};
use rusqlite::Connection;

/// Writes text that is not JSON into `column` of the row `filter` picks.
fn damage(db: &TestDb, table: &str, column: &str, filter: &str) {
    damage_with(db, table, column, filter, "[\"tn.crm.cust");
}

/// Writes `value` into `column` of the row `filter` picks, behind the store's
/// back, as a damaged disk or a hand edit would.
fn damage_with(db: &TestDb, table: &str, column: &str, filter: &str, value: &str) {
    let conn = Connection::open(db.path()).unwrap();
    let sql = format!("UPDATE {table} SET {column} = ?1 WHERE {filter}");
    assert_eq!(conn.execute(&sql, [value]).unwrap(), 1);
}

fn corrupt(e: Error) -> (String, String, String) {
    match e {
        Error::Corrupt {
            table, row, column, ..
        } => (table, row, column),
        other => panic!("expected a corruption error, got {other:?}"),
    }
}

#[test]
fn a_damaged_version_row_is_reported_naming_table_row_and_column() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Damaged")).unwrap();
    damage(&db, "versions", "scopes", "version = 1");
    let expected = (
        "versions".to_owned(),
        format!("{} version 1", app.id),
        "scopes".to_owned(),
    );
    assert_eq!(corrupt(db.store.app(&app.id).unwrap_err()), expected);
    assert_eq!(corrupt(db.store.history(&app.id).unwrap_err()), expected);
    assert_eq!(
        corrupt(db.store.export_documents(None, true).unwrap_err()),
        expected
    );
    let e = db.store.app(&app.id).unwrap_err();
    assert_eq!(e.code(), "corrupt");
    assert!(e.to_string().contains("damaged"), "{e}");
}

#[test]
fn a_version_holding_json_that_is_not_scopes_is_corrupt_not_skipped() {
    for value in [r#"["tn.crm.customers"]"#, r#"{"scopes": 1}"#] {
        let db = TestDb::new();
        let app = db.store.create_app(&input("Damaged")).unwrap();
        damage_with(&db, "versions", "scopes", "version = 1", value);
        let (table, row, column) = corrupt(db.store.app(&app.id).unwrap_err());
        assert_eq!(
            (table.as_str(), row, column.as_str()),
            ("versions", format!("{} version 1", app.id), "scopes")
        );
    }
}

#[test]
fn damaged_draft_scopes_or_tenants_are_reported_not_read_as_empty() {
    for column in ["draft_scopes", "draft_tenants"] {
        let db = TestDb::new();
        let draft = db
            .store
            .save_draft(&AppInput {
                name: "Half done".into(),
                ..input("x")
            })
            .unwrap();
        damage(&db, "apps", column, &format!("id = '{}'", draft.id));
        let expected = ("apps".to_owned(), draft.id.clone(), column.to_owned());
        assert_eq!(corrupt(db.store.app(&draft.id).unwrap_err()), expected);
        assert_eq!(
            corrupt(db.store.create_draft(&draft.id).unwrap_err()),
            expected
        );
        assert_eq!(
            corrupt(db.store.export_documents(None, false).unwrap_err()),
            expected
        );
    }
}
