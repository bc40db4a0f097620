//! Where the database lives: a new file and folder private to the user, a
//! mistyped path refused by reads without creating anything, and a pool of
//! connections that stays bounded and gets its connection back after an error.

use std::path::Path;

use appdesk_core::{AppInput, Environment, ListQuery, Store, StoreOptions};

use crate::common::{TestDb, input};

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn a_new_database_its_wal_and_its_folders_are_private_to_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/appdesk/a.db");
    let store = Store::open(&path, StoreOptions::default()).unwrap();
    store.save_draft(&AppInput::default()).unwrap();
    assert_eq!(mode(&path), 0o600, "database file");
    assert_eq!(
        mode(&dir.path().join("data/appdesk/a.db-wal")),
        0o600,
        "WAL"
    );
    assert_eq!(mode(&dir.path().join("data/appdesk")), 0o700, "its folder");
    assert_eq!(
        mode(&dir.path().join("data")),
        0o700,
        "a folder above, made too"
    );
}

#[test]
fn opening_a_missing_database_to_read_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("tpyo/appdesk.db");
    let err = Store::open_existing(&typo, StoreOptions::default()).unwrap_err();
    assert_eq!(err.code(), "no_database");
    assert!(
        err.to_string().contains(&typo.display().to_string()),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing created"
    );
}

#[test]
fn a_connection_returns_to_the_pool_after_an_error() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("P")).unwrap();
    let idle = |store: &Store| {
        let state = store.pool_state();
        assert_eq!(state.open, state.idle, "nothing lent after a call returned");
        state.open
    };
    let before = idle(&db.store);
    for _ in 0..50 {
        // A read that fails, a write refused by validation, a write that fails
        // inside its transaction.
        db.store.app("no such app").unwrap_err();
        db.store.create_app(&AppInput::default()).unwrap_err();
        db.store
            .connect(&app.id, "5555", Environment::Integration)
            .unwrap_err();
    }
    assert_eq!(idle(&db.store), before, "the same connections, reused");
    db.store.list_apps(&ListQuery::default()).unwrap();
}

#[test]
fn many_threads_share_a_bounded_number_of_connections() {
    let db = TestDb::new();
    db.store.create_app(&input("T")).unwrap();
    let threads: Vec<_> = (0..32)
        .map(|_| {
            let store = db.store.clone();
            std::thread::spawn(move || {
                for _ in 0..20 {
                    store.list_apps(&ListQuery::default()).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let state = db.store.pool_state();
    assert!(state.open <= 8, "{state:?}");
    assert_eq!(state.open, state.idle);
}
