//! The "check for updates at start-up" setting, on a real database file.

use crate::common::TestDb;

#[test]
fn check_at_start_is_on_by_default_and_off_survives_a_reopen() {
    let db = TestDb::new();
    assert!(db.store.check_updates_at_start().unwrap(), "on by default");
    assert!(!db.store.set_check_updates_at_start(false).unwrap());
    let other = db.reopen("someone");
    assert!(
        !other.check_updates_at_start().unwrap(),
        "off, read by another handle"
    );
    other.set_check_updates_at_start(true).unwrap();
    assert!(db.store.check_updates_at_start().unwrap(), "back on");
}

#[test]
fn a_hand_edited_check_at_start_value_is_reported_as_corrupt() {
    let db = TestDb::new();
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('updates.check_at_start', 'maybe')",
        [],
    )
    .unwrap();
    let err = db.store.check_updates_at_start().unwrap_err();
    assert_eq!(err.body().code, appdesk_core::ErrorCode::Corrupt);
    assert!(err.to_string().contains("maybe"), "{err}");
}
