//! The sealing key: the database records which key it uses; a missing or foreign
//! key file fails what needs the key, names the expected file, and creates and
//! changes nothing; a new key is made only for a database with no sealed secret.

use std::fs;
use std::path::{Path, PathBuf};

use appdesk_core::secrets::SecretKey;
use appdesk_core::{Environment, Store, StoreOptions};
use rusqlite::Connection;

use crate::common::{TestDb, input};

const INT: Environment = Environment::Integration;
const PROD: Environment = Environment::Production;

fn with_key(db: &Path, key_file: &Path) -> Store {
    Store::open(
        db,
        StoreOptions {
            key_file: Some(key_file.to_owned()),
            ..StoreOptions::default()
        },
    )
    .unwrap()
}

/// Every sealed secret, read with plain SQLite.
fn sealed(db: &Path) -> Vec<(String, Vec<u8>)> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, secret_sealed FROM connections ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn recorded_key_id(db: &Path) -> Option<String> {
    let conn = Connection::open(db).unwrap();
    conn.query_row("SELECT value FROM settings WHERE key = 'key_id'", [], |r| {
        r.get(0)
    })
    .ok()
}

fn moved_away(key: &Path) -> PathBuf {
    let aside = key.with_extension("aside");
    fs::rename(key, &aside).unwrap();
    aside
}

#[test]
fn the_database_records_its_key_id_and_not_the_key() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("K")).unwrap();
    assert_eq!(recorded_key_id(&db.path()), None, "no key before a secret");
    db.store.connect(&app.id, "1234", INT).unwrap();
    let key_file = db.store.key_file().to_owned();
    let id = SecretKey::load(&key_file).unwrap().id().to_owned();
    assert_eq!(recorded_key_id(&db.path()).as_deref(), Some(id.as_str()));
    let key = fs::read(&key_file).unwrap();
    let mut bytes = Vec::new();
    for suffix in ["", "-wal"] {
        bytes.extend(fs::read(format!("{}{suffix}", db.path().display())).unwrap_or_default());
    }
    assert!(
        !bytes.windows(key.len()).any(|w| w == key),
        "the key is not in the database"
    );
}

#[test]
fn a_missing_key_file_fails_reveal_connect_and_regenerate_and_creates_nothing() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("K")).unwrap();
    let first = db.store.connect(&app.id, "1234", INT).unwrap();
    let key_file = db.store.key_file().to_owned();
    let aside = moved_away(&key_file);
    let before = sealed(&db.path());
    let fresh = db.reopen("x");
    let failures = [
        fresh.connection(&app.id, "1234", INT, true).map(|_| ()),
        fresh.connect(&app.id, "9876543210123", INT).map(|_| ()),
        fresh.regenerate_secret(&app.id, "1234", INT).map(|_| ()),
    ];
    for err in failures.into_iter().map(Result::unwrap_err) {
        assert_eq!(err.code(), "secrets");
        let text = err.to_string();
        assert!(text.contains(&key_file.display().to_string()), "{text}");
        assert!(
            text.contains("missing") && !text.contains("another key"),
            "{text}"
        );
    }
    assert!(!key_file.exists(), "no key file was created");
    assert_eq!(
        sealed(&db.path()),
        before,
        "no secret was sealed or changed"
    );
    // What needs no key still works.
    fresh.connection(&app.id, "1234", INT, false).unwrap();
    fresh.disable(&app.id, "1234", INT).unwrap();
    // Once the key is back, the secret made before opens again.
    fs::rename(&aside, &key_file).unwrap();
    let back = db
        .reopen("x")
        .connection(&app.id, "1234", INT, true)
        .unwrap();
    assert_eq!(back.client_secret, first.client_secret);
}

#[test]
fn another_databases_key_file_is_refused_for_connect_and_regenerate() {
    let a = TestDb::new();
    let b = TestDb::new();
    let app_a = a.store.create_app(&input("A")).unwrap();
    let app_b = b.store.create_app(&input("B")).unwrap();
    a.store.connect(&app_a.id, "1234", INT).unwrap();
    b.store.connect(&app_b.id, "1234", INT).unwrap();
    let before = sealed(&a.path());
    let wrong = with_key(&a.path(), b.store.key_file());
    let failures = [
        wrong.connect(&app_a.id, "1234", PROD).map(|_| ()),
        wrong.regenerate_secret(&app_a.id, "1234", INT).map(|_| ()),
        wrong.connection(&app_a.id, "1234", INT, true).map(|_| ()),
    ];
    for err in failures.into_iter().map(Result::unwrap_err) {
        assert_eq!(err.code(), "secrets");
        let text = err.to_string();
        assert!(text.contains("not this database's key"), "{text}");
        assert!(
            text.contains(&b.store.key_file().display().to_string()),
            "{text}"
        );
    }
    assert_eq!(sealed(&a.path()), before);
}

#[test]
fn a_database_sealed_before_key_ids_accepts_only_the_key_that_opens_its_secrets() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("L")).unwrap();
    db.store.connect(&app.id, "1234", INT).unwrap();
    // As a database written before key ids were recorded.
    Connection::open(db.path())
        .unwrap()
        .execute("DELETE FROM settings WHERE key = 'key_id'", [])
        .unwrap();
    let other = tempfile::tempdir().unwrap();
    let other_key = other.path().join("other.key");
    let err = with_key(&db.path(), &other_key)
        .connect(&app.id, "1234", PROD)
        .unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");
    assert!(
        !other_key.exists(),
        "no new key for a database with secrets"
    );
    SecretKey::load_or_create(&other_key).unwrap();
    let err = with_key(&db.path(), &other_key)
        .regenerate_secret(&app.id, "1234", INT)
        .unwrap_err();
    assert!(err.to_string().contains("not this database's key"), "{err}");
    assert_eq!(recorded_key_id(&db.path()), None);
    // The right key works and is recorded from then on.
    db.reopen("x").connect(&app.id, "1234", PROD).unwrap();
    let id = SecretKey::load(db.store.key_file())
        .unwrap()
        .id()
        .to_owned();
    assert_eq!(recorded_key_id(&db.path()), Some(id));
}

#[cfg(unix)]
#[test]
fn a_key_file_other_users_can_read_gives_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::new();
    let app = db.store.create_app(&input("W")).unwrap();
    db.store.connect(&app.id, "1234", INT).unwrap();
    assert!(
        db.store.take_warnings().is_empty(),
        "a 0600 key file is fine"
    );
    let key_file = db.store.key_file().to_owned();
    fs::set_permissions(&key_file, fs::Permissions::from_mode(0o644)).unwrap();
    let store = db.reopen("x");
    store.connection(&app.id, "1234", INT, true).unwrap();
    let warnings = store.take_warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains(&key_file.display().to_string()) && warnings[0].contains("644"));
}

#[test]
fn a_handle_that_loaded_its_key_before_another_recorded_one_cannot_seal_with_it() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("R")).unwrap();
    let other = tempfile::tempdir().unwrap();
    let late = with_key(&db.path(), &other.path().join("late.key"));
    // The late handle loads (and creates) its key, but its connect fails: no
    // secret is sealed, no id recorded.
    late.connect(&app.id, "5555", INT).unwrap_err();
    assert_eq!(recorded_key_id(&db.path()), None);
    db.store.connect(&app.id, "1234", INT).unwrap();
    let before = sealed(&db.path());
    let err = late.connect(&app.id, "9876543210123", INT).unwrap_err();
    assert!(err.to_string().contains("not this database's key"), "{err}");
    assert_eq!(sealed(&db.path()), before);
}

/// Once every sealed secret is gone (the apps deleted), the recorded key guards
/// nothing: a database whose key file is lost can make a new one on the next
/// connect, records the new id, and the new secret opens with it.
#[test]
fn a_database_whose_secrets_were_all_deleted_makes_a_new_key_when_its_key_is_lost() {
    let db = TestDb::new();
    let gone = db.store.create_app(&input("Gone")).unwrap();
    db.store.connect(&gone.id, "1234", INT).unwrap();
    let old_id = recorded_key_id(&db.path()).expect("an id is recorded");
    db.store.delete_app(&gone.id).unwrap();
    assert!(sealed(&db.path()).is_empty(), "no sealed secret is left");
    let key_file = db.store.key_file().to_owned();
    fs::remove_file(&key_file).unwrap();

    let fresh = db.reopen("x");
    let app = fresh.create_app(&input("Next")).unwrap();
    let made = fresh.connect(&app.id, "1234", INT).unwrap();
    let new_id = SecretKey::load(&key_file)
        .expect("a new key file")
        .id()
        .to_owned();
    assert_ne!(new_id, old_id);
    assert_eq!(recorded_key_id(&db.path()), Some(new_id));
    let shown = db
        .reopen("y")
        .connection(&app.id, "1234", INT, true)
        .unwrap();
    assert_eq!(shown.client_secret, made.client_secret);
}
