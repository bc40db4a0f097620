//! A stored JSON column that does not decode is corruption, reported with the
//! table, the row and the column, never read as an empty list.

use crate::common::{TestDb, input};
use appdesk_core::{AppInput, Error};
use rusqlite::Connection;

/// Writes `value` into `column` of the rows `filter` picks, behind the store's
/// back, as a damaged disk or a hand edit would.
fn damage(db: &TestDb, table: &str, column: &str, filter: &str) {
    let conn = Connection::open(db.path()).unwrap();
    let changed = conn
        .execute(
            &format!("UPDATE {table} SET {column} = '[\"tn.crm.cust' WHERE {filter}"),
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
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
